// The project's Vitest config, run against React 18 (`npm run test:react18`).
//
// React 18 lives in scripts/react18/node_modules, apart from the root's React 19, so that its
// react-dom resolves *its* react when Node loads it (an alias package in the root would give
// react-dom@18 the root's react@19). Code Vite transforms (src, test, and the inlined libraries
// below) reaches it through these aliases; everything else keeps loading natively.
//
// Only the test files that reach React run here (scripts/react18-tests.mjs says which and why):
// the React-free ones (core, vault, the fake Coze server) would run the same code as in the
// default run on React 19, a second time, for nothing.
import { fileURLToPath } from 'node:url';
import { defineConfig, mergeConfig } from 'vitest/config';
import base from '../vitest.config.ts';
import { classifyTestFiles } from './react18-tests.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const react18 = fileURLToPath(new URL('./react18/node_modules', import.meta.url));

const { react: reactTestFiles } = classifyTestFiles();
// The test that proves this run is on React 18 (COZE_EXPECT_REACT_MAJOR below) must be in it.
if (!reactTestFiles.includes('test/package/reactVersion.test.tsx')) {
  throw new Error('test:react18: test/package/reactVersion.test.tsx is not among the React 18 test files');
}

const config = mergeConfig(
  base,
  defineConfig({
    root,
    resolve: {
      alias: [
        { find: /^react$/, replacement: `${react18}/react/index.js` },
        { find: /^react\/(.*)$/, replacement: `${react18}/react/$1` },
        { find: /^react-dom$/, replacement: `${react18}/react-dom/index.js` },
        { find: /^react-dom\/(.*)$/, replacement: `${react18}/react-dom/$1` },
        // Its package "main" is CommonJS, which Node would load natively (bypassing the aliases);
        // point at its ES module build so Vite transforms it.
        {
          find: /^@testing-library\/react$/,
          replacement: `${root}node_modules/@testing-library/react/dist/@testing-library/react.esm.js`,
        },
      ],
    },
    test: {
      // Libraries that import React themselves (Testing Library, TanStack Query, Storybook's
      // renderer for test/stories) must go through the aliases too, or they bring the root's
      // React 19: "Invalid hook call" or "A React Element from an older version of React".
      server: { deps: { inline: ['@testing-library/react', '@tanstack/react-query', /@storybook\//] } },
      env: { COZE_EXPECT_REACT_MAJOR: '18' },
    },
  }),
);
// mergeConfig concatenates arrays: set the file list after the merge, in place of the base glob.
config.test!.include = reactTestFiles;

export default config;
