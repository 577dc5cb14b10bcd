import type { Preview } from '@storybook/react-vite';
import { StoryEnvContext } from '../stories/support/storyEnv';
import '../stories/support/stories.css';
import { storyLocale } from '../stories/support/storyLocale';

const preview: Preview = {
  globalTypes: {
    locale: {
      description: 'Language of the library’s components (the provider’s `locale` prop)',
      toolbar: {
        title: 'Language',
        icon: 'globe',
        items: [
          { value: 'en', title: 'English', right: 'en' },
          { value: 'zh-CN', title: '简体中文', right: 'zh-CN' },
          { value: 'auto', title: 'Browser language (no locale prop)', right: 'auto' },
        ],
        dynamicTitle: true,
      },
    },
  },
  initialGlobals: { locale: 'en' },
  decorators: [
    // `liveClock: false` (set by the Vitest run) leaves the story clock to play functions.
    // `locale` (the toolbar's Language) goes to the stories' <CozeAuthProvider>.
    (Story, { parameters, globals }) => (
      <StoryEnvContext.Provider value={{ liveClock: parameters.liveClock !== false, locale: storyLocale(globals) }}>
        <Story />
      </StoryEnvContext.Provider>
    ),
  ],
  parameters: {
    layout: 'fullscreen',
    // Accessibility violations fail the story's a11y check (addon panel, and the browser check).
    a11y: { test: 'error' },
    options: {
      storySort: {
        order: ['Getting started', 'Components', ['CozeLoginButton', 'CozeCallback', 'RequireCozeAuth'], 'Languages', 'Hooks', 'Flows', 'Examples'],
      },
    },
  },
};

export default preview;
