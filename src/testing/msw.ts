// `react-coze-auth/testing/msw`: the fake Coze as MSW 2 request handlers. The only entry that
// imports `msw`, so `react-coze-auth/testing` (and `/testing/node`) work without it installed.
export { cozeHandlers } from './server/mswHandlers.js';
