import { createContext, useContext } from 'react';

/** How stories run: with a clock that follows real time (Storybook), or one moved only by play functions (tests). */
export interface StoryEnv {
  liveClock: boolean;
  /** The provider's `locale` (the toolbar's Language); `undefined` follows the browser. */
  locale?: string;
}

export const StoryEnvContext = createContext<StoryEnv>({ liveClock: true });

export function useStoryEnv(): StoryEnv {
  return useContext(StoryEnvContext);
}
