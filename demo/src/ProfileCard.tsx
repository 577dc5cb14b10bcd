import { useCozeQuery } from 'react-coze-auth';

export function ProfileCard() {
  const me = useCozeQuery(['users', 'me'], (client) => client.users.me());
  return (
    <section className="card" aria-labelledby="profile-title">
      <h2 id="profile-title">Signed-in user</h2>
      {me.isPending ? <p className="muted">Loading profile…</p> : null}
      {me.error ? <p role="alert">Could not load the profile: {me.error.message}</p> : null}
      {me.data ? (
        <div className="profile">
          {me.data.avatar_url ? <img className="avatar" src={me.data.avatar_url} alt="" width={56} height={56} /> : null}
          <div>
            <p className="name" data-testid="nick-name">{me.data.nick_name}</p>
            <p className="muted">@{me.data.user_name}</p>
            <p className="muted small">User id {me.data.user_id}</p>
          </div>
        </div>
      ) : null}
    </section>
  );
}
