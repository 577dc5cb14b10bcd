import type { CozeAPI } from '@coze/api';
import { getCozeClient } from '../core/cozeClient.js';
import { useCozeAuthContext } from './context.js';

/**
 * The provider's `CozeAPI` client (one per provider). Every request awaits a fresh token, so the
 * client is never re-created and its consumers do not re-render when tokens refresh.
 */
export function useCozeClient(): CozeAPI {
  const { session, clientOptions } = useCozeAuthContext();
  return getCozeClient(session, clientOptions);
}
