/* eslint-disable @typescript-eslint/ban-ts-comment -- the next line is removed when this template is installed */
// @ts-nocheck: checked in the consumer project scripts/check-package.mjs creates (it drops these two lines); the repo's own typecheck has no packed package to resolve.
// A Node ESM script (e.g. an e2e global setup) using `react-coze-auth/testing/node`, checked with
// NodeNext resolution (tsconfig.node.json): what plain Node projects resolve, stricter than a bundler.
import { startFakeCozeServer, type FakeCozeServer } from 'react-coze-auth/testing/node';

const server: FakeCozeServer = await startFakeCozeServer({
  clients: [{ clientId: 'consumer-client-id', redirectUris: ['http://localhost:5173/callback'] }],
  autoApprove: true,
});
console.log(`fake Coze on ${server.apiOrigin} and ${server.webOrigin}`);
await server.close();
