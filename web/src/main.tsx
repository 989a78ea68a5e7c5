import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { useAuthStore } from './features/auth/useAuthStore';
import { registerServiceWorker } from './features/pwa/registerServiceWorker';
import { applyLangToDocument, useLangStore } from './i18n';
import './styles.css';

applyLangToDocument(useLangStore.getState().lang);
void useAuthStore.getState().restore();
registerServiceWorker();

const root = document.getElementById('root');
if (root) {
	createRoot(root).render(
		<StrictMode>
			<App />
		</StrictMode>
	);
}
