import { afterEach, describe, expect, it } from 'vitest';
import { allStories, axeViolations, runStory, setUpStoryTests } from './portableStories';

// Every story in stories/ renders, its play function passes, and axe finds nothing: a story
// that throws, or whose interaction fails, fails `npm test`.
setUpStoryTests();

let container: HTMLElement | undefined;
afterEach(() => {
  container?.remove();
  container = undefined;
});

for (const { title, stories } of allStories()) {
  describe(title, () => {
    for (const [name, Story] of stories) {
      it(`${name}: renders, play passes, no axe violations`, async () => {
        ({ container } = await runStory(Story));
        expect(container.childElementCount).toBeGreaterThan(0);
        expect(await axeViolations(container)).toEqual([]);
      });
    }
  });
}

// The components' stories again with the toolbar's Language on 简体中文: their play functions
// look for the Chinese text, and axe checks it (with its lang="zh-CN").
for (const { title, stories } of allStories({ locale: 'zh-CN' }).filter(({ title }) => title.startsWith('Components/'))) {
  describe(`${title} (zh-CN)`, () => {
    for (const [name, Story] of stories) {
      it(`${name}: renders, play passes, no axe violations`, async () => {
        ({ container } = await runStory(Story));
        expect(container.childElementCount).toBeGreaterThan(0);
        expect(await axeViolations(container)).toEqual([]);
      });
    }
  });
}
