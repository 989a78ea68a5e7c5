import { ApiTokensSection } from '../../features/integrations/ApiTokensSection';
import { WebhooksSection } from '../../features/integrations/WebhooksSection';
import { useAuthStore } from '../../features/auth/useAuthStore';
import { useT } from '../../i18n';
import { Link } from '../Link';
import { loginPath } from '../router';

/** Account settings (`/settings`): API tokens and bots, and webhooks. */
export function SettingsPage() {
	const t = useT();
	const user = useAuthStore((s) => s.user);
	if (!user) {
		return (
			<div className="settings">
				<h1>{t('settings.title')}</h1>
				<p>
					<Link to={loginPath('/settings')}>{t('nav.login')}</Link>
				</p>
			</div>
		);
	}

	return (
		<div className="settings">
			<h1>{t('settings.title')}</h1>
			<ApiTokensSection />
			<WebhooksSection />
		</div>
	);
}
