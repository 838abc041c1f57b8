/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The web app lives in web/; the built files go to dist/web and are served by the API server.
export default defineConfig({
  root: 'web',
  plugins: [react()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    // Rollup splits shared code by itself across the lazy routes, so the map library loads with the
    // tree page only and phone pages never fetch it.
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
});
