// The TanStack Query binding: everything in react-coze-auth that imports @tanstack/react-query.
export { CozeQueryProvider } from './CozeQueryProvider.js';
export type { CozeQueryProviderProps } from './CozeQueryProvider.js';
export { useCozeQuery } from './useCozeQuery.js';
export type { UseCozeQueryOptions } from './useCozeQuery.js';
export { useCozeQueryCleanup } from './useCozeQueryCleanup.js';
export { COZE_QUERY_SCOPE, cozeQueryKey } from './queryKeys.js';
