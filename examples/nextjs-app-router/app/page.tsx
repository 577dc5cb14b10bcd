import { COZE_COM_BASE_URL } from 'react-coze-auth';

// A server component. The package's framework-agnostic exports (constants, CozeSession,
// errors) work here; its React modules are client components ('use client').
export default function HomePage() {
  return (
    <>
      <h1>react-coze-auth with Next.js</h1>
      <p>
        Sign in with Coze, then open <a href="/protected">a guarded page</a> or <a href="/me">your profile</a>{' '}
        (Coze&apos;s <code>/v1/users/me</code>). Default API host: <code>{COZE_COM_BASE_URL}</code>.
      </p>
    </>
  );
}
