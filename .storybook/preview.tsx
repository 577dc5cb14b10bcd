import type { Preview } from '@storybook/react-vite';
import { StoryEnvContext } from '../stories/support/storyEnv';
import '../stories/support/stories.css';

const preview: Preview = {
  decorators: [
    // `liveClock: false` (set by the Vitest run) leaves the story clock to play functions.
    (Story, { parameters }) => (
      <StoryEnvContext.Provider value={{ liveClock: parameters.liveClock !== false }}>
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
        order: ['Getting started', 'Components', ['CozeLoginButton', 'CozeCallback', 'RequireCozeAuth'], 'Hooks', 'Flows', 'Examples'],
      },
    },
  },
};

export default preview;
