import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        // One bundle per door and per process: the Electron shell, the Node-only CLI
        // (which also hosts `serve`) and the training/inference worker.
        input: {
          index: resolve('src-main/desktop/index.ts'),
          cli: resolve('src-main/cli/index.ts'),
          worker: resolve('src-main/core/worker-entry.ts'),
          'import-write-thread': resolve('src-main/core/catalog/import-write-thread.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve('src-preload/index.ts') },
        // A sandboxed preload cannot load ES modules.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'src-renderer',
    plugins: [svelte()],
    build: {
      outDir: 'out/renderer',
      rollupOptions: { input: { index: resolve('src-renderer/index.html') } },
    },
  },
});
