import path from 'node:path';
import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The web app is built into dist/web and served by the service itself, on the same port as the API.
export default defineConfig({
  root: path.dirname(new URL(import.meta.url).pathname),
  plugins: [react(), tailwindcss()],
  build: {
    outDir: path.resolve(path.dirname(new URL(import.meta.url).pathname), '../dist/web'),
    emptyOutDir: true,
    sourcemap: true,
    // hls.js alone is ~590 kB minified: a chunk of its own, loaded only by the pages with a player and cached apart from our code.
    chunkSizeWarningLimit: 650,
    rollupOptions: { output: { manualChunks: (id) => (id.includes('/node_modules/hls.js/') ? 'hls' : undefined) } },
  },
  server: {
    proxy: { '/api': 'http://localhost:8080', '/hls': 'http://localhost:8080', '/vod': 'http://localhost:8080' },
  },
});
