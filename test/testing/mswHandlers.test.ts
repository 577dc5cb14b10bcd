// @vitest-environment node
import { ChatEventType, CozeAPI, RoleType } from '@coze/api';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_COZE_BOT, echoAnswer, TEST_API_ORIGIN, TEST_CLIENT_ID, TEST_WEB_ORIGIN, type CozeModel, type CozeTokenResponse } from '../../src/testing/index';
import { cozeHandlers } from '../../src/testing/msw';
import { APP, callbackParams, createTestModel, exchangeBody, pkceAuthorizeUrl, refreshBody, TOKEN_URL } from './modelHarness';

// Answers whatever the fake Coze leaves alone, to show that it falls through.
const fallback = http.all('*', () => HttpResponse.text('fallback'));
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function use(model: CozeModel): void {
  server.use(...cozeHandlers(model), fallback);
}

const postJson = (url: string, body: unknown) =>
  fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer ' }, body: JSON.stringify(body) });

describe('cozeHandlers (MSW)', () => {
  it('serves the whole flow through fetch', async () => {
    const { model } = createTestModel({ autoApprove: true });
    use(model);
    const authorize = await fetch(await pkceAuthorizeUrl(), { redirect: 'manual' });
    expect(authorize.status).toBe(302);
    const { code, state } = callbackParams(authorize.headers.get('Location') ?? '');
    expect(state).toBe('state-123');

    const exchanged = await postJson(TOKEN_URL, exchangeBody(code ?? ''));
    expect(exchanged.status).toBe(200);
    expect(exchanged.headers.get('x-tt-logid')).toBeTruthy();
    const tokens = (await exchanged.json()) as CozeTokenResponse;

    const me = await fetch(`${TEST_API_ORIGIN}/v1/users/me`, { headers: { Authorization: `Bearer ${tokens.access_token}` } });
    expect(((await me.json()) as { data: { user_name: string } }).data.user_name).toBe('coze_tester');
    expect((await postJson(TOKEN_URL, refreshBody(tokens.refresh_token))).status).toBe(200);
    expect(model.counters).toMatchObject({ authorize: 1, tokenExchange: 1, tokenRefresh: 1, api: 1 });
  });

  it('turns NETWORK_ERROR into a failed fetch', async () => {
    const { model } = createTestModel();
    use(model);
    model.failNext('api', 'network');
    await expect(fetch(`${TEST_API_ORIGIN}/v1/users/me`)).rejects.toThrow(TypeError);
    expect((await fetch(`${TEST_API_ORIGIN}/v1/users/me`)).status).toBe(401);
  });

  it('passes on URLs the model does not serve, on its origins and elsewhere', async () => {
    const { model } = createTestModel();
    use(model);
    expect(await (await fetch(`${TEST_API_ORIGIN}/v1/bots/list`)).text()).toBe('fallback');
    expect(await (await fetch(`${TEST_WEB_ORIGIN}/docs`)).text()).toBe('fallback');
    expect(await (await fetch('https://elsewhere.test/v1/users/me')).text()).toBe('fallback');
    expect(model.requestLog).toEqual([]);
  });

  it('keeps the body of a passed-on POST intact', async () => {
    const { model } = createTestModel();
    server.use(...cozeHandlers(model), http.post(`${TEST_API_ORIGIN}/v1/chat`, async ({ request }) => HttpResponse.text(await request.text())));
    const response = await fetch(`${TEST_API_ORIGIN}/v1/chat`, { method: 'POST', body: 'hello' });
    expect(await response.text()).toBe('hello');
  });

  it('answers CORS preflights', async () => {
    const { model } = createTestModel();
    use(model);
    const response = await fetch(TOKEN_URL, {
      method: 'OPTIONS',
      headers: { Origin: APP, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe(APP);
  });

  it('serves origins with ports', async () => {
    const { model } = createTestModel({ apiOrigin: 'http://127.0.0.1:4010', webOrigin: 'http://127.0.0.1:4011' });
    use(model);
    expect((await fetch('http://127.0.0.1:4010/v1/users/me')).status).toBe(401);
    expect((await fetch('http://127.0.0.1:4011/api/permission/oauth2/authorize')).status).toBe(400);
    expect(await (await fetch('http://127.0.0.1:4012/v1/users/me')).text()).toBe('fallback');
  });

  it('streams POST /v3/chat to @coze/api event by event, and stops the bot when the app aborts', async () => {
    // The model clock, read when the bot stamps its completed answer.
    const now = vi.fn(() => Date.now());
    const { model } = createTestModel({ chatChunkDelayMs: 30, now });
    use(model);
    const { access_token: token } = model.issueTokens({ clientId: TEST_CLIENT_ID });
    const client = new CozeAPI({ baseURL: TEST_API_ORIGIN, token });
    const additional_messages = [{ role: RoleType.User, content: 'one two three four', content_type: 'text' as const }];

    const arrivals: number[] = [];
    let answer = '';
    for await (const part of client.chat.stream({ bot_id: DEFAULT_COZE_BOT.bot_id, additional_messages })) {
      if (part.event !== ChatEventType.CONVERSATION_MESSAGE_DELTA) continue;
      arrivals.push(performance.now());
      answer += part.data.content;
    }
    expect(answer).toBe(echoAnswer('one two three four'));
    expect((arrivals.at(-1) ?? 0) - (arrivals[0] ?? 0)).toBeGreaterThanOrEqual(25 * (arrivals.length - 1));

    const abort = new AbortController();
    const events: string[] = [];
    let readsAtAbort = 0;
    for await (const part of client.chat.stream({ bot_id: DEFAULT_COZE_BOT.bot_id, additional_messages }, { signal: abort.signal })) {
      events.push(part.event);
      if (part.event === ChatEventType.CONVERSATION_MESSAGE_DELTA) {
        readsAtAbort = now.mock.calls.length;
        abort.abort();
      }
    }
    expect(events.at(-1)).toBe(ChatEventType.CONVERSATION_MESSAGE_DELTA);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(now.mock.calls.length).toBe(readsAtAbort);
  });
});
