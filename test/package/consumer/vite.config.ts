import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// A plain app build, as a user's would be: nothing aliased, react-coze-auth comes from node_modules.
export default defineConfig({ plugins: [react()], build: { target: 'es2022' } });
