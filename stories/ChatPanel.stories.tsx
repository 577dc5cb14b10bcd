import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { ChatPanel } from '../demo/src/components/ChatPanel';
import { DEFAULT_COZE_BOT, echoAnswer } from '../src/testing/index';
import { AppFrame } from './support/AppFrame';
import { authLoader, loadedAuth } from './support/loaders';

const QUESTION = 'What is PKCE, in one sentence?';

/**
 * The demo's chat panel (`demo/src/components/ChatPanel.tsx`): `useCozeClient().chat.stream()` asks the
 * in-memory Coze's echo bot, and the answer is painted chunk by chunk as the stream delivers it.
 * **Stop** aborts the request (the bot stops with it). Every chat request follows the 401 rule:
 * rejected before its first event, it is sent once more with a renewed token.
 */
const meta = {
  title: 'Examples/Chat with a bot',
  // Paced like a model typing, so the answer visibly streams in.
  loaders: [authLoader({ model: { chatChunkDelayMs: 60 } })],
  render: (_args, context) => (
    <AppFrame auth={loadedAuth(context).auth} chrome="plain" simulator={['time', 'end-session']}>
      <div className="demo-main demo-narrow story-chat">
        <ChatPanel botId={DEFAULT_COZE_BOT.bot_id} />
      </div>
    </AppFrame>
  ),
} satisfies Meta;

export default meta;
type Story = StoryObj<typeof meta>;

/** Ask the echo bot a question: the answer streams in, then the panel says it is complete. */
export const AskAQuestion: Story = {
  play: async ({ canvasElement, loaded }) => {
    const canvas = within(canvasElement);
    const { auth } = loadedAuth({ loaded });
    await expect(canvas.getByLabelText('Your question')).toHaveValue(QUESTION);
    await userEvent.click(canvas.getByRole('button', { name: 'Ask' }));
    await expect(await canvas.findByText('The bot is answering…')).toBeInTheDocument();
    await expect(canvas.getByRole('button', { name: 'Stop' })).toBeEnabled();
    await canvas.findByText('Answer complete.', {}, { timeout: 5000 });
    await expect(canvas.getByTestId('chat-answer')).toHaveTextContent(echoAnswer(QUESTION));
    await expect(auth.model.counters).toMatchObject({ chat: 1, chatStopped: 0, apiUnauthorized: 0 });
  },
};

/** Stop while the bot is still answering: the answer stays as far as it got, and Coze stops the bot. */
export const StopMidAnswer: Story = {
  loaders: [authLoader({ model: { chatChunkDelayMs: 150 } })],
  play: async ({ canvasElement, loaded }) => {
    const canvas = within(canvasElement);
    const { auth } = loadedAuth({ loaded });
    const question = 'Tell me, slowly, every step of the authorization code flow with PKCE';
    const input = canvas.getByLabelText('Your question');
    await userEvent.clear(input);
    await userEvent.type(input, question);
    await userEvent.click(canvas.getByRole('button', { name: 'Ask' }));
    const answer = canvas.getByTestId('chat-answer');
    // A few chunks in: "You said: " and the start of the question.
    await waitFor(() => expect(answer.textContent?.startsWith('You said: Tell me')).toBe(true), { timeout: 5000 });
    await userEvent.click(canvas.getByRole('button', { name: 'Stop' }));
    await canvas.findByText('Stopped.', {}, { timeout: 5000 });
    const shown = answer.textContent ?? '';
    await expect(echoAnswer(question).startsWith(shown)).toBe(true);
    await expect(shown.length).toBeLessThan(echoAnswer(question).length);
    await waitFor(() => expect(auth.model.counters.chatStopped).toBe(1));
    await expect(canvas.getByRole('button', { name: 'Ask' })).toBeEnabled();
  },
};
