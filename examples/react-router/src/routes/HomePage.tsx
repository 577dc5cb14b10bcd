export function HomePage() {
  return (
    <>
      <h1>react-coze-auth with React Router</h1>
      <p>
        <strong>Protected</strong> is guarded by <code>&lt;RequireCozeAuth&gt;</code>; <strong>Profile</strong> is loaded
        by a route loader that awaits a fresh token from the shared <code>CozeSession</code> and calls Coze&apos;s{' '}
        <code>/v1/users/me</code> before the page renders.
      </p>
    </>
  );
}
