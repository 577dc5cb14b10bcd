import { createContext, useContext } from 'react';
import type { CozeClientOptions } from '../core/cozeClient.js';
import type { CozeSession } from '../core/session/CozeSession.js';

/** What the provider hands down: the session, and how to leave the callback route. */
export interface CozeAuthContextValue {
  session: CozeSession;
  onRedirectCallback: ((returnTo: string) => void) | undefined;
  clientOptions: CozeClientOptions | undefined;
}

export const CozeAuthContext = createContext<CozeAuthContextValue | null>(null);

/** The provider's context; throws a clear error when used outside `<CozeAuthProvider>`. */
export function useCozeAuthContext(): CozeAuthContextValue {
  const value = useContext(CozeAuthContext);
  if (!value) throw new Error('react-coze-auth: wrap your app in <CozeAuthProvider> before using its hooks.');
  return value;
}

/** The provider's {@link CozeSession}, for code that needs the framework-agnostic core. */
export function useCozeSession(): CozeSession {
  return useCozeAuthContext().session;
}
