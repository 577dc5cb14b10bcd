import { http, HttpResponse, type HttpHandler } from 'msw';
import { NETWORK_ERROR } from './networkError.js';
import type { CozeModel } from './types.js';

/**
 * MSW 2 request handlers that hand every request for the model's two origins to
 * `model.handle`. Requests on other paths of those origins fall through (`undefined`) to the
 * next handler, or to MSW's `onUnhandledRequest`. This is the only module that imports `msw`
 * (published alone as `react-coze-auth/testing/msw`), so `msw` stays an optional peer.
 *
 * @example
 * const server = setupServer(...cozeHandlers(model));
 */
export function cozeHandlers(model: CozeModel): HttpHandler[] {
  const resolve = async ({ request }: { request: Request }): Promise<Response | undefined> => {
    const outcome = await model.handle(request);
    // A Response.error(): fetch rejects with a TypeError, as on a dropped connection.
    if (outcome === NETWORK_ERROR) return HttpResponse.error();
    return outcome;
  };
  const origins = new Set([model.apiOrigin, model.webOrigin]);
  return [...origins].map((origin) => http.all(`${origin}/*`, resolve));
}
