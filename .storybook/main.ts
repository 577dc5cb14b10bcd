import type { StorybookConfig } from '@storybook/react-vite';

/**
 * Storybook for react-coze-auth. Every story runs the real library against the in-memory Coze
 * model from `react-coze-auth/testing`, so Storybook needs no network and no server.
 */
const config: StorybookConfig = {
  stories: ['../stories/**/*.mdx', '../stories/**/*.stories.@(ts|tsx)'],
  addons: ['@storybook/addon-docs', '@storybook/addon-a11y'],
  framework: {
    name: '@storybook/react-vite',
    // The root vite.config.ts builds the library (lib mode, externals): Storybook gets its own.
    options: { builder: { viteConfigPath: '.storybook/vite.config.ts' } },
  },
  core: { disableTelemetry: true, disableWhatsNewNotifications: true },
  // The preview bundles React, @coze/api and axios for every story; that is expected here.
  viteFinal: async (viteConfig) => {
    const { mergeConfig } = await import('vite');
    return mergeConfig(viteConfig, { build: { chunkSizeWarningLimit: 4096 } });
  },
};

export default config;
