import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** Vite config for Storybook only (the root vite.config.ts is the library build). */
export default defineConfig({
  plugins: [react()],
});
