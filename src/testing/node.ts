// Node-only entry point: the fake Coze as a real HTTP server. Kept out of `./index` because it
// imports node:http, and it does not import msw, so Node users need not install it.
export { startFakeCozeServer } from './server/nodeServer.js';
export type { FakeCozeServer, FakeCozeServerOptions } from './server/nodeServer.js';
export { createCozeModel } from './server/createCozeModel.js';
export { NETWORK_ERROR } from './server/networkError.js';
export { DEFAULT_COZE_BOT, echoAnswer } from './server/defaultFixtures.js';
export type { CozeBot, CozeModel, CozeModelOptions, FailureKind, InjectedFailure, TokenGrantName } from './server/types.js';
