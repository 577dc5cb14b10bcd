import type { ReactNode } from 'react';
import { useCozeQuery } from 'react-coze-auth';
import { QueryError } from './QueryError';

/** The signed-in user, from `GET /v1/users/me` through `useCozeQuery`. */
export function ProfileCard(): ReactNode {
  const me = useCozeQuery(['users', 'me'], (client) => client.users.me());
  return (
    <section className="demo-card" aria-labelledby="profile-title" aria-busy={me.isPending || undefined}>
      <h2 id="profile-title" className="demo-card-title">
        Profile
      </h2>
      {me.isPending ? (
        <div className="demo-profile" data-testid="profile-loading">
          <span className="demo-skeleton demo-skeleton-avatar" />
          <div className="demo-skeleton-lines">
            <span className="demo-skeleton demo-skeleton-line" />
            <span className="demo-skeleton demo-skeleton-line short" />
          </div>
          <span className="demo-sr-only">Loading profile…</span>
        </div>
      ) : null}
      <QueryError what="your profile" query={me} />
      {me.data ? (
        <div className="demo-profile">
          {me.data.avatar_url ? <img className="demo-avatar" src={me.data.avatar_url} alt="" width={56} height={56} /> : null}
          <div>
            <p className="demo-name" data-testid="nick-name">
              {me.data.nick_name}
            </p>
            <p className="demo-muted">@{me.data.user_name}</p>
            <p className="demo-muted demo-small">User ID {me.data.user_id}</p>
          </div>
        </div>
      ) : null}
    </section>
  );
}
