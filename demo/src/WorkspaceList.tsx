import { useCozeQuery } from 'react-coze-auth';

export function WorkspaceList() {
  const workspaces = useCozeQuery(['workspaces'], (client) => client.workspaces.list({ page_size: 20 }));
  return (
    <section className="card" aria-labelledby="workspaces-title">
      <h2 id="workspaces-title">Workspaces</h2>
      {workspaces.isPending ? <p className="muted">Loading workspaces…</p> : null}
      {workspaces.error ? <p role="alert">Could not load workspaces: {workspaces.error.message}</p> : null}
      {workspaces.data ? (
        <ul className="workspaces">
          {workspaces.data.workspaces.map((workspace) => (
            <li key={workspace.id}>
              <span className="workspace-name">{workspace.name}</span>
              <span className="tag">{workspace.workspace_type}</span>
              <span className="tag subtle">{workspace.role_type}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
