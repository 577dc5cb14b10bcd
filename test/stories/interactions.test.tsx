import { composeStories } from '@storybook/react-vite';
import { expect as storyExpect, userEvent, within } from 'storybook/test';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '@testing-library/react';
import * as LoginButton from '../../stories/CozeLoginButton.stories';
import * as Callback from '../../stories/CozeCallback.stories';
import * as Guard from '../../stories/RequireCozeAuth.stories';
import * as Expired from '../../stories/flows/SessionExpired.stories';
import * as Query from '../../stories/hooks/UseCozeQuery.stories';
import * as Token from '../../stories/hooks/UseCozeToken.stories';
import { answerAtCoze, expectAddress } from '../../stories/support/play';
import { axeViolations, runStory, setUpStoryTests } from './portableStories';

// Stories stop in the state they are named after (an error, a consent page). These tests start
// from each story's end state and follow its recovery action through Coze to the signed-in app.
setUpStoryTests();

const callback = composeStories(Callback);
const guard = composeStories(Guard);
const loginButton = composeStories(LoginButton);
const expired = composeStories(Expired);
const query = composeStories(Query);
const token = composeStories(Token);

let container: HTMLElement | undefined;
afterEach(() => {
  container?.remove();
  container = undefined;
});

describe('CozeCallback: every error recovers with "Try again"', () => {
  const cases = [
    ['AccessDenied', callback.AccessDenied, 'Try again'],
    ['StateMismatch', callback.StateMismatch, 'Try again'],
    ['InvalidCallbackUrl', callback.InvalidCallbackUrl, 'Try again'],
    ['NetworkError', callback.NetworkError, 'Try again'],
    ['ServerError', callback.ServerError, 'Try again'],
    ['CustomErrorUI', callback.CustomErrorUI, 'Sign in with Coze again'],
  ] as const;
  for (const [name, Story, action] of cases) {
    it(`${name}: the recovery action signs in through Coze and lands on retryReturnTo`, async () => {
      const story = await runStory(Story);
      ({ container } = story);
      const { canvas } = story;
      await userEvent.click(within(canvas.getByRole('alert')).getByRole('button', { name: action }));
      await answerAtCoze(canvas, 'Authorize');
      await canvas.findByRole('heading', { name: 'Welcome back' }, { timeout: 5000 });
      await expectAddress(canvas, '/');
      expect(canvas.getByTestId('auth-status').textContent).toBe('Signed in');
      expect(await axeViolations(container)).toEqual([]);
    });
  }

  it('AccessDenied: pressing Cancel again at Coze shows access_denied again, never a redirect loop', async () => {
    const story = await runStory(callback.AccessDenied);
    ({ container } = story);
    const { canvas } = story;
    await userEvent.click(canvas.getByRole('button', { name: 'Try again' }));
    await answerAtCoze(canvas, 'Cancel');
    const alert = await canvas.findByRole('alert', {}, { timeout: 5000 });
    expect(alert.getAttribute('data-error-code')).toBe('access_denied');
  });
});

describe('RequireCozeAuth: from the guard to the protected content', () => {
  it('SignedOutRedirects: authorizing at Coze lands on returnTo with the content', async () => {
    const story = await runStory(guard.SignedOutRedirects);
    ({ container } = story);
    await answerAtCoze(story.canvas, 'Authorize');
    await story.canvas.findByText('Analytical Engines Ltd.', {}, { timeout: 5000 });
    await expectAddress(story.canvas, '/workspaces');
  });

  for (const [name, Story, action] of [
    ['ManualSignIn', guard.ManualSignIn, 'Sign in with Coze'],
    ['SessionExpired', guard.SessionExpired, 'Try again'],
    ['CustomError', guard.CustomError, 'Sign in again'],
  ] as const) {
    it(`${name}: "${action}" signs in and the content renders`, async () => {
      const story = await runStory(Story);
      ({ container } = story);
      await userEvent.click(story.canvas.getByRole('button', { name: action }));
      await answerAtCoze(story.canvas, 'Authorize');
      await story.canvas.findByText('Analytical Engines Ltd.', {}, { timeout: 5000 });
      expect(story.canvas.queryByRole('alert')).toBeNull();
    });
  }
});

describe('CozeLoginButton', () => {
  it('CustomChildrenAndStyling: a click shows pendingChildren', async () => {
    const story = await runStory(loginButton.CustomChildrenAndStyling);
    ({ container } = story);
    await userEvent.click(story.canvas.getByRole('button', { name: 'Continue with Coze' }));
    const button = await story.canvas.findByRole('button', { name: 'Opening Coze…' });
    await storyExpect(button).toHaveAttribute('data-state', 'pending');
    await storyExpect(button).toHaveAttribute('aria-busy', 'true');
  });

  it('Idle: Enter on the focused button starts the sign-in (keyboard only)', async () => {
    const story = await runStory(loginButton.Idle);
    ({ container } = story);
    await userEvent.keyboard('{Enter}');
    await story.canvas.findByRole('button', { name: 'Redirecting to Coze…' });
  });
});

describe('Flows/Session expired', () => {
  it('ExpiredOnArrival: "Sign in again" starts a new session and clears the error', async () => {
    const story = await runStory(expired.ExpiredOnArrival);
    ({ container } = story);
    await userEvent.click(story.canvas.getByRole('button', { name: 'Sign in again' }));
    await answerAtCoze(story.canvas, 'Authorize');
    await story.canvas.findByText('Analytical Engines Ltd.', {}, { timeout: 5000 });
    expect(story.canvas.queryByRole('alert')).toBeNull();
  });
});

describe('Hooks', () => {
  it('useCozeQuery ApiError: Retry loads the data once Coze answers again', async () => {
    const story = await runStory(query.ApiError);
    ({ container } = story);
    for (const button of story.canvas.getAllByRole('button', { name: 'Retry' })) await userEvent.click(button);
    await story.canvas.findByText('Ada Lovelace', {}, { timeout: 5000 });
    await story.canvas.findByText('Analytical Engines Ltd.');
    expect(story.canvas.queryByRole('alert')).toBeNull();
  });

  it('useCozeToken RefreshRetrying: the backoff retries succeed and the error clears', async () => {
    const story = await runStory(token.RefreshRetrying);
    ({ container } = story);
    // The simulator's "+1 min" moves the story clock: the ~1 s, 2 s and 4 s retries run in order.
    await userEvent.click(story.canvas.getByRole('button', { name: '+1 min' }));
    await waitFor(() => expect(story.canvas.getByTestId('refresh-count').textContent).toBe('1 time'));
    expect(story.canvas.getByTestId('refresh-state').textContent).not.toContain('failed');
    await waitFor(() => expect(story.canvas.getByTestId('coze-counters').textContent).toContain('4 refreshes'));
  });
});
