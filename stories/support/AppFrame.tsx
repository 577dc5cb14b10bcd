import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { CozeAuthProvider, CozeCallback, CozeQueryProvider, useCozeAuth } from '../../src/index';
import { authStatusLabel } from '../../demo/src/components/describeAuthEvent';
import { NowContext } from '../../demo/src/components/useNow';
import { CozeConsentPage } from './CozeConsentPage';
import { Simulator, type SimulatorControl } from './Simulator';
import type { StoryAuth } from './storyAuth';
import { useStoryEnv } from './storyEnv';

/** Where the story's "browser" is: a page of the app, or Coze's consent page. */
type Place = { at: 'app'; url: string } | { at: 'coze'; url: string };

export interface AppFrameProps {
  auth: StoryAuth;
  /** The app: rendered on every route except `/callback`; a function gets the current path. */
  children: ReactNode | ((path: string) => ReactNode);
  /** Where the browser starts: a path, or a full callback URL. Default `/`. */
  initialUrl?: string;
  /** What the app renders on its redirect route. Default `<CozeCallback />`, as in the README. */
  callbackRoute?: ReactNode;
  /** `browser` draws an address bar and the sign-in state; `plain` only the page. */
  chrome?: 'browser' | 'plain';
  /**
   * What happens when the app leaves for Coze: `consent` shows Coze's consent page (default);
   * `note` keeps the app on screen and prints the authorize URL it left for.
   */
  coze?: 'consent' | 'note';
  /** Buttons that make Coze (and time) do things, drawn under the frame. */
  simulator?: readonly SimulatorControl[];
}

function toPath(url: string): string {
  const parsed = new URL(url, globalThis.location.origin);
  return `${parsed.pathname}${parsed.search}${parsed.hash}`;
}

/**
 * A small browser around a story: the real `<CozeAuthProvider>` (with `onRedirectCallback` as the
 * router's navigate), a route table with the callback route, and Coze's consent page whenever the
 * app leaves for Coze. Nothing here stands in for the library's state: the session, hooks and
 * components are the real ones, and the fake Coze answers every request.
 */
export function AppFrame(props: AppFrameProps): ReactNode {
  const { auth, children, initialUrl = '/', callbackRoute = <CozeCallback />, chrome = 'browser', coze = 'consent', simulator = [] } = props;
  const { liveClock, locale } = useStoryEnv();
  const [place, setPlace] = useState<Place>(() =>
    coze === 'consent' && auth.pendingLogin ? { at: 'coze', url: auth.pendingLogin } : { at: 'app', url: toPath(initialUrl) },
  );
  const [leftFor, setLeftFor] = useState<string>();
  // Each arrival at a page mounts it afresh, as a real navigation would.
  const [visit, setVisit] = useState(0);

  const navigate = useCallback((to: string) => {
    setPlace({ at: 'app', url: toPath(to) });
    setVisit((count) => count + 1);
  }, []);

  useEffect(
    () =>
      auth.onNavigate((authorizeUrl) => {
        if (coze === 'consent') setPlace({ at: 'coze', url: authorizeUrl });
        else setLeftFor(authorizeUrl);
      }),
    [auth, coze],
  );

  useEffect(() => (liveClock ? auth.startRealtime() : undefined), [auth, liveClock]);

  const path = place.at === 'app' ? place.url : '';
  const pathname = path.split(/[?#]/)[0];
  let page: ReactNode;
  if (place.at === 'coze') {
    page = (
      <CozeConsentPage
        auth={auth}
        authorizeUrl={place.url}
        onDecision={async (decision) => navigate(await auth.decide(decision))}
      />
    );
  } else if (pathname === '/callback') {
    page = (
      <AtLocation key={visit} url={path}>
        {callbackRoute}
      </AtLocation>
    );
  } else {
    page = <div key={visit}>{typeof children === 'function' ? children(path) : children}</div>;
  }

  return (
    <NowContext.Provider value={auth.clock.now}>
      <CozeAuthProvider
        session={auth.session}
        clientOptions={auth.clientOptions}
        onRedirectCallback={navigate}
        locale={locale}
      >
        <CozeQueryProvider queryClient={auth.queryClient}>
        <div className="demo-root">
          {chrome === 'browser' ? (
            <div className="demo-browser">
              <BrowserBar place={place} />
              <div className={place.at === 'coze' ? 'demo-page demo-page-coze' : 'demo-page'}>{page}</div>
            </div>
          ) : (
            <div className="demo-plain">{page}</div>
          )}
          {leftFor ? <LeftForCoze authorizeUrl={leftFor} /> : null}
          {simulator.length > 0 ? <Simulator auth={auth} controls={simulator} /> : null}
        </div>
        </CozeQueryProvider>
      </CozeAuthProvider>
    </NowContext.Provider>
  );
}

/**
 * Renders its children while the address bar shows `url`, because `<CozeCallback>` reads the
 * callback from `window.location` in its effect, as it does in an app. The story's own URL is put
 * back in this component's effect, which React runs after its children's: the callback was read by then.
 */
function AtLocation({ url, children }: { url: string; children: ReactNode }): ReactNode {
  const [storyUrl] = useState(() => {
    const previous = globalThis.location.href;
    globalThis.history.replaceState(globalThis.history.state, '', url);
    return previous;
  });
  useEffect(() => {
    globalThis.history.replaceState(globalThis.history.state, '', storyUrl);
  }, [storyUrl]);
  return children;
}

/** A URL for the address bar: long query values (codes, states) shortened. */
function displayUrl(url: URL): string {
  const query = [...url.searchParams].map(([name, value]) => `${name}=${value.length > 12 ? `${value.slice(0, 8)}…` : value}`);
  return `${url.host}${url.pathname}${query.length > 0 ? `?${query.join('&')}` : ''}`;
}

function BrowserBar({ place }: { place: Place }): ReactNode {
  const { status } = useCozeAuth();
  const shown =
    place.at === 'coze'
      ? `${new URL(place.url).host}${new URL(place.url).pathname}`
      : displayUrl(new URL(place.url, globalThis.location.origin));
  return (
    <div className="demo-browser-bar">
      <span className="demo-dots" aria-hidden="true">
        <i />
        <i />
        <i />
      </span>
      <div className="demo-address" title={place.url}>
        <span className="demo-sr-only">Address: </span>
        <span className="demo-lock" aria-hidden="true">
          ⌂
        </span>
        <span data-testid="address">{shown}</span>
      </div>
      <span className={`demo-chip demo-chip-${status}`} data-testid="auth-status">
        {authStatusLabel(status)}
      </span>
    </div>
  );
}

function LeftForCoze({ authorizeUrl }: { authorizeUrl: string }): ReactNode {
  const url = new URL(authorizeUrl);
  const shorten = (value: string | null) => (value && value.length > 18 ? `${value.slice(0, 14)}…` : (value ?? '—'));
  const params: [string, string][] = [
    ['client_id', shorten(url.searchParams.get('client_id'))],
    ['redirect_uri', url.searchParams.get('redirect_uri') ?? '—'],
    ['code_challenge_method', shorten(url.searchParams.get('code_challenge_method'))],
    ['code_challenge', shorten(url.searchParams.get('code_challenge'))],
    ['state', shorten(url.searchParams.get('state'))],
  ];
  return (
    <section className="demo-note" aria-labelledby="left-for-coze">
      <h2 id="left-for-coze">The app is leaving for Coze</h2>
      <p>
        In a browser the page would now load <code>{`${url.origin}${url.pathname}`}</code>. The story keeps it here so the
        pending button stays on screen.
      </p>
      <dl className="demo-params">
        {params.map(([name, value]) => (
          <div key={name}>
            <dt>{name}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
