import { ChatEventType, RoleType } from '@coze/api';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useCozeClient } from 'react-coze-auth';

type Phase = 'idle' | 'streaming' | 'done' | 'stopped' | 'failed';

const PHASE_TEXT: Record<Phase, string> = {
  idle: '',
  streaming: 'The bot is answering…',
  done: 'Answer complete.',
  stopped: 'Stopped.',
  failed: '',
};

/**
 * What went wrong, in words: a thrown SDK error (`status`, `code`, `msg`, `logid`), an `error`
 * event's data (`code`, `msg`, `detail.logid`) or a failed chat's `last_error` (`code`, `msg`),
 * with the log id that Coze support asks for.
 */
function describeError(error: unknown): string {
  if (typeof error !== 'object' || error === null) return String(error);
  const { status, code, msg, message, logid, detail } = error as {
    status?: number;
    code?: number;
    msg?: string;
    message?: string;
    logid?: string;
    detail?: { logid?: string };
  };
  const what = status === 401 ? 'Coze no longer accepts this session (401): sign in again.' : msg || message || 'Unknown error.';
  const id = logid ?? detail?.logid;
  const facts = [code === undefined ? '' : `code ${code}`, id ? `log id ${id}` : ''].filter(Boolean).join(', ');
  return facts ? `${what} (${facts})` : what;
}

export interface ChatPanelProps {
  /** The bot to talk to; without one the panel says how to set it. */
  botId: string | undefined;
}

/**
 * Asks a bot a question with `client.chat.stream()` and shows the answer as it streams in. Stop
 * aborts the request; @coze/api then ends the stream quietly, without its `done` event.
 *
 * Shared: the demo, the e2e app (test/e2e/app) and the Storybook story (stories/ChatPanel.stories.tsx)
 * all render this component.
 */
export function ChatPanel({ botId }: ChatPanelProps) {
  const client = useCozeClient();
  const inputId = useId();
  const [question, setQuestion] = useState('What is PKCE, in one sentence?');
  const [answer, setAnswer] = useState('');
  const [phase, setPhase] = useState<Phase>('idle');
  const [error, setError] = useState<string | undefined>();
  const running = useRef<AbortController | undefined>(undefined);

  // Leaving the page stops the bot.
  useEffect(() => () => running.current?.abort(), []);

  async function ask(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (!botId || !question.trim() || running.current) return;
    const controller = new AbortController();
    running.current = controller;
    setAnswer('');
    setError(undefined);
    setPhase('streaming');
    let finished = false;
    // Coze reports a chat it refuses (unknown bot…) or that fails inside the stream, as an event.
    let failure: unknown;
    try {
      const stream = client.chat.stream(
        { bot_id: botId, additional_messages: [{ role: RoleType.User, content: question, content_type: 'text' }] },
        { signal: controller.signal },
      );
      for await (const part of stream) {
        if (part.event === ChatEventType.CONVERSATION_MESSAGE_DELTA && part.data.type === 'answer') {
          const chunk = part.data.content;
          setAnswer((current) => current + chunk);
        } else if (part.event === ChatEventType.CONVERSATION_CHAT_FAILED) {
          failure = part.data.last_error ?? 'The bot could not answer.';
          break;
        } else if (part.event === ChatEventType.ERROR) {
          failure = part.data;
          break;
        } else if (part.event === ChatEventType.DONE) {
          finished = true;
        }
      }
    } catch (caught) {
      // Thrown before the answer starts: 401, network, or Stop while connecting.
      if (!controller.signal.aborted) failure = caught;
    } finally {
      running.current = undefined;
    }
    if (failure !== undefined) {
      controller.abort();
      setError(describeError(failure));
      setPhase('failed');
    } else {
      setPhase(finished ? 'done' : 'stopped');
    }
  }

  const streaming = phase === 'streaming';
  return (
    <section className="card wide" aria-labelledby="chat-title">
      <h2 id="chat-title">Chat with a bot</h2>
      {botId ? (
        <form className="chat-form" onSubmit={(event) => void ask(event)}>
          <label htmlFor={inputId}>Your question</label>
          <div className="chat-row">
            <input
              id={inputId}
              className="chat-input"
              value={question}
              onChange={(event) => setQuestion(event.target.value)}
              autoComplete="off"
            />
            <button type="submit" className="button primary" disabled={streaming || !question.trim()}>
              Ask
            </button>
            <button type="button" className="button ghost" disabled={!streaming} onClick={() => running.current?.abort()}>
              Stop
            </button>
          </div>
        </form>
      ) : (
        <p className="muted">Set COZE_BOT_ID to the id of one of your published bots to chat with it.</p>
      )}
      <div className="chat-answer" aria-live="polite" aria-busy={streaming} data-testid="chat-answer">
        {answer || (streaming ? <span className="muted">Waiting for the bot…</span> : null)}
      </div>
      <p className="muted small" role="status">
        {PHASE_TEXT[phase]}
      </p>
      {error ? (
        <div role="alert" className="error-box">
          <p>
            <strong>The chat failed.</strong> {error}
          </p>
        </div>
      ) : null}
    </section>
  );
}
