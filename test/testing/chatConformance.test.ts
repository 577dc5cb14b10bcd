// @vitest-environment node
// Conformance of the fake's POST /v3/chat against the OFFICIAL Coze SDK: `client.chat.stream()`
// of @coze/api (axios with its fetch adapter in Node 18+, the same code path as in a browser)
// must read the fake's event stream unchanged, over real HTTP.
import {
  AuthenticationError,
  ChatEventType,
  ChatStatus,
  CozeAPI,
  RoleType,
  type CreateChatData,
  type StreamChatData,
} from '@coze/api';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_COZE_BOT, echoAnswer } from '../../src/testing/index';
import { startFakeCozeServer, type FakeCozeServer } from '../../src/testing/node';
import { answerChunks } from '../../src/testing/server/chatEndpoint';

const CLIENT_ID = 'chat-conformance';
const BOT_ID = DEFAULT_COZE_BOT.bot_id;
const QUESTION = 'How do SPAs sign in to Coze without a client secret?';

// The model clock, so a test can see whether the bot still runs (it reads the clock to stamp
// the completed answer).
const clock = vi.fn(() => Date.now());
let server: FakeCozeServer;
beforeAll(async () => {
  server = await startFakeCozeServer({ clients: [{ clientId: CLIENT_ID, redirectUris: ['http://127.0.0.1:5173/callback'] }], now: clock });
});
afterAll(() => server.close());
beforeEach(() => {
  server.model.reset();
});

/** A client signed in the way the library signs it in: a token getter over issued tokens. */
function signedInClient(): { client: CozeAPI; accessToken: string } {
  const { access_token: accessToken } = server.model.issueTokens({ clientId: CLIENT_ID });
  return { client: new CozeAPI({ baseURL: server.apiOrigin, token: () => accessToken }), accessToken };
}

const question = (content: string) => [{ role: RoleType.User, content, content_type: 'text' as const }];

async function collect(stream: AsyncIterable<StreamChatData>, onEvent?: (part: StreamChatData) => void): Promise<StreamChatData[]> {
  const parts: StreamChatData[] = [];
  for await (const part of stream) {
    parts.push(part);
    onEvent?.(part);
  }
  return parts;
}

describe('client.chat.stream() against the fake server', () => {
  it('yields Coze\'s event sequence, and the deltas add up to the answer', async () => {
    const { client } = signedInClient();
    const parts = await collect(client.chat.stream({ bot_id: BOT_ID, additional_messages: question(QUESTION) }));

    const answer = echoAnswer(QUESTION);
    expect(parts.map((part) => part.event)).toEqual([
      ChatEventType.CONVERSATION_CHAT_CREATED,
      ChatEventType.CONVERSATION_CHAT_IN_PROGRESS,
      ...answerChunks(answer).map(() => ChatEventType.CONVERSATION_MESSAGE_DELTA),
      ChatEventType.CONVERSATION_MESSAGE_COMPLETED,
      ChatEventType.CONVERSATION_MESSAGE_COMPLETED,
      ChatEventType.CONVERSATION_CHAT_COMPLETED,
      ChatEventType.DONE,
    ]);

    let streamed = '';
    let completedAnswer = '';
    let chat: CreateChatData | undefined;
    for (const part of parts) {
      // The SDK's own discriminated union narrows each event's data.
      switch (part.event) {
        case ChatEventType.CONVERSATION_MESSAGE_DELTA:
          expect(part.data).toMatchObject({ role: RoleType.Assistant, type: 'answer', content_type: 'text' });
          streamed += part.data.content;
          break;
        case ChatEventType.CONVERSATION_MESSAGE_COMPLETED:
          if (part.data.type === 'answer') completedAnswer = part.data.content;
          break;
        case ChatEventType.CONVERSATION_CHAT_COMPLETED:
          chat = part.data;
          break;
        case ChatEventType.DONE:
          expect(part.data).toBe('[DONE]');
          break;
        default:
          break;
      }
    }
    expect(streamed).toBe(answer);
    expect(completedAnswer).toBe(answer);
    expect(chat).toMatchObject({ bot_id: BOT_ID, status: ChatStatus.COMPLETED, last_error: { code: 0, msg: '' } });
    expect(chat?.usage?.output_count).toBe(answerChunks(answer).length);
    expect(server.model.counters).toMatchObject({ chat: 1, api: 1 });
  });

  it('passes conversation_id in the query, as the SDK sends it', async () => {
    const { client } = signedInClient();
    const parts = await collect(
      client.chat.stream({ bot_id: BOT_ID, conversation_id: '7300000000000000009', additional_messages: question('hi') }),
    );
    const created = parts[0];
    expect(created?.event).toBe(ChatEventType.CONVERSATION_CHAT_CREATED);
    expect(created?.data).toMatchObject({ conversation_id: '7300000000000000009' });
  });

  it('delivers each event as it is made, not when the answer ends (no buffering in the transport)', async () => {
    server.model.setChatChunkDelay(40);
    const { client } = signedInClient();
    const arrivals: number[] = [];
    const parts = await collect(client.chat.stream({ bot_id: BOT_ID, additional_messages: question('one two three four five') }), () =>
      arrivals.push(performance.now()),
    );
    const deltas = parts.flatMap((part, index) => (part.event === ChatEventType.CONVERSATION_MESSAGE_DELTA ? [arrivals[index] ?? 0] : []));
    expect(deltas).toHaveLength(answerChunks(echoAnswer('one two three four five')).length);
    // Paced 40 ms apart; a buffering transport would deliver them all at once at the end.
    expect((deltas.at(-1) ?? 0) - (deltas[0] ?? 0)).toBeGreaterThanOrEqual(35 * (deltas.length - 1));
  });

  it('stops when the app aborts mid-answer: the SDK ends the loop, the server stops the bot', async () => {
    server.model.setChatChunkDelay(30);
    const { client } = signedInClient();
    const abort = new AbortController();
    let clockReadsAtAbort = 0;
    const parts = await collect(
      client.chat.stream({ bot_id: BOT_ID, additional_messages: question('one two three four five six') }, { signal: abort.signal }),
      (part) => {
        if (part.event !== ChatEventType.CONVERSATION_MESSAGE_DELTA) return;
        clockReadsAtAbort = clock.mock.calls.length;
        abort.abort();
      },
    );
    // @coze/api 1.3 swallows the abort inside its stream reader: the loop simply ends, no `done`.
    expect(parts.map((part) => part.event)).toEqual([
      ChatEventType.CONVERSATION_CHAT_CREATED,
      ChatEventType.CONVERSATION_CHAT_IN_PROGRESS,
      ChatEventType.CONVERSATION_MESSAGE_DELTA,
    ]);
    // The rest of the answer would have taken 6 × 30 ms and stamped the completed answer with
    // the clock; the connection closed, so the bot stopped and never got there.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(clock.mock.calls.length).toBe(clockReadsAtAbort);
    // …and says so: the closed connection counts as a stopped chat.
    expect(server.model.counters).toMatchObject({ chat: 1, chatStopped: 1 });
  });

  it('throws APIUserAbortError when aborted before the answer starts', async () => {
    server.model.setLatency(200);
    const { client } = signedInClient();
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 20);
    const error = await collect(client.chat.stream({ bot_id: BOT_ID, additional_messages: question('hi') }, { signal: abort.signal })).catch(
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ name: 'UserAbortError' });
  });

  it('raises AuthenticationError (401, with the log id) for a revoked token', async () => {
    const { client, accessToken } = signedInClient();
    expect(server.model.revokeSession(accessToken)).toBe(true);
    const error = await collect(client.chat.stream({ bot_id: BOT_ID, additional_messages: question('hi') })).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ status: 401 });
    expect((error as AuthenticationError).logid).toMatch(/^[0-9A-F]{34}$/);
    // The server did send Coze's body, `{ code: 4100, msg: 'authentication is invalid' }`, but
    // @coze/api asks axios for a stream, and on a non-2xx answer it keeps the unread stream as
    // the error body: `code` and `msg` stay undefined. The status is what apps can rely on.
    expect((error as AuthenticationError).code).toBeUndefined();
    expect(server.model.counters).toMatchObject({ chat: 1, apiUnauthorized: 1 });
  });

  it('yields Coze\'s JSON error for an unknown bot as an `error` event', async () => {
    const { client } = signedInClient();
    const parts = await collect(client.chat.stream({ bot_id: '7000000000000000000', additional_messages: question('hi') }));
    expect(parts).toEqual([
      {
        event: ChatEventType.ERROR,
        data: {
          code: 4200,
          msg: 'Requested resource bot_id=7000000000000000000 does not exist. Ensure you are the correct resource identifier.',
          detail: { logid: expect.stringMatching(/^[0-9A-F]{34}$/) },
        },
      },
    ]);
  });
});

describe('client.chat.create() against the fake server', () => {
  it('returns the chat in progress (stream: false)', async () => {
    const { client } = signedInClient();
    const chat: CreateChatData = await client.chat.create({ bot_id: BOT_ID, additional_messages: question('hi') });
    expect(chat).toMatchObject({ bot_id: BOT_ID, status: ChatStatus.IN_PROGRESS });
    expect(chat.id).toMatch(/^7\d{18}$/);
  });
});
