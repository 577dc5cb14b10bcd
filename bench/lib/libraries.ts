import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The repository root (bench/lib/ → ../../). */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The libraries compared, in table order. `id` names the entry files under bench/size/entries and bench/behaviour/apps. */
export const LIBRARIES = [
  { id: 'coze', name: 'react-coze-auth', pkg: undefined },
  { id: 'react-oidc-context', name: 'react-oidc-context', pkg: 'react-oidc-context' },
  { id: 'axa-react-oidc', name: '@axa-fr/react-oidc', pkg: '@axa-fr/react-oidc' },
  { id: 'auth0-react', name: '@auth0/auth0-react', pkg: '@auth0/auth0-react' },
  { id: 'azure-msal-react', name: '@azure/msal-react', pkg: '@azure/msal-react' },
  { id: 'react-oauth2-code-pkce', name: 'react-oauth2-code-pkce', pkg: 'react-oauth2-code-pkce' },
] as const;

export type Library = (typeof LIBRARIES)[number];
export type LibraryId = Library['id'];

/** Installed version, read from package.json on disk (not every package exports ./package.json). */
export function installedVersion(pkg: string | undefined): string {
  const file = pkg ? `${ROOT}node_modules/${pkg}/package.json` : `${ROOT}package.json`;
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

/** "react-oidc-context 3.3.1" */
export function labelOf(library: Library): string {
  return `${library.name} ${installedVersion(library.pkg)}`;
}
