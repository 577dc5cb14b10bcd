import type { NextConfig } from 'next';

const config: NextConfig = {
  // This app lives inside the library's repository, which has its own lockfile: pin the project
  // root here, or Next would pick the repository root for tracing and Turbopack.
  outputFileTracingRoot: __dirname,
  turbopack: { root: __dirname },
  // The tests build the app twice (default storage, worker vault) side by side.
  distDir: process.env.NEXT_DIST_DIR || '.next',
};

export default config;
