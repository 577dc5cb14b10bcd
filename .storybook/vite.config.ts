import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** Vite config for Storybook only (the root vite.config.ts is the library build). */
export default defineConfig({
  plugins: [react()],
  resolve: {
    // Stories import the sources (`../src/index`); the demo components some of them show import
    // the package by name, as an app would: both must be the same module (one React context).
    alias: [{ find: /^react-coze-auth$/, replacement: fileURLToPath(new URL('../src/index.ts', import.meta.url)) }],
  },
});
