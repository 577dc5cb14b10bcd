// @vitest-environment node
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_COZE_BOT, echoAnswer, TEST_API_ORIGIN, TEST_CLIENT_ID, type CozeBot, type CozeModel } from '../../src/testing/index';
import { answerChunks } from '../../src/testing/server/chatEndpoint';
import { APP, createTestModel, expectUnauthorized, respond, T0 } from './modelHarness';

const CHAT_URL = `${TEST_API_ORIGIN}/v3/chat`;
const BOT_ID = DEFAULT_COZE_BOT.bot_id;
const CREATED_AT = Math.floor(T0 / 1000);

afterEach(() => {
  vi.useRealTimers();
});

interface ChatRequestOptions {
  query?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** A `POST /v3/chat` as `@coze/api` sends it: JSON body, bearer token, conversation in the query. */
function chatRequest(body: unknown, token: string | undefined, { query = '', headers = {}, signal }: ChatRequestOptions = {}): Request {
  return new Request(`${CHAT_URL}${query}`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      ...(token === undefined ? {} : { Authorization: `Bearer ${token}` }),
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    ...(signal ? { signal } : {}),
  });
}

function ask(question: string, extra: Record<string, unknown> = {}) {
  return {
    bot_id: BOT_ID,
    user_id: 'end-user-1',
    stream: true,
    auto_save_history: true,
    additional_messages: [{ role: 'user', content: question, content_type: 'text' }],
    ...extra,
  };
}

function tokenOf(model: CozeModel): string {
  return model.issueTokens({ clientId: TEST_CLIENT_ID }).access_token;
}

interface SseEvent {
  event: string;
  data: unknown;
}

/** Splits an event stream the strict way: every block is exactly `event:<name>\ndata:<JSON>`. */
function parseEventStream(text: string): SseEvent[] {
  expect(text.endsWith('\n\n')).toBe(true);
  return text
    .slice(0, -2)
    .split('\n\n')
    .map((block) => {
      const match = /^event:([a-z._]+)\ndata:(.+)$/.exec(block);
      if (!match?.[1] || !match[2]) throw new Error(`not a Coze event block: ${JSON.stringify(block)}`);
      return { event: match[1], data: JSON.parse(match[2]) as unknown };
    });
}

async function streamedChat(model: CozeModel, body: unknown, options?: ChatRequestOptions) {
  const response = await respond(model, chatRequest(body, tokenOf(model), options));
  expect(response.status).toBe(200);
  expect(response.headers.get('Content-Type')).toBe('text/event-stream; charset=utf-8');
  return { response, events: parseEventStream(await response.text()) };
}

const dataOf = <T>(events: SseEvent[], event: string): T[] => events.filter((item) => item.event === event).map((item) => item.data as T);

interface ChatMessage {
  id: string;
  type: string;
  content: string;
  chat_id: string;
}

describe('POST /v3/chat, stream: true', () => {
  it('streams the chat in Coze\'s event sequence, framing and shapes', async () => {
    const { model } = createTestModel();
    const { response, events } = await streamedChat(model, ask('What is PKCE?'));
    expect(response.headers.get('Cache-Control')).toBe('no-cache');
    expect(response.headers.get('x-tt-logid')).toMatch(/^[0-9A-F]{34}$/);

    const answer = 'You said: What is PKCE?';
    const chunks = answerChunks(answer);
    expect(chunks.length).toBeGreaterThan(3);
    expect(events.map((item) => item.event)).toEqual([
      'conversation.chat.created',
      'conversation.chat.in_progress',
      ...chunks.map(() => 'conversation.message.delta'),
      'conversation.message.completed',
      'conversation.message.completed',
      'conversation.chat.completed',
      'done',
    ]);

    const [created] = dataOf<{ id: string; conversation_id: string }>(events, 'conversation.chat.created');
    const chatId = created?.id ?? '';
    const conversationId = created?.conversation_id ?? '';
    expect(chatId).toMatch(/^7\d{18}$/);
    expect(conversationId).toMatch(/^7\d{18}$/);
    const chat = {
      id: chatId,
      conversation_id: conversationId,
      bot_id: BOT_ID,
      created_at: CREATED_AT,
      last_error: { code: 0, msg: '' },
      usage: { token_count: 0, output_count: 0, input_count: 0 },
      section_id: conversationId,
    };
    expect(created).toEqual({ ...chat, status: 'created' });
    expect(dataOf(events, 'conversation.chat.in_progress')).toEqual([{ ...chat, status: 'in_progress' }]);

    const deltas = dataOf<ChatMessage>(events, 'conversation.message.delta');
    const messageId = deltas[0]?.id ?? '';
    expect(messageId).toMatch(/^7\d{18}$/);
    const assistant = {
      conversation_id: conversationId,
      bot_id: BOT_ID,
      role: 'assistant',
      content_type: 'text',
      chat_id: chatId,
      section_id: conversationId,
    };
    expect(deltas).toEqual(chunks.map((content) => ({ ...assistant, id: messageId, type: 'answer', content })));
    expect(deltas.map((delta) => delta.content).join('')).toBe(answer);

    const [completedAnswer, verbose] = dataOf<ChatMessage>(events, 'conversation.message.completed');
    const stamps = { created_at: CREATED_AT, updated_at: CREATED_AT };
    expect(completedAnswer).toEqual({ ...assistant, ...stamps, id: messageId, type: 'answer', content: answer });
    expect(verbose).toEqual({ ...assistant, ...stamps, id: expect.stringMatching(/^7\d{18}$/), type: 'verbose', content: expect.any(String) });
    expect(verbose?.id).not.toBe(messageId);
    const finish = JSON.parse(verbose?.content ?? '') as { msg_type: string; data: string };
    expect(finish).toEqual({ msg_type: 'generate_answer_finish', data: expect.any(String), from_module: null, from_unit: null });
    expect(JSON.parse(finish.data)).toEqual({ finish_reason: 0, FinData: '' });

    expect(dataOf(events, 'conversation.chat.completed')).toEqual([
      {
        ...chat,
        completed_at: CREATED_AT,
        status: 'completed',
        usage: { token_count: 3 + chunks.length, output_count: chunks.length, input_count: 3 },
      },
    ]);
    // Coze sends the JSON string "[DONE]": `data:"[DONE]"`.
    expect(dataOf(events, 'done')).toEqual(['[DONE]']);
  });

  it('answers the last user message, on the model clock', async () => {
    const { model, clock } = createTestModel();
    const body = ask('ignored', {
      additional_messages: [
        { role: 'user', content: 'first question', content_type: 'text' },
        { role: 'assistant', type: 'answer', content: 'first answer', content_type: 'text' },
        { role: 'user', content: 'second question', content_type: 'text' },
      ],
    });
    const response = await respond(model, chatRequest(body, tokenOf(model)));
    await clock.advance(5_000);
    const events = parseEventStream(await response.text());
    const [answer] = dataOf<ChatMessage>(events, 'conversation.message.completed');
    expect(answer?.content).toBe('You said: second question');
    // Created when asked, completed when the last chunk went out.
    expect(dataOf(events, 'conversation.chat.completed')).toEqual([
      expect.objectContaining({ created_at: CREATED_AT, completed_at: CREATED_AT + 5 }),
    ]);
  });

  it('reads the text items of object_string (multimodal) content', async () => {
    const { model } = createTestModel();
    const content = JSON.stringify([
      { type: 'text', text: 'Describe' },
      { type: 'image', file_url: 'https://example.test/cat.png' },
      { type: 'text', text: 'this' },
    ]);
    const { events } = await streamedChat(model, ask('', { additional_messages: [{ role: 'user', content, content_type: 'object_string' }] }));
    expect(dataOf<ChatMessage>(events, 'conversation.message.completed')[0]?.content).toBe('You said: Describe\nthis');
  });

  it('answers a greeting from the echo bot\'s fixed table, and 你好 too', () => {
    expect(echoAnswer('hello there')).toMatch(/^Hello! I am the echo bot/);
    expect(echoAnswer('你好')).toMatch(/^Hello! I am the echo bot/);
    expect(echoAnswer('  What is PKCE?  ')).toBe('You said: What is PKCE?');
    expect(echoAnswer('')).toBe('I only read text messages.');
  });

  it('talks as a registered bot, with its answer and follow-up suggestions', async () => {
    const oracle: CozeBot = {
      bot_id: '7400000000000000042',
      name: 'Oracle',
      answer: (question) => `42 is the answer to "${question}"`,
      followUps: ['Why 42?', 'What is the question?'],
    };
    const { model } = createTestModel({ bots: [oracle] });
    const { events } = await streamedChat(model, ask('life', { bot_id: oracle.bot_id }));
    const completed = dataOf<ChatMessage & { bot_id: string }>(events, 'conversation.message.completed');
    expect(completed.map((item) => [item.type, item.type === 'verbose' ? '…' : item.content])).toEqual([
      ['answer', '42 is the answer to "life"'],
      ['verbose', '…'],
      ['follow_up', 'Why 42?'],
      ['follow_up', 'What is the question?'],
    ]);
    expect(new Set(completed.map((item) => item.bot_id))).toEqual(new Set([oracle.bot_id]));
    expect(events.at(-2)?.event).toBe('conversation.chat.completed');
    // Registering bots replaces the default one.
    const refused = await respond(model, chatRequest(ask('hi'), tokenOf(model)));
    expect(await refused.json()).toMatchObject({ code: 4200 });
  });

  it('keeps the conversation_id of the query, and echoes meta_data', async () => {
    const { model } = createTestModel();
    const { events } = await streamedChat(model, ask('hi', { meta_data: { ticket: 'T-1' } }), { query: '?conversation_id=7300000000000000001' });
    for (const name of ['conversation.chat.created', 'conversation.chat.completed']) {
      expect(dataOf(events, name)).toEqual([
        expect.objectContaining({ conversation_id: '7300000000000000001', section_id: '7300000000000000001', meta_data: { ticket: 'T-1' } }),
      ]);
    }
    expect(dataOf(events, 'conversation.message.delta')).toContainEqual(expect.objectContaining({ conversation_id: '7300000000000000001' }));
  });

  it('cuts the answer into words, and long runs without spaces every 6 characters', () => {
    expect(answerChunks('You said: What is PKCE?')).toEqual(['You ', 'said: ', 'What ', 'is ', 'PKCE?']);
    expect(answerChunks('2024年10月1日是星期三。')).toEqual(['2024年1', '0月1日是星', '期三。']);
    expect(answerChunks('')).toEqual([]);
  });
});

describe('POST /v3/chat, stream: false', () => {
  it('answers the chat in Coze\'s envelope, in progress', async () => {
    const { model } = createTestModel();
    const response = await respond(model, chatRequest(ask('hi', { stream: false }), tokenOf(model)));
    expect(response.status).toBe(200);
    const logid = response.headers.get('x-tt-logid');
    expect(await response.json()).toEqual({
      code: 0,
      msg: '',
      data: {
        id: expect.stringMatching(/^7\d{18}$/),
        conversation_id: expect.stringMatching(/^7\d{18}$/),
        bot_id: BOT_ID,
        created_at: CREATED_AT,
        last_error: { code: 0, msg: '' },
        status: 'in_progress',
        usage: { token_count: 0, output_count: 0, input_count: 0 },
        section_id: expect.any(String),
      },
      detail: { logid },
    });
  });
});

describe('POST /v3/chat: refusals', () => {
  it.each([
    ['no Authorization header', undefined],
    ['an unknown token', 'at_unknown'],
  ])('answers %s with 401 code 4100', async (_, token) => {
    const { model } = createTestModel();
    await expectUnauthorized(await respond(model, chatRequest(ask('hi'), token)));
  });

  it('answers an expired or revoked token with 401 code 4100, and counts chats as TEST_API_ORIGIN calls', async () => {
    const { model, clock } = createTestModel({ accessTokenTtlSeconds: 60 });
    const expired = tokenOf(model);
    await clock.advance(60_000);
    await expectUnauthorized(await respond(model, chatRequest(ask('hi'), expired)));
    const revoked = tokenOf(model);
    model.revokeSession(revoked);
    await expectUnauthorized(await respond(model, chatRequest(ask('hi'), revoked)));
    await (await respond(model, chatRequest(ask('hi'), tokenOf(model)))).text();
    expect(model.counters).toMatchObject({ chat: 3, api: 3, apiUnauthorized: 2 });
    expect(model.requestLog.map((entry) => [entry.method, entry.path, entry.kind, entry.status])).toEqual([
      ['POST', '/v3/chat', 'chat', 401],
      ['POST', '/v3/chat', 'chat', 401],
      ['POST', '/v3/chat', 'chat', 200],
    ]);
  });

  it('answers an unknown bot_id with Coze\'s JSON error, code 4200, on HTTP 200', async () => {
    const { model } = createTestModel();
    const response = await respond(model, chatRequest(ask('hi', { bot_id: '7000000000000000000' }), tokenOf(model)));
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('application/json; charset=utf-8');
    expect(await response.json()).toEqual({
      code: 4200,
      msg: 'Requested resource bot_id=7000000000000000000 does not exist. Ensure you are the correct resource identifier.',
      detail: { logid: response.headers.get('x-tt-logid') },
    });
  });

  it.each([
    ['a body that is not JSON', '{"bot_id":'],
    ['a JSON array', '[]'],
    ['no bot_id', ask('hi', { bot_id: undefined })],
    ['no user message', ask('hi', { additional_messages: [{ role: 'assistant', content: 'hello', content_type: 'text' }] })],
    ['additional_messages that is not an array', ask('hi', { additional_messages: 'hi' })],
    ['object_string content that is not JSON', ask('hi', { additional_messages: [{ role: 'user', content: 'x', content_type: 'object_string' }] })],
  ])('answers %s with code 4000', async (_, body) => {
    const { model } = createTestModel();
    const response = await respond(model, chatRequest(body, tokenOf(model)));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ code: 4000, msg: expect.stringMatching(/^invalid parameter: /), detail: { logid: expect.any(String) } });
  });

  it('answers stream: false without history with code 4007', async () => {
    const { model } = createTestModel();
    const response = await respond(model, chatRequest(ask('hi', { stream: false, auto_save_history: false }), tokenOf(model)));
    expect(await response.json()).toMatchObject({ code: 4007, msg: 'stream=false is only allowed when auto_save_history=true' });
  });

  it('answers GET with 405', async () => {
    const { model } = createTestModel();
    const response = await respond(model, new Request(CHAT_URL));
    expect(response.status).toBe(405);
    expect(response.headers.get('Allow')).toBe('POST, OPTIONS');
  });

  it('fails with failNext(\'api\'), in the OpenAPI error shape', async () => {
    const { model } = createTestModel();
    model.failNext('api', { status: 503 });
    const response = await respond(model, chatRequest(ask('hi'), tokenOf(model)));
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ code: 5000 });
  });
});

describe('POST /v3/chat: CORS', () => {
  it('answers the preflight of a registered app, and lets it read the stream and the log id', async () => {
    const { model } = createTestModel();
    const preflight = await respond(
      model,
      new Request(CHAT_URL, {
        method: 'OPTIONS',
        headers: {
          Origin: APP,
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'authorization,content-type,x-coze-client-user-agent',
        },
      }),
    );
    expect(preflight.status).toBe(204);
    expect(Object.fromEntries(preflight.headers)).toMatchObject({
      'access-control-allow-origin': APP,
      'access-control-allow-methods': 'GET, POST, OPTIONS',
      'access-control-allow-headers': 'authorization, content-type, x-coze-client-user-agent',
    });
    const { response } = await streamedChat(model, ask('hi'), { headers: { Origin: APP } });
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe(APP);
    expect(response.headers.get('Access-Control-Expose-Headers')).toBe('x-tt-logid');
    expect(model.counters).toMatchObject({ preflight: 1, chat: 1 });
  });

  it('gives an unregistered origin no CORS headers', async () => {
    const { model } = createTestModel();
    const { response } = await streamedChat(model, ask('hi'), { headers: { Origin: 'https://evil.test' } });
    expect(response.headers.get('Access-Control-Allow-Origin')).toBeNull();
  });
});

describe('POST /v3/chat: pacing and stopping', () => {
  const decoder = new TextDecoder();
  const eventName = (chunk: Uint8Array | undefined) => /^event:(\S+)/.exec(decoder.decode(chunk))?.[1];

  async function openStream(model: CozeModel, signal?: AbortSignal) {
    const response = await respond(model, chatRequest(ask('one two three four'), tokenOf(model), signal ? { signal } : {}));
    if (!response.body) throw new Error('no body');
    return response.body.getReader();
  }

  it('makes each event when it is read, pausing chatChunkDelayMs before each answer chunk', async () => {
    vi.useFakeTimers();
    const { model } = createTestModel({ chatChunkDelayMs: 1_000 });
    const reader = await openStream(model);
    expect(eventName((await reader.read()).value)).toBe('conversation.chat.created');
    expect(eventName((await reader.read()).value)).toBe('conversation.chat.in_progress');
    let delta: string | undefined;
    void reader.read().then((result) => (delta = eventName(result.value)));
    await vi.advanceTimersByTimeAsync(999);
    expect(delta).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(delta).toBe('conversation.message.delta');
    // Nothing is made ahead of the reader: no timer runs while nobody reads.
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stops the bot when the reader cancels', async () => {
    vi.useFakeTimers();
    const { model } = createTestModel({ chatChunkDelayMs: 1_000 });
    const reader = await openStream(model);
    await reader.read();
    await reader.read();
    const pending = reader.read();
    await vi.advanceTimersByTimeAsync(1);
    expect(vi.getTimerCount()).toBe(1);
    expect(model.counters.chatStopped).toBe(0);
    await reader.cancel();
    expect(vi.getTimerCount()).toBe(0);
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(model.counters).toMatchObject({ chat: 1, chatStopped: 1 });
  });

  it('stops the bot when the request is aborted', async () => {
    vi.useFakeTimers();
    const { model } = createTestModel({ chatChunkDelayMs: 1_000 });
    const abort = new AbortController();
    const reader = await openStream(model, abort.signal);
    await reader.read();
    const pending = reader.read();
    abort.abort();
    await expect(pending).rejects.toThrow();
    await vi.advanceTimersByTimeAsync(1);
    expect(vi.getTimerCount()).toBe(0);
    // Counted once, though both the abort and the reader's cancel reach the stream.
    await reader.cancel().catch(() => undefined);
    expect(model.counters).toMatchObject({ chat: 1, chatStopped: 1 });
  });

  it('counts no stop for an answer read to its end, even when the reader cancels after `done`', async () => {
    const { model } = createTestModel();
    const reader = await openStream(model);
    let last: string | undefined;
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      last = eventName(read.value);
      if (last === 'done') break;
    }
    expect(last).toBe('done');
    await reader.cancel();
    await respond(model, chatRequest(ask('hi'), tokenOf(model))).then((response) => response.text());
    expect(model.counters).toMatchObject({ chat: 2, chatStopped: 0 });
    model.resetCounters();
    expect(model.counters.chatStopped).toBe(0);
  });

  it('setChatChunkDelay() changes the pause; reset() restores the option; negative delays are refused', async () => {
    vi.useFakeTimers();
    const { model } = createTestModel();
    model.setChatChunkDelay(5_000);
    const reader = await openStream(model);
    await reader.read();
    await reader.read();
    void reader.read();
    await vi.advanceTimersByTimeAsync(1);
    expect(vi.getTimerCount()).toBe(1);
    await reader.cancel();
    model.reset();
    vi.useRealTimers();
    const text = await (await respond(model, chatRequest(ask('hi'), tokenOf(model)))).text();
    expect(parseEventStream(text).at(-1)).toEqual({ event: 'done', data: '[DONE]' });
    expect(() => model.setChatChunkDelay(-1)).toThrow(RangeError);
    expect(() => createTestModel({ chatChunkDelayMs: Number.NaN })).toThrow(RangeError);
  });
});
