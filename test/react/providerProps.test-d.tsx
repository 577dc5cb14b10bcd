// Type tests (checked by `npm run typecheck`, never run): the provider takes a session or the
// options a session needs, so a forgotten `clientId` fails to compile instead of at runtime.
import { CozeAuthProvider, CozeSession, type CozeAuthProviderProps } from '../../src/index';

const session = new CozeSession({ clientId: 'app', redirectUri: 'https://app.test/callback' });

export const withOptions = <CozeAuthProvider clientId="app" redirectUri="https://app.test/callback" locale="en" />;
export const withSession = <CozeAuthProvider session={session} locale="en" />;

// @ts-expect-error: clientId is required when no session is given.
export const missingClientId = <CozeAuthProvider redirectUri="https://app.test/callback" />;

// @ts-expect-error: redirectUri is required when no session is given.
export const missingRedirectUri: CozeAuthProviderProps = { clientId: 'app' };

// @ts-expect-error: neither a session nor options.
export const nothing = <CozeAuthProvider locale="en" />;

// @ts-expect-error: options next to a session would be ignored, so they are refused.
export const both = <CozeAuthProvider session={session} clientId="app" />;
