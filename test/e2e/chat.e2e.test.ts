/**
 * Chatting with a bot in a real browser: the demo's chat panel (demo/src/components/ChatPanel.tsx, on the e2e
 * app's /chat) streams answers from the fake Coze's `POST /v3/chat` through `useCozeClient()`.
 * Real time throughout (no page clock): the answer arrives chunk by chunk over a real connection,
 * Stop closes it, and 5-second tokens rotate while an answer is still streaming.
 */
import type { Locator, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { echoAnswer } from '../../src/testing/node';
import { answerChunks } from '../../src/testing/server/chatEndpoint';
import {
  chromiumForThisFile,
  expectNoConsoleErrors,
  isFailedResourceLog,
  probe,
  signInOnPage,
  startE2E,
  text,
  waitForStatus,
  waitForText,
  type E2E,
} from './support/harness';

const chromium = chromiumForThisFile();

/** The chat panel: a region named by its heading. */
function chatPanel(page: Page): Locator {
  return page.getByRole('region', { name: 'Chat with a bot' });
}

/** The streamed answer as the page shows it. */
async function answerText(page: Page): Promise<string> {
  return (await chatPanel(page).getByTestId('chat-answer').textContent()) ?? '';
}

/** Types the question and presses Ask. */
async function ask(page: Page, question: string): Promise<void> {
  const panel = chatPanel(page);
  await panel.getByLabel('Your question').fill(question);
  await panel.getByRole('button', { name: 'Ask' }).click();
}

/** Waits for the panel's status line ("Answer complete.", "Stopped.", …). */
async function waitForPhase(page: Page, phase: string, timeout = 15_000): Promise<void> {
  await expect
    .poll(async () => (await chatPanel(page).getByRole('status').textContent()) ?? '', { timeout, interval: 20 })
    .toBe(phase);
}

/** Records every text the answer box shows, with the time (performance.now) it was painted. */
async function recordAnswer(page: Page): Promise<void> {
  await page.evaluate(() => {
    const box = document.querySelector('[data-testid="chat-answer"]');
    const seen: { at: number; text: string }[] = [];
    (window as unknown as { __answerSeen: typeof seen }).__answerSeen = seen;
    if (box) {
      new MutationObserver(() => seen.push({ at: performance.now(), text: box.textContent ?? '' })).observe(box, {
        childList: true,
        characterData: true,
        subtree: true,
      });
    }
  });
}

async function recordedAnswer(page: Page): Promise<{ at: number; text: string }[]> {
  return page.evaluate(() => (window as unknown as { __answerSeen: { at: number; text: string }[] }).__answerSeen);
}

/** Opens /chat and signs in; returns once the page's own first API calls have landed. */
async function signedInOnChat(t: E2E): Promise<void> {
  await signInOnPage(t, { path: '/chat' });
  await waitForText(t.page, 'path', '/chat');
  await waitForText(t.page, 'client-user-name', 'Coze Tester');
}

/** Does Coze accept this access token right now? (Asked from Node, not through the app.) */
async function cozeAccepts(t: E2E, accessToken: string): Promise<boolean> {
  const response = await fetch(`${t.server.apiOrigin}/v1/users/me`, { headers: { Authorization: `Bearer ${accessToken}` } });
  return response.status === 200;
}

async function expectNoChatError(page: Page): Promise<void> {
  expect(await chatPanel(page).getByRole('alert').count()).toBe(0);
}

describe('chat', () => {
  test('a. the answer streams in, chunk by chunk, and ends as the bot\'s answer', async (ctx) => {
    const delayMs = 60;
    const t = await startE2E(ctx, chromium.browser, { chatChunkDelayMs: delayMs });
    await signedInOnChat(t);
    t.model.resetCounters();
    await recordAnswer(t.page);

    const question = 'How do single page apps sign in to Coze without a client secret?';
    const expected = echoAnswer(question);
    const chunks = answerChunks(expected).length;
    await ask(t.page, question);
    await waitForPhase(t.page, 'Answer complete.');
    expect(await answerText(t.page)).toBe(expected);

    // Painted as it arrived: many growing prefixes of the answer, spread over the chunks' pauses
    // (a transport that buffered the stream would paint the whole answer at once).
    const painted = (await recordedAnswer(t.page)).filter((seen) => seen.text !== '' && seen.text !== 'Waiting for the bot…');
    const texts = painted.map((seen) => seen.text);
    expect(texts.at(-1)).toBe(expected);
    for (const [index, seen] of texts.entries()) {
      expect(expected.startsWith(seen), `painted text ${index} is a prefix of the answer`).toBe(true);
      if (index > 0) expect(seen.length).toBeGreaterThan(texts[index - 1]?.length ?? 0);
    }
    expect(texts.length).toBeGreaterThanOrEqual(chunks / 2);
    const spreadMs = (painted.at(-1)?.at ?? 0) - (painted[0]?.at ?? 0);
    expect(spreadMs).toBeGreaterThanOrEqual(delayMs * (chunks - 1) * 0.8);

    expect(t.model.counters).toMatchObject({ chat: 1, chatStopped: 0, apiUnauthorized: 0, tokenRefresh: 0 });
    await expectNoChatError(t.page);
    expectNoConsoleErrors(t.log());
  });

  test('b. Stop mid-answer: the text stops growing, Coze sees the chat stopped, and the panel answers the next question', async (ctx) => {
    const delayMs = 150;
    const t = await startE2E(ctx, chromium.browser, { chatChunkDelayMs: delayMs });
    await signedInOnChat(t);
    t.model.resetCounters();

    const question = 'Please tell me slowly about every step of the OAuth authorization code flow with PKCE';
    const expected = echoAnswer(question);
    await ask(t.page, question);
    // A few chunks in ("You said: " is the first two).
    await expect.poll(async () => (await answerText(t.page)).length, { timeout: 10_000, interval: 20 }).toBeGreaterThan('You said: '.length + 8);
    await chatPanel(t.page).getByRole('button', { name: 'Stop' }).click();
    await waitForPhase(t.page, 'Stopped.');
    const stoppedAt = await answerText(t.page);
    expect(expected.startsWith(stoppedAt)).toBe(true);
    expect(stoppedAt.length).toBeLessThan(expected.length);

    // Coze saw the connection close and stopped the bot (counted once, when it noticed).
    await expect.poll(() => t.model.counters.chatStopped, { timeout: 5_000, interval: 20 }).toBe(1);
    // Five chunks' pauses later nothing more has arrived.
    await new Promise((resolve) => setTimeout(resolve, 5 * delayMs));
    expect(await answerText(t.page)).toBe(stoppedAt);
    expect(t.model.counters).toMatchObject({ chat: 1, chatStopped: 1, apiUnauthorized: 0 });
    await expectNoChatError(t.page);

    // Usable again: Ask is enabled, Stop is not, and the next question is answered in full.
    const panel = chatPanel(t.page);
    expect(await panel.getByRole('button', { name: 'Ask' }).isEnabled()).toBe(true);
    expect(await panel.getByRole('button', { name: 'Stop' }).isEnabled()).toBe(false);
    t.model.setChatChunkDelay(20);
    const next = 'And now briefly';
    await ask(t.page, next);
    await waitForPhase(t.page, 'Answer complete.');
    expect(await answerText(t.page)).toBe(echoAnswer(next));
    expect(t.model.counters).toMatchObject({ chat: 2, chatStopped: 1, apiUnauthorized: 0 });
    expectNoConsoleErrors(t.log());
  });

  test('c. 5-second tokens: an answer longer than a token\'s life streams to the end, and the next question goes out with the rotated token', async (ctx) => {
    const ttlSeconds = 5;
    const delayMs = 250;
    const t = await startE2E(ctx, chromium.browser, { accessTokenTtlSeconds: ttlSeconds, chatChunkDelayMs: delayMs });
    await signedInOnChat(t);
    const firstToken = await text(t.page, 'access-token');
    t.model.resetCounters();

    const question = 'Tell me a long story about tokens that expire while a bot is still talking to a user';
    const expected = echoAnswer(question);
    expect(answerChunks(expected).length * delayMs, 'the answer outlasts a token').toBeGreaterThan(ttlSeconds * 1_000);
    const askedAt = Date.now();
    await ask(t.page, question);
    await waitForPhase(t.page, 'Answer complete.', 20_000);
    const answeredAt = Date.now();
    expect(answeredAt - askedAt).toBeGreaterThan(ttlSeconds * 1_000);
    expect(await answerText(t.page)).toBe(expected);

    // The session refreshed while the answer streamed; the stream went on regardless.
    expect(t.model.counters.tokenRefresh).toBeGreaterThanOrEqual(1);
    const { events } = await probe(t.page);
    const refreshedDuringAnswer = events.filter((event) => event.type === 'refreshed' && event.at >= askedAt && event.at <= answeredAt);
    expect(refreshedDuringAnswer.length).toBeGreaterThanOrEqual(1);
    const rotatedToken = await text(t.page, 'access-token');
    expect(rotatedToken).not.toBe(firstToken);

    // The conversation continues on the rotated token.
    t.model.setChatChunkDelay(40);
    const next = 'Did my session survive that?';
    await ask(t.page, next);
    await waitForPhase(t.page, 'Answer complete.');
    expect(await answerText(t.page)).toBe(echoAnswer(next));

    const observed = await probe(t.page);
    expect(t.model.counters).toMatchObject({ chat: 2, chatStopped: 0, apiUnauthorized: 0, tokenErrors: 0 });
    expect(t.model.counters.tokenRefresh).toBeGreaterThanOrEqual(1);
    expect(observed.signedOutTransitions).toBe(0);
    expect(observed.api401 + observed.apiFail).toBe(0);
    expect(await text(t.page, 'status')).toBe('signed-in');
    await expectNoChatError(t.page);
    // The first answer outlived the token it was asked with: Coze no longer takes that one.
    expect(await cozeAccepts(t, firstToken)).toBe(false);
    expectNoConsoleErrors(t.log());
  });

  test('d. Coze rejects the token of the next chat (401 before the first event): the library renews it and the answer streams', async (ctx) => {
    const t = await startE2E(ctx, chromium.browser, { chatChunkDelayMs: 20 });
    await signedInOnChat(t);
    await t.settle(300);
    const oldToken = await text(t.page, 'access-token');
    t.model.resetCounters();
    t.model.failNext('api', { status: 401 });

    const question = 'Are you still there?';
    await ask(t.page, question);
    await waitForPhase(t.page, 'Answer complete.');
    expect(await answerText(t.page)).toBe(echoAnswer(question));
    await expectNoChatError(t.page);

    // One 401, one renewal, one retry of the same chat, which streamed.
    const requests = t.model.requestLog.filter((entry) => entry.kind !== 'preflight').map((entry) => `${entry.kind} ${entry.status}`);
    expect(requests).toEqual(['chat 401', 'token-refresh 200', 'chat 200']);
    expect(t.model.counters).toMatchObject({ chat: 2, apiUnauthorized: 1, tokenRefresh: 1, tokenErrors: 0, chatStopped: 0 });
    expect(await text(t.page, 'access-token')).not.toBe(oldToken);
    expect(await text(t.page, 'status')).toBe('signed-in');
    // Chromium logs the deliberate 401 as a failed resource; nothing else may appear.
    expectNoConsoleErrors(t.log(), isFailedResourceLog);
  });

  test('d2. the session revoked at Coze (refresh token too): the chat fails with the 401, the app shows the auth error, nothing loops', async (ctx) => {
    const t = await startE2E(ctx, chromium.browser, { chatChunkDelayMs: 20 });
    await signedInOnChat(t);
    await t.settle(300);
    expect(t.model.revokeSession(await text(t.page, 'access-token'))).toBe(true);
    t.model.resetCounters();

    await ask(t.page, 'Still signed in?');
    await waitForStatus(t.page, 'signed-out');
    await waitForText(t.page, 'error-code', 'invalid_grant');
    const alert = chatPanel(t.page).getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('Coze no longer accepts this session (401)');
    expect(await answerText(t.page)).toBe('');
    expect(await chatPanel(t.page).getByRole('button', { name: 'Ask' }).isEnabled()).toBe(true);

    await t.settle();
    const requests = t.model.requestLog.filter((entry) => entry.kind !== 'preflight').map((entry) => `${entry.kind} ${entry.status}`);
    expect(requests).toEqual(['chat 401', 'token-refresh 400']);
    expect(t.model.counters).toMatchObject({ chat: 1, apiUnauthorized: 1, tokenRefresh: 1, tokenErrors: 1 });
    expectNoConsoleErrors(t.log(), isFailedResourceLog);
  });
});
