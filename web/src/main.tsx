import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { useAuthStore } from './features/auth/useAuthStore';
import { registerServiceWorker } from './features/pwa/registerServiceWorker';
import { embedLang, isEmbedPath } from './features/embed/embedLang';
import { applyLangToDocument, useLangStore } from './i18n';
import './styles.css';

const embedded = isEmbedPath(window.location.pathname);
if (embedded) {
	// The player follows the host page (`?lang=`) or the browser, not a choice remembered on Majlis.
	useLangStore.setState({ lang: embedLang(window.location.search) });
}
applyLangToDocument(useLangStore.getState().lang);
void useAuthStore.getState().restore();
// A framed player installs nothing: no service worker under another site's page.
if (!embedded) {
	registerServiceWorker();
}

const root = document.getElementById('root');
if (root) {
	createRoot(root).render(
		<StrictMode>
			<App />
		</StrictMode>
	);
}
