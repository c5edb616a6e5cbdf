// Vite builds the designer into designer/dist, which the API serves at `/` in `npm start`.
// In development (`npm run designer:dev`) API calls are proxied to the API on :8080.
import { defineConfig } from 'vite';

export default defineConfig({
  root: __dirname,
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 2000 },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
});
