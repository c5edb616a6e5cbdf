// Vite builds the designer into designer/dist, which the API serves at `/` in `npm start`.
// In development (`npm run designer:dev`) API calls are proxied to the API on :8080.
import { defineConfig } from 'vite';

/**
 * The browser lays out in a Web Worker (src/logic/elk-worker.ts): the in-place ELK build that
 * tests and Node use is swapped for the small worker client, saving ~1.5 MB of main bundle.
 */
export default defineConfig({
  root: __dirname,
  resolve: { alias: { 'elkjs/lib/elk.bundled.js': 'elkjs/lib/elk-api.js' } },
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 2000 },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
});
