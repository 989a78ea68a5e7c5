import { useT } from '../../i18n';
import { applyUpdate, promptInstall } from './registerServiceWorker';
import { usePwaStore } from './usePwaStore';

/**
 * "A new version is ready" with an Update button (the app never reloads by itself: a live room would
 * drop), and "Install Majlis" where the browser offers installation.
 */
export function PwaPrompts() {
	const t = useT();
	const updateReady = usePwaStore((s) => s.updateReady);
	const installable = usePwaStore((s) => s.installPrompt !== null);
	if (!updateReady && !installable) {
		return null;
	}

	return (
		<section className="pwa-prompts" aria-label={t('pwa.region')}>
			{updateReady && (
				<div className="banner banner-info" role="status">
					<span>{t('pwa.updateReady')}</span>
					<div className="banner-actions">
						<button type="button" className="button button-primary" onClick={applyUpdate}>
							{t('pwa.update')}
						</button>
					</div>
				</div>
			)}
			{installable && (
				<div className="banner banner-info">
					<span>{t('pwa.installHint')}</span>
					<div className="banner-actions">
						<button type="button" className="button" onClick={() => void promptInstall()}>
							{t('pwa.install')}
						</button>
						<button
							type="button"
							className="button button-quiet"
							onClick={() => usePwaStore.setState({ installPrompt: null })}
						>
							{t('pwa.notNow')}
						</button>
					</div>
				</div>
			)}
		</section>
	);
}
