import type { ReactNode } from 'react';
import { useCozeAuth } from '../../src/index';
import { AppHeader } from './AppHeader';
import { EventLog } from '../../demo/src/components/EventLog';
import { ProfileCard } from '../../demo/src/components/ProfileCard';
import { SignedOutPage } from './SignedOutPage';
import { TokenPanel } from '../../demo/src/components/TokenPanel';
import { WorkspaceList } from '../../demo/src/components/WorkspaceList';

/** A whole small app on the library: header, profile, token, workspaces and session events. */
export function DemoApp({ returnTo = '/' }: { returnTo?: string }): ReactNode {
  const { isAuthenticated } = useCozeAuth();
  return (
    <div className="demo-app">
      <AppHeader />
      <main className="demo-main">
        {isAuthenticated ? (
          <div className="demo-dashboard">
            <div className="demo-column">
              <ProfileCard />
              <EventLog />
            </div>
            <div className="demo-column">
              <TokenPanel />
            </div>
            <div className="demo-column">
              <WorkspaceList />
            </div>
          </div>
        ) : (
          <SignedOutPage returnTo={returnTo} />
        )}
      </main>
    </div>
  );
}
