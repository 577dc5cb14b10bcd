import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['dist', 'storybook-static', 'node_modules', 'test-results', 'coverage', 'bench/results', 'examples/*/.next', 'examples/*/.next-*', 'examples/*/dist', 'examples/*/next-env.d.ts'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Tokens must never reach a console; the library logs nothing.
      'no-console': 'error',
    },
  },
  {
    // Node scripts; TypeScript checks globals in .ts files, so no-undef only matters here.
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', fetch: 'readonly' },
    },
  },
  {
    files: ['test/**', 'demo/**', 'bench/**', 'stories/**', '.storybook/**', 'src/testing/server/cli.ts', '.ci/**', 'scripts/**'],
    rules: { 'no-console': 'off' },
  },
);
