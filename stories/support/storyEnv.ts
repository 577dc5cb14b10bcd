import { createContext, useContext } from 'react';

/** How stories run: with a clock that follows real time (Storybook), or one moved only by play functions (tests). */
export interface StoryEnv {
  liveClock: boolean;
}

export const StoryEnvContext = createContext<StoryEnv>({ liveClock: true });

export function useStoryEnv(): StoryEnv {
  return useContext(StoryEnvContext);
}
