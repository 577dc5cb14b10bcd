/* eslint-disable @typescript-eslint/ban-ts-comment -- the next line is removed when this template is installed */
// @ts-nocheck: checked in the consumer project scripts/check-package.mjs creates (it drops these two lines); the repo's own typecheck has no packed package to resolve.
// How a user's tests use `react-coze-auth/testing`. Type-checked only: the app never imports it,
// and the app bundle must not contain it (scripts/check-package.mjs checks that too).
import { useCozeAuth } from 'react-coze-auth';
import {
  MockCozeAuthProvider,
  createCozeModel,
  type CozeModel,
  type CozeModelOptions,
  type CozeUser,
} from 'react-coze-auth/testing';
import { cozeHandlers } from 'react-coze-auth/testing/msw';

const options: CozeModelOptions = {
  apiOrigin: 'http://127.0.0.1:4010',
  webOrigin: 'http://127.0.0.1:4011',
  clients: [{ clientId: 'consumer-client-id', redirectUris: ['http://localhost:5173/callback'] }],
  autoApprove: true,
};
export const model: CozeModel = createCozeModel(options);
export const handlers = cozeHandlers(model);
export const grace: Partial<CozeUser> = { nick_name: 'Grace' };

function Greeting() {
  const { isAuthenticated } = useCozeAuth();
  return <p>{isAuthenticated ? 'hello' : 'signed out'}</p>;
}

export const signedIn = (
  <MockCozeAuthProvider user={grace}>
    <Greeting />
  </MockCozeAuthProvider>
);
