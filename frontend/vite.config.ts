/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// `npm run dev` serves on http://localhost:5173 (a redirect URI the dev issuer accepts) and
// proxies the API to `make run` on :8080; sign-in goes to the issuer there directly.
const backend = process.env.CITYHALL_URL ?? 'http://localhost:8080';

export default defineConfig(({ command }) => ({
  plugins: [react()],
  server: {
    port: 5173,
    strictPort: true,
    proxy: {
      '/v1': backend,
      '/openapi.json': backend,
    },
  },
  define: {
    // The issuer for `npm run dev` only; the built app reads /config.json (see src/config.ts).
    __DEV_ISSUER__: JSON.stringify(command === 'serve' ? `${backend}/oidc` : ''),
  },
  build: {
    outDir: 'dist',
    target: 'es2022',
    // Reference data (JSON) is always a separate, lazily fetched file, never inlined.
    assetsInlineLimit: (file) => (file.endsWith('.json') ? false : undefined),
    chunkSizeWarningLimit: 700,
  },
  test: {
    environment: 'jsdom',
    globals: true,
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['src/test/setup.ts'],
    css: false,
    testTimeout: 30000,
    pool: 'threads',
  },
}));
