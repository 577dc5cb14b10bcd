/**
 * Returned by {@link CozeModel.handle} when the request must fail at the network level
 * (see `failNext(kind, 'network')`). Each transport turns it into its own form of a dropped
 * connection: the MSW handlers answer `HttpResponse.error()`, the Node server destroys the socket.
 *
 * `Symbol.for` (not `Symbol()`) so that two copies of this module, for example one bundled into
 * `react-coze-auth/testing` and one loaded from source by a test, still agree on the value.
 */
export const NETWORK_ERROR: unique symbol = Symbol.for('react-coze-auth.testing.networkError');

/** The type of {@link NETWORK_ERROR}. */
export type NetworkError = typeof NETWORK_ERROR;
