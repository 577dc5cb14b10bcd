import { expect, test } from 'vitest';
import { startE2E, useChromium, text, probe } from './support/harness';

const chromium = useChromium();

test('spike', async (ctx) => {
  const t = await startE2E(ctx, chromium.browser);
  await t.open(t.page, '/', {}, { returnTo: '/dashboard?tab=2' });
  await t.signIn();
  console.log(t.page.url(), await text(t.page, 'status'));
  await t.page.getByTestId('user-name').filter({ hasText: /./ }).waitFor();
  console.log(await text(t.page, 'user-name'), await text(t.page, 'client-user-name'));
  console.log(t.model.counters, t.log());
  console.log(await probe(t.page));
  expect(1).toBe(1);
});
