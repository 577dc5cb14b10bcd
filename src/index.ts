/**
 * react-coze-auth: sign a React SPA into Coze OpenAPI with OAuth 2.0 Authorization Code + PKCE.
 * @packageDocumentation
 */
export * from './core/index.js';
export * from './react/index.js';
export * from './query/index.js';
