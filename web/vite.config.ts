import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { serviceWorkerPlugin } from './src/features/pwa/serviceWorkerPlugin';

// In development the API and the SFU run in `services/majlis` on :8080; Vite serves the client and
// forwards REST and signalling there so the browser sees one origin, as in production.
const backend = process.env.MAJLIS_BACKEND ?? 'http://localhost:8080';
const proxy = {
	'/api': { target: backend, changeOrigin: true },
	'/ws': { target: backend.replace(/^http/, 'ws'), ws: true, changeOrigin: true },
};

export default defineConfig({
	plugins: [react(), serviceWorkerPlugin()],
	server: { proxy },
	preview: { proxy },
	build: {
		outDir: 'dist',
		sourcemap: true,
		target: 'es2022',
		rolldownOptions: {
			treeshake: {
				// @majlis/protocol builds TypeBox schemas at module level. The client needs only its types and a
				// few constants in production (frame validation is dev-only), so unused schemas may be dropped.
				moduleSideEffects: (id: string) => !/[\\/]packages[\\/]protocol[\\/]src[\\/]/.test(id),
			},
		},
	},
});
