import type { CozeModel } from '../../../src/testing/node';

/**
 * Every refresh token the fake Coze hands out from now on (it keeps them to itself otherwise), so
 * a test can search pages for them. Wraps `model.handle`, which the node server calls per request.
 */
export function recordIssuedRefreshTokens(model: CozeModel): string[] {
  const issued: string[] = [];
  const handle = model.handle.bind(model);
  (model as { handle: CozeModel['handle'] }).handle = async (request) => {
    const answer = await handle(request);
    if (answer instanceof Response && new URL(request.url).pathname.endsWith('/oauth2/token')) {
      const body = (await answer.clone().json().catch(() => undefined)) as { refresh_token?: unknown } | undefined;
      if (typeof body?.refresh_token === 'string') issued.push(body.refresh_token);
    }
    return answer;
  };
  return issued;
}
