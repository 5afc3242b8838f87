import { defineConfig } from 'vite';

/**
 * No React plugin: esbuild compiles TSX with the automatic runtime, which is
 * all a production build needs (fast refresh is a dev nicety we skip).
 * During `pnpm dev`, API and session calls go to a core on CORE_URL.
 */
const core = process.env.CORE_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      // antd marks its modules "use client" for React Server Components; meaningless in a bundle.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  server: {
    proxy: { '/api': core, '/c': core },
  },
});
