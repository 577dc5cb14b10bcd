import { expect, userEvent, waitFor, within } from 'storybook/test';

type Canvas = ReturnType<typeof within>;

/** Waits for Coze's consent page (the app left for Coze) and presses one of its buttons. */
export async function answerAtCoze(canvas: Canvas, decision: 'Authorize' | 'Cancel'): Promise<void> {
  await canvas.findByRole('heading', { name: /Authorize “Test app”/ }, { timeout: 5000 });
  await userEvent.click(canvas.getByRole('button', { name: decision }));
}

/** The story's address bar (the path the app is on). */
export async function expectAddress(canvas: Canvas, path: string): Promise<void> {
  await waitFor(() => expect(canvas.getByTestId('address').textContent).toMatch(new RegExp(`${escape(path)}$`)));
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
