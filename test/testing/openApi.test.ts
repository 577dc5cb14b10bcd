// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { DEFAULT_COZE_USER, DEFAULT_COZE_WORKSPACES, TEST_API_ORIGIN, TEST_CLIENT_ID, TEST_WEB_ORIGIN, type CozeUser } from '../../src/testing/index';
import { apiRequest, createTestModel, expectUnauthorized, respond, signIn } from './modelHarness';

interface Envelope<T> {
  code: number;
  msg: string;
  data: T;
  detail: { logid: string };
}

async function envelope<T>(response: Response): Promise<Envelope<T>> {
  expect(response.status).toBe(200);
  const body = (await response.json()) as Envelope<T>;
  expect(body.code).toBe(0);
  expect(body.msg).toBe('');
  expect(body.detail.logid).toBe(response.headers.get('x-tt-logid'));
  return body;
}

describe('GET /v1/users/me', () => {
  it('returns the signed-in user in Coze\'s envelope', async () => {
    const { model } = createTestModel();
    const { access_token: token } = await signIn(model);
    const body = await envelope<CozeUser>(await respond(model, apiRequest('/v1/users/me', token)));
    expect(body.data).toEqual(DEFAULT_COZE_USER);
  });

  it('returns the user the tokens were issued for', async () => {
    const bob: CozeUser = { user_id: '42', user_name: 'bob', nick_name: 'Bob', avatar_url: 'https://example.test/bob.png' };
    const { model } = createTestModel({ users: [DEFAULT_COZE_USER, bob] });
    const tokens = model.issueTokens({ clientId: TEST_CLIENT_ID, userId: '42' });
    const body = await envelope<CozeUser>(await respond(model, apiRequest('/v1/users/me', tokens.access_token)));
    expect(body.data).toEqual(bob);
  });

  it('signs in signedInUserId at the web host', async () => {
    const bob: CozeUser = { user_id: '42', user_name: 'bob', nick_name: 'Bob', avatar_url: '' };
    const { model } = createTestModel({ users: [DEFAULT_COZE_USER, bob], signedInUserId: '42' });
    const { access_token: token } = await signIn(model);
    expect((await envelope<CozeUser>(await respond(model, apiRequest('/v1/users/me', token)))).data.user_id).toBe('42');
  });
});

describe('GET /v1/workspaces', () => {
  it('lists the user\'s workspaces with total_count', async () => {
    const { model } = createTestModel();
    const { access_token: token } = await signIn(model);
    const body = await envelope<{ workspaces: unknown[]; total_count: number }>(
      await respond(model, apiRequest('/v1/workspaces', token)),
    );
    expect(body.data).toEqual({ workspaces: DEFAULT_COZE_WORKSPACES, total_count: 2 });
  });

  it('pages with page_num and page_size', async () => {
    const { model } = createTestModel();
    const { access_token: token } = await signIn(model);
    const body = await envelope<{ workspaces: { id: string }[]; total_count: number }>(
      await respond(model, apiRequest('/v1/workspaces?page_num=2&page_size=1', token)),
    );
    expect(body.data.workspaces.map((workspace) => workspace.id)).toEqual([DEFAULT_COZE_WORKSPACES[1]?.id]);
    expect(body.data.total_count).toBe(2);
  });

  it.each(['page_size=51', 'page_size=0', 'page_num=0', 'page_num=abc'])('rejects %s with code 4000', async (query) => {
    const { model } = createTestModel();
    const { access_token: token } = await signIn(model);
    const response = await respond(model, apiRequest(`/v1/workspaces?${query}`, token));
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ code: 4000, msg: expect.any(String), detail: { logid: response.headers.get('x-tt-logid') } });
  });

  it('gives a user without configured workspaces a personal one', async () => {
    const carol: CozeUser = { user_id: '7', user_name: 'carol', nick_name: 'Carol', avatar_url: '' };
    const { model } = createTestModel({ users: [carol] });
    const { access_token: token } = await signIn(model);
    const body = await envelope<{ workspaces: { workspace_type: string }[] }>(await respond(model, apiRequest('/v1/workspaces', token)));
    expect(body.data.workspaces).toEqual([expect.objectContaining({ workspace_type: 'personal', role_type: 'owner' })]);
  });
});

describe('protected endpoints: authentication', () => {
  it.each([
    ['no Authorization header', undefined],
    ['an empty bearer token', ''],
    ['an unknown token', 'at_unknown'],
  ])('answers %s with 401 code 4100', async (_, token) => {
    const { model } = createTestModel();
    await expectUnauthorized(await respond(model, apiRequest('/v1/users/me', token)));
    await expectUnauthorized(await respond(model, apiRequest('/v1/workspaces', token)));
  });

  it('rejects a scheme other than Bearer', async () => {
    const { model } = createTestModel();
    const { access_token: token } = await signIn(model);
    await expectUnauthorized(await respond(model, apiRequest('/v1/users/me', undefined, { Authorization: `Basic ${token}` })));
    expect((await respond(model, apiRequest('/v1/users/me', undefined, { Authorization: `bearer ${token}` }))).status).toBe(200);
  });

  it('expires access tokens at issue + accessTokenTtlSeconds by the model clock', async () => {
    const { model, clock } = createTestModel({ accessTokenTtlSeconds: 900 });
    const { access_token: token } = await signIn(model);
    await clock.advance(899_999);
    expect((await respond(model, apiRequest('/v1/users/me', token))).status).toBe(200);
    await clock.advance(1);
    await expectUnauthorized(await respond(model, apiRequest('/v1/users/me', token)));
  });

  it('rejects revoked tokens: revokeSession() by access or refresh token, and revokeAll()', async () => {
    const { model } = createTestModel();
    const a = await signIn(model);
    const b = await signIn(model);
    const c = await signIn(model);
    expect(model.revokeSession(a.access_token)).toBe(true);
    expect(model.revokeSession(b.refresh_token)).toBe(true);
    expect(model.revokeSession('at_unknown')).toBe(false);
    await expectUnauthorized(await respond(model, apiRequest('/v1/users/me', a.access_token)));
    await expectUnauthorized(await respond(model, apiRequest('/v1/users/me', b.access_token)));
    expect((await respond(model, apiRequest('/v1/users/me', c.access_token))).status).toBe(200);
    model.revokeAll();
    await expectUnauthorized(await respond(model, apiRequest('/v1/users/me', c.access_token)));
  });

  it('counts protected calls and 401s', async () => {
    const { model } = createTestModel();
    const { access_token: token } = await signIn(model);
    await respond(model, apiRequest('/v1/users/me', token));
    await respond(model, apiRequest('/v1/workspaces', token));
    await respond(model, apiRequest('/v1/users/me'));
    expect(model.counters).toMatchObject({ api: 3, apiUnauthorized: 1 });
  });
});

describe('routing', () => {
  it('leaves URLs it does not serve to others (undefined)', async () => {
    const { model } = createTestModel();
    expect(await model.handle(new Request(`${TEST_API_ORIGIN}/v1/bots`))).toBeUndefined();
    expect(await model.handle(new Request(`${TEST_WEB_ORIGIN}/v1/users/me`))).toBeUndefined();
    expect(await model.handle(new Request(`${TEST_API_ORIGIN}/api/permission/oauth2/authorize`))).toBeUndefined();
    expect(await model.handle(new Request('https://elsewhere.test/v1/users/me'))).toBeUndefined();
    expect(model.requestLog).toEqual([]);
  });

  it('answers 405 to a method the path does not take', async () => {
    const { model } = createTestModel();
    const response = await respond(model, new Request(`${TEST_API_ORIGIN}/v1/users/me`, { method: 'POST', body: '{}' }));
    expect(response.status).toBe(405);
    expect(response.headers.get('Allow')).toBe('GET, OPTIONS');
  });

  it('serves both host kinds from one origin (a private deployment)', async () => {
    const { model } = createTestModel({ apiOrigin: 'https://coze.internal', webOrigin: 'https://coze.internal' });
    const html = await respond(model, new Request('https://coze.internal/api/permission/oauth2/authorize'));
    expect(html.status).toBe(400);
    const me = await respond(model, new Request('https://coze.internal/v1/users/me'));
    expect(me.status).toBe(401);
  });
});
