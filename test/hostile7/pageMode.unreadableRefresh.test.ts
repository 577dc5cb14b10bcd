// Hostile review 7's defect 8, in the page modes: a success answer to a refresh that cannot be
// used (no access token) but carries the rotated refresh token. The old refresh token is spent:
// the retry must send the new one, never the rotated-out one again.
import { describe, expect, it } from 'vitest';
import { flushAsync as settle } from '../../src/testing/index';
import { setupFakeCoze, signedInSession } from '../helpers/harness';

const fake = setupFakeCoze();
const START = Date.UTC(2026, 0, 1, 12);

describe('hostile7: an unusable 200 to a refresh in sessionStorage mode', () => {
  it('fixed: the retry spends the rotated refresh token from that answer, and the session stays signed in', async () => {
    const sentRefreshTokens: string[] = [];
    let mangled = 0;
    const fetch = async (input: string, init: RequestInit): Promise<Response> => {
      const body = JSON.parse(String(init.body)) as { grant_type: string; refresh_token?: string };
      if (body.grant_type === 'refresh_token') sentRefreshTokens.push(body.refresh_token as string);
      const response = await globalThis.fetch(input, init);
      if (body.grant_type !== 'refresh_token' || mangled > 0) return response;
      mangled += 1;
      const { access_token: _missing, ...rest } = (await response.json()) as Record<string, unknown>;
      return new Response(JSON.stringify(rest), { status: 200, headers: { 'content-type': 'application/json' } });
    };
    const { clock, session } = await signedInSession(fake, { start: START, fetch });
    const unmount = session.mount();
    await session.refresh().catch(() => undefined);
    await settle();
    expect(mangled).toBe(1);
    await clock.advance(5_000); // the backoff retry
    await settle();
    expect(sentRefreshTokens.length).toBeGreaterThanOrEqual(2);
    expect(sentRefreshTokens.filter((token, index) => sentRefreshTokens.indexOf(token) !== index)).toEqual([]);
    expect(session.getSnapshot().status).toBe('signed-in');
    await expect(session.getToken()).resolves.toEqual(expect.any(String));
    unmount();
  });
});
