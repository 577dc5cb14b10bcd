import { DEFAULT_COZE_BOT, echoAnswer } from './defaultFixtures.js';
import { AUTHENTICATION_INVALID, bearerGrant } from './openApiEndpoints.js';
import type { PreparedRequest } from './preparedRequest.js';
import { jsonResponse, openApiErrorResponse, openApiResponse } from './responses.js';
import type { TokenStore } from './tokenStore.js';
import type { CozeBot } from './types.js';

/** What the chat endpoint needs from the model. */
export interface ChatEndpointDeps {
  tokens: TokenStore;
  /** Registered bots; an empty or missing list means {@link DEFAULT_COZE_BOT} alone. */
  bots?: readonly CozeBot[];
  /** The model clock, ms. */
  now: () => number;
  /** Read before every answer chunk, so that a change applies to chats under way. */
  chunkDelayMs: () => number;
  /** Called once for a streamed chat the client stopped before its `done` event. */
  onStopped?: () => void;
}

/** One chat being answered: what every event of its stream repeats. */
interface ChatRun {
  readonly chatId: string;
  readonly conversationId: string;
  readonly bot: CozeBot;
  readonly question: string;
  readonly createdAt: number;
  readonly metaData?: Record<string, unknown>;
}

// Coze's codes for a chat it refuses, from its error code table (coze_error_codes).
const INVALID_PARAMETER = 4000;
/** "stream: false is only allowed with auto_save_history: true". */
const STREAM_FALSE_NEEDS_HISTORY = 4007;
/**
 * "Resource not found". The table also lists 4006 "invalid bot", but for an unknown `bot_id`
 * Coze answers 4200 with the message below (seen in SDK users' logs of `POST /v3/chat`).
 */
const RESOURCE_NOT_FOUND = 4200;

/**
 * `POST /v3/chat` (发起对话), as `client.chat.stream()` and `client.chat.create()` of
 * `@coze/api` call it: `conversation_id` in the query, the rest as a JSON body
 * (`bot_id`, `user_id`, `additional_messages`, `stream`, `auto_save_history`, `meta_data`, …).
 *
 * - No valid bearer token: HTTP 401 `{ code: 4100, msg, detail: { logid } }`, like every
 *   protected endpoint of the model.
 * - A request Coze refuses (bad JSON or parameters: 4000; `stream: false` with
 *   `auto_save_history: false`: 4007; unknown `bot_id`: 4200): HTTP 200 with
 *   `{ code, msg, detail: { logid } }` as `application/json`. Coze reports these in the body's
 *   `code`; a 2xx status is also the only way the body reaches `@coze/api`'s stream reader,
 *   which yields it as an `error` event (on a non-2xx answer it keeps the unread stream).
 * - `stream: true`: a `text/event-stream` body, produced as it is read. Events, each
 *   `event:<name>\ndata:<one-line JSON>\n\n`: `conversation.chat.created`,
 *   `conversation.chat.in_progress`, one `conversation.message.delta` per answer chunk,
 *   `conversation.message.completed` (the answer, then a `verbose` "generate_answer_finish",
 *   then any `follow_up`), `conversation.chat.completed` (with `usage`), and
 *   `done` with `data:"[DONE]"`. Stopping the read (or aborting the request) stops the bot.
 * - Otherwise: the chat in Coze's envelope, `status: 'in_progress'`, as Coze answers a chat that
 *   will run on in the background (the fake does not run it: it keeps no conversations).
 */
export class ChatEndpoint {
  readonly #deps: ChatEndpointDeps;

  constructor(deps: ChatEndpointDeps) {
    this.#deps = deps;
  }

  prepare(request: Request, url: URL, logid: string): PreparedRequest {
    return {
      kind: 'chat',
      respond: async () => {
        if (!bearerGrant(request, this.#deps.tokens)) return openApiErrorResponse(401, AUTHENTICATION_INVALID, logid);
        const parsed = await this.#parse(request, url);
        if ('code' in parsed) return jsonResponse(200, { code: parsed.code, msg: parsed.msg, detail: { logid } });
        const { run, stream } = parsed;
        if (!stream) return openApiResponse(chatData(run, 'in_progress'), logid);
        const events = (stop: AbortSignal) => chatEvents(run, stop, this.#deps.chunkDelayMs, this.#deps.now);
        return new Response(eventStream(events, request.signal, () => this.#deps.onStopped?.()), {
          status: 200,
          headers: { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache' },
        });
      },
      fail: (failure) => openApiErrorResponse(failure.status, `injected failure (fake Coze server): ${failure.status}`, logid),
    };
  }

  async #parse(request: Request, url: URL): Promise<{ run: ChatRun; stream: boolean } | { code: number; msg: string }> {
    let body: unknown;
    try {
      body = JSON.parse(await request.text());
    } catch {
      return { code: INVALID_PARAMETER, msg: 'invalid parameter: the body must be JSON' };
    }
    if (!isRecord(body)) return { code: INVALID_PARAMETER, msg: 'invalid parameter: the body must be a JSON object' };
    const botId = body.bot_id;
    if (typeof botId !== 'string' || botId === '') return { code: INVALID_PARAMETER, msg: 'invalid parameter: bot_id is required' };
    const bots = this.#deps.bots?.length ? this.#deps.bots : [DEFAULT_COZE_BOT];
    const bot = bots.find((candidate) => candidate.bot_id === botId);
    if (!bot) {
      return {
        code: RESOURCE_NOT_FOUND,
        msg: `Requested resource bot_id=${botId} does not exist. Ensure you are the correct resource identifier.`,
      };
    }
    const question = lastUserText(body.additional_messages);
    if (question === undefined) {
      return { code: INVALID_PARAMETER, msg: 'invalid parameter: additional_messages must hold a user message' };
    }
    const stream = body.stream === true;
    // A chat that is not streamed is read back later (retrieve, message list), so Coze refuses
    // to run one whose history would not be kept.
    if (!stream && body.auto_save_history === false) {
      return { code: STREAM_FALSE_NEEDS_HISTORY, msg: 'stream=false is only allowed when auto_save_history=true' };
    }
    const run: ChatRun = {
      chatId: numericId(),
      conversationId: url.searchParams.get('conversation_id') || numericId(),
      bot,
      question,
      createdAt: unixSeconds(this.#deps.now()),
      ...(isRecord(body.meta_data) ? { metaData: body.meta_data } : {}),
    };
    return { run, stream };
  }
}

/**
 * The text of the last `role: 'user'` message: `content` itself for `text`, the `text` items for
 * `object_string` (Coze's multimodal content, a JSON array). Undefined when there is none.
 */
function lastUserText(messages: unknown): string | undefined {
  if (!Array.isArray(messages)) return undefined;
  const last = messages.filter((message) => isRecord(message) && message.role === 'user').at(-1) as Record<string, unknown> | undefined;
  if (!last || typeof last.content !== 'string') return undefined;
  if (last.content_type !== 'object_string') return last.content;
  try {
    const items: unknown = JSON.parse(last.content);
    if (!Array.isArray(items)) return undefined;
    return items
      .filter((item): item is { text: string } => isRecord(item) && item.type === 'text' && typeof item.text === 'string')
      .map((item) => item.text)
      .join('\n');
  } catch {
    return undefined;
  }
}

/** The answer in the pieces a model would stream: words, long ones cut every 6 characters. */
export function answerChunks(text: string): string[] {
  const chunks: string[] = [];
  for (const word of text.match(/\s*\S+\s*|\s+/gu) ?? []) {
    const chars = Array.from(word);
    for (let start = 0; start < chars.length; start += 6) chunks.push(chars.slice(start, start + 6).join(''));
  }
  return chunks;
}

type ChatStatus = 'created' | 'in_progress' | 'completed';

/** A chat as the `conversation.chat.*` events and the non-streamed answer carry it (`CreateChatData`). */
function chatData(run: ChatRun, status: ChatStatus, end?: { completedAt: number; inputCount: number; outputCount: number }) {
  return {
    id: run.chatId,
    conversation_id: run.conversationId,
    bot_id: run.bot.bot_id,
    created_at: run.createdAt,
    ...(end ? { completed_at: end.completedAt } : {}),
    last_error: { code: 0, msg: '' },
    ...(run.metaData ? { meta_data: run.metaData } : {}),
    status,
    usage: end
      ? { token_count: end.inputCount + end.outputCount, output_count: end.outputCount, input_count: end.inputCount }
      : { token_count: 0, output_count: 0, input_count: 0 },
    section_id: run.conversationId,
  };
}

/** An assistant message (`ChatV3Message`); `at` only on completed ones, as on Coze. */
function message(run: ChatRun, id: string, type: 'answer' | 'verbose' | 'follow_up', content: string, at?: number) {
  return {
    id,
    conversation_id: run.conversationId,
    bot_id: run.bot.bot_id,
    role: 'assistant',
    type,
    content,
    content_type: 'text',
    chat_id: run.chatId,
    section_id: run.conversationId,
    ...(at === undefined ? {} : { created_at: at, updated_at: at }),
  };
}

// What Coze sends after the last answer of a chat: the answer is final.
const ANSWER_FINISHED = JSON.stringify({
  msg_type: 'generate_answer_finish',
  data: JSON.stringify({ finish_reason: 0, FinData: '' }),
  from_module: null,
  from_unit: null,
});

/** An event's name and its data, which goes out as JSON. */
type ServerSentEvent = [event: string, data: unknown];

/** The events of one streamed chat, pausing before every answer chunk until `stop` aborts. */
async function* chatEvents(
  run: ChatRun,
  stop: AbortSignal,
  chunkDelayMs: () => number,
  now: () => number,
): AsyncGenerator<ServerSentEvent> {
  const answer = (run.bot.answer ?? echoAnswer)(run.question);
  const chunks = answerChunks(answer);
  const answerId = numericId();
  yield ['conversation.chat.created', chatData(run, 'created')];
  yield ['conversation.chat.in_progress', chatData(run, 'in_progress')];
  for (const chunk of chunks) {
    await pause(chunkDelayMs(), stop);
    if (stop.aborted) return;
    yield ['conversation.message.delta', message(run, answerId, 'answer', chunk)];
  }
  const at = unixSeconds(now());
  yield ['conversation.message.completed', message(run, answerId, 'answer', answer, at)];
  yield ['conversation.message.completed', message(run, numericId(), 'verbose', ANSWER_FINISHED, at)];
  for (const followUp of run.bot.followUps ?? []) {
    yield ['conversation.message.completed', message(run, numericId(), 'follow_up', followUp, at)];
  }
  const usage = { completedAt: at, inputCount: answerChunks(run.question).length, outputCount: chunks.length };
  yield ['conversation.chat.completed', chatData(run, 'completed', usage)];
  yield ['done', '[DONE]'];
}

const encoder = new TextEncoder();

/**
 * A pull-based event stream: an event is made only when the reader asks for one, so nothing is
 * buffered ahead of the client, and cancelling the read (or aborting `signal`, the request's)
 * stops the producer and calls `onStopped` (once, and only before the `done` event went out). Coze's
 * framing: `event:` and `data:` lines without a space, one JSON line of data, a blank line.
 */
function eventStream(
  produce: (stop: AbortSignal) => AsyncGenerator<ServerSentEvent>,
  signal: AbortSignal,
  onStopped: () => void,
): ReadableStream<Uint8Array> {
  const stop = new AbortController();
  const events = produce(stop.signal);
  let onAbort: (() => void) | undefined;
  let ended = false;
  let doneSent = false;
  const finish = (): void => {
    if (ended) return;
    ended = true;
    stop.abort();
    if (onAbort) signal.removeEventListener('abort', onAbort);
    if (!doneSent) onStopped();
  };
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        onAbort = () => {
          finish();
          controller.error(signal.reason);
        };
        if (signal.aborted) onAbort();
        else signal.addEventListener('abort', onAbort, { once: true });
      },
      async pull(controller) {
        const next = await events.next();
        if (stop.signal.aborted) return;
        if (next.done) {
          finish();
          controller.close();
          return;
        }
        const [event, data] = next.value;
        if (event === 'done') doneSent = true;
        controller.enqueue(encoder.encode(`event:${event}\ndata:${JSON.stringify(data)}\n\n`));
      },
      cancel: finish,
    },
    { highWaterMark: 0 },
  );
}

/** Resolves after `ms`, or at once when `stop` aborts. */
function pause(ms: number, stop: AbortSignal): Promise<void> {
  if (!(ms > 0) || stop.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      stop.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    stop.addEventListener('abort', done, { once: true });
  });
}

/** A Coze-style id: 19 decimal digits, starting with 7 like the real ones. */
function numericId(): string {
  return `7${Array.from(crypto.getRandomValues(new Uint8Array(18)), (byte) => byte % 10).join('')}`;
}

function unixSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
