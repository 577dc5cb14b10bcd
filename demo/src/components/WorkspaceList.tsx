import type { ReactNode } from 'react';
import { useCozeQuery } from 'react-coze-auth';
import { QueryError } from './QueryError';

/** The user's workspaces, from `GET /v1/workspaces` through `useCozeQuery`. */
export function WorkspaceList(): ReactNode {
  const list = useCozeQuery(['workspaces', { page_size: 20 }], (client) => client.workspaces.list({ page_size: 20 }));
  return (
    <section className="demo-card" aria-labelledby="workspaces-title" aria-busy={list.isPending || undefined}>
      <h2 id="workspaces-title" className="demo-card-title">
        Workspaces
        {list.data ? <span className="demo-count">{list.data.total_count}</span> : null}
      </h2>
      {list.isPending ? (
        <ul className="demo-list" data-testid="workspaces-loading">
          {[0, 1, 2].map((row) => (
            <li key={row}>
              <span className="demo-skeleton demo-skeleton-line" />
            </li>
          ))}
          <li className="demo-sr-only">Loading workspaces…</li>
        </ul>
      ) : null}
      <QueryError what="workspaces" query={list} />
      {list.data ? (
        <ul className="demo-list" aria-label="Your workspaces">
          {list.data.workspaces.map((workspace) => (
            <li key={workspace.id}>
              <span className="demo-ws-icon" aria-hidden="true">
                {workspace.name.slice(0, 1)}
              </span>
              <span className="demo-ws-name">{workspace.name}</span>
              <span className={`demo-tag demo-tag-${workspace.workspace_type}`}>{workspace.workspace_type}</span>
              <span className="demo-tag demo-tag-subtle">{workspace.role_type}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
