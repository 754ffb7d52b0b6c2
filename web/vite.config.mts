import { resolve } from 'node:path';
import { defineConfig } from 'vite';

// The dashboard SPA: built into dist/web and served by the Nest server at `/` (API under /api).
// Vite 8 compiles TSX itself (automatic React runtime); no plugin needed.
export default defineConfig({
  root: resolve(import.meta.dirname),
  base: '/',
  publicDir: false,
  build: {
    outDir: resolve(import.meta.dirname, '..', 'dist', 'web'),
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 800,
    rolldownOptions: {
      // React libraries' "use client" directives mean nothing in a client-only bundle.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  server: { proxy: { '/api': 'http://localhost:3000' } },
});
