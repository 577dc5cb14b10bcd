'use client';

import { CozeLoginButton, useCozeAuth, useCozeQuery } from 'react-coze-auth';

// Calls Coze through the official client; the query waits until signed in and its cache entry
// belongs to this sign-in only.
export default function MePage() {
  const { isAuthenticated } = useCozeAuth();
  const me = useCozeQuery(['users', 'me'], (client) => client.users.me());
  if (!isAuthenticated) {
    return (
      <p>
        <CozeLoginButton returnTo="/me">Sign in to see your Coze profile</CozeLoginButton>
      </p>
    );
  }
  if (me.isError) return <p role="alert">Could not load your profile: {me.error.message}</p>;
  if (!me.data) return <p role="status">Loading your profile…</p>;
  return (
    <>
      <h1>
        Hello <span data-testid="nick-name">{me.data.nick_name}</span>
      </h1>
      <p>
        User id <code data-testid="user-id">{me.data.user_id}</code>
      </p>
    </>
  );
}
