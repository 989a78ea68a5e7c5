import { lazy, Suspense, useEffect, useRef } from 'react';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { Logo, SettingsIcon } from '../components/icons';
import { useAuthStore } from '../features/auth/useAuthStore';
import { NotificationBell } from '../features/notifications/NotificationBell';
import { NotificationsPage } from '../features/notifications/NotificationsPage';
import { SeriesPage } from '../features/notifications/SeriesPage';
import { PwaPrompts } from '../features/pwa/PwaPrompts';
import { MiniPlayer } from '../features/room/components/MiniPlayer';
import { useT } from '../i18n';
import { Link } from './Link';
import { AdminReportsPage } from './pages/AdminReportsPage';
import { HomePage } from './pages/HomePage';
import { LoginPage } from './pages/LoginPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { ProfilePage } from './pages/ProfilePage';
import { ReplayPage } from './pages/ReplayPage';
import { SettingsPage } from './pages/SettingsPage';
import { SchedulePage } from './pages/SchedulePage';
import { SignupPage } from './pages/SignupPage';
import { loginPath, navigate, type Route, useLocationKey, useRoute } from './router';

// The room page carries mediasoup-client; load it only when a room is opened.
const RoomPage = lazy(() => import('./pages/RoomPage').then((m) => ({ default: m.RoomPage })));
// The embeddable player carries it too, and is all its frame ever loads.
const EmbedPage = lazy(() => import('../features/embed/EmbedPage').then((m) => ({ default: m.EmbedPage })));

function Page({ route }: { route: Route }) {
	switch (route.name) {
		case 'home': {
			return <HomePage />;
		}
		case 'login': {
			return <LoginPage next={route.next} />;
		}
		case 'signup': {
			return <SignupPage next={route.next} />;
		}
		case 'schedule': {
			return <SchedulePage />;
		}
		case 'adminReports': {
			return <AdminReportsPage />;
		}
		case 'notifications': {
			return <NotificationsPage />;
		}
		case 'series': {
			return <SeriesPage key={route.id} roomId={route.id} />;
		}
		case 'edit': {
			return <SchedulePage roomId={route.id} />;
		}
		case 'room': {
			return (
				<Suspense fallback={null}>
					<RoomPage key={route.id} roomId={route.id} />
				</Suspense>
			);
		}
		case 'replay': {
			return <ReplayPage key={route.id} roomId={route.id} />;
		}
		case 'profile': {
			return <ProfilePage key={route.handle} handle={route.handle} />;
		}
		case 'settings': {
			return <SettingsPage />;
		}
		default: {
			return <NotFoundPage />;
		}
	}
}

function Header() {
	const t = useT();
	const user = useAuthStore((s) => s.user);
	const route = useRoute();
	const here = useLocationKey();
	// Logging in from any page comes back to it; from the log-in page itself, to where it was going.
	const back = route.name === 'login' || route.name === 'signup' ? (route.next ?? '/') : here;
	const signOut = useAuthStore((s) => s.signOut);

	return (
		<header className="topbar">
			<div className="topbar-inner">
				<Link to="/" className="brand">
					<Logo />
					<span>{t('app.name')}</span>
				</Link>
				<nav aria-label={t('nav.main')} className="topnav">
					<Link to="/">{t('nav.home')}</Link>
					{user && <Link to="/schedule">{t('nav.newRoom')}</Link>}
					{user && (
						// On a phone the gear alone (the label is for screen readers), so the header keeps one row.
						<Link to="/settings" className="nav-settings">
							<SettingsIcon />
							<span className="nav-settings-label">{t('nav.settings')}</span>
						</Link>
					)}
				</nav>
				<div className="topbar-end">
					<LanguageSwitch />
					{user ? (
						<>
							<NotificationBell key={user.id} />
							<Link
								to={`/u/${user.handle}`}
								className="whoami"
								dir="ltr"
								title={t('nav.signedInAs', { name: user.displayName })}
							>
								@{user.handle}
							</Link>
							<button
								type="button"
								className="button button-quiet"
								onClick={() => {
									signOut();
									navigate('/');
								}}
							>
								{t('nav.logout')}
							</button>
						</>
					) : (
						<>
							<Link to={loginPath(back)} className="button button-quiet">
								{t('nav.login')}
							</Link>
							<Link to={loginPath(back, 'signup')} className="button button-primary">
								{t('nav.signup')}
							</Link>
						</>
					)}
				</div>
			</div>
		</header>
	);
}

/** The app shell: skip link, header, and the page for the current route. */
export function App() {
	const t = useT();
	const route = useRoute();
	const locationKey = useLocationKey();
	const mainRef = useRef<HTMLElement>(null);
	const firstRender = useRef(true);
	const embedded = route.name === 'embed';

	// After in-app navigation, move focus to the new page so screen readers announce it.
	// biome-ignore lint/correctness/useExhaustiveDependencies: runs on each navigation, which locationKey marks.
	useEffect(() => {
		if (firstRender.current) {
			firstRender.current = false;

			return;
		}
		const heading = mainRef.current?.querySelector<HTMLElement>('h1');
		if (heading) {
			heading.tabIndex = -1;
			heading.focus();
		} else {
			mainRef.current?.focus();
		}
		window.scrollTo(0, 0);
	}, [locationKey]);

	if (embedded) {
		// Inside another site's iframe: the player alone, no header, prompts or mini-player.
		return (
			<Suspense fallback={null}>
				<EmbedPage key={route.id} roomId={route.id} />
			</Suspense>
		);
	}

	return (
		<>
			<a className="skip-link" href="#main">
				{t('skip.toContent')}
			</a>
			<Header />
			<PwaPrompts />
			<main id="main" ref={mainRef} tabIndex={-1} className="main">
				<Page route={route} />
			</main>
			<MiniPlayer />
		</>
	);
}
