import { composeStories, setProjectAnnotations } from '@storybook/react-vite';
import axe from 'axe-core';
import { within } from 'storybook/test';
import { afterAll, beforeAll } from 'vitest';
import * as previewAnnotations from '../../.storybook/preview';

/**
 * The project annotations the stories run with in Vitest: the Storybook preview, with the story
 * clock moved only by play functions (in Storybook it follows real time).
 */
export const projectAnnotations = setProjectAnnotations([previewAnnotations, { parameters: { liveClock: false } }]);

type StoriesModule = Parameters<typeof composeStories>[0];

/** What the tests need of a composed story: loaders, render and play in one call. */
export interface RunnableStory {
  run(context?: { canvasElement?: HTMLElement }): Promise<void>;
}

/**
 * Every story module under stories/, composed with the project annotations; `globals` sets the
 * toolbar's globals (e.g. `{ locale: 'zh-CN' }`) for stories that do not pin their own.
 */
export function allStories(globals?: Record<string, unknown>): { title: string; stories: [string, RunnableStory][] }[] {
  const modules = import.meta.glob<StoriesModule>('../../stories/**/*.stories.tsx', { eager: true });
  return Object.entries(modules).map(([file, module]) => {
    const composed = globals ? composeStories(module, { initialGlobals: globals }) : composeStories(module);
    const title = (module.default as { title?: string } | undefined)?.title ?? file;
    return { title, stories: Object.entries(composed) as [string, RunnableStory][] };
  });
}

/**
 * Registers the hooks every story test file needs: Storybook's `beforeAll` (Testing Library
 * wired to React's act), and no act() warnings for the updates the stories make by themselves
 * (fake Coze answers, clock ticks), which no test drives.
 */
export function setUpStoryTests(): void {
  const actEnvironment = globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean };
  const previous = actEnvironment.IS_REACT_ACT_ENVIRONMENT;
  beforeAll(async () => {
    actEnvironment.IS_REACT_ACT_ENVIRONMENT = false;
    await projectAnnotations.beforeAll?.();
  });
  afterAll(() => {
    actEnvironment.IS_REACT_ACT_ENVIRONMENT = previous;
  });
}

/** Renders a story into a fresh container and runs its loaders and play function. */
export async function runStory(Story: RunnableStory): Promise<{ container: HTMLElement; canvas: ReturnType<typeof within> }> {
  const container = document.createElement('div');
  document.body.appendChild(container);
  await Story.run({ canvasElement: container });
  return { container, canvas: within(container) };
}

/** axe-core violations in `container`, one line each. */
export async function axeViolations(container: HTMLElement): Promise<string[]> {
  const results = await axe.run(container, {
    rules: {
      // jsdom cannot compute colours: the a11y addon checks contrast in the browser (npm run test:stories).
      'color-contrast': { enabled: false },
      // A story is a fragment of a page; Storybook's a11y addon disables this rule for the same reason.
      region: { enabled: false },
    },
  });
  return results.violations.map(
    (violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`,
  );
}
