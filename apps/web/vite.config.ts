import { defineConfig, defaultClientConditions } from 'vite';
import react from '@vitejs/plugin-react';

// In development the API runs separately; the dev server proxies it so the browser only ever
// talks to its own origin (a phone on the LAN reaches the API through this same port).
const apiTarget = process.env.PARLEY_API_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  plugins: [react()],
  resolve: {
    // Read @parley/protocol from its TypeScript source: no build step needed for the contract.
    conditions: ['@parley/source', ...defaultClientConditions],
  },
  // 'spa' (Vite's default, said out loud): the dev server answers /chat/<username> with index.html
  // too, as the production server does (contract v2 "Web addresses").
  appType: 'spa',
  server: {
    host: true,
    port: 5173,
    proxy: {
      '/api': { target: apiTarget, changeOrigin: false },
      '/socket.io': { target: apiTarget, ws: true, changeOrigin: false },
    },
  },
  // No source maps in the served build: they would publish the source to anyone (issue 11).
  build: { outDir: 'dist', sourcemap: false },
});
