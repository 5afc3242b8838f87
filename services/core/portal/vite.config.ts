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
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      output: {
        // Libraries change less often than our pages: separate chunks stay cached across portal releases.
        manualChunks(id) {
          if (!id.includes('node_modules')) return undefined;
          if (/node_modules\/(\.pnpm\/)?(react|react-dom|react-router|react-router-dom|scheduler)[@/]/.test(id)) return 'react';
          if (id.includes('@ant-design/icons')) return 'antd-icons';
          if (/node_modules\/(\.pnpm\/)?antd[@/]/.test(id)) return 'antd';
          return 'vendor';
        },
      },
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
