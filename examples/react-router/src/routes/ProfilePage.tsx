import { redirect, useLoaderData, type LoaderFunctionArgs } from 'react-router';
import { isCozeAuthError } from 'react-coze-auth';
import { session } from '../coze';

interface CozeUser {
  user_id: string;
  user_name: string;
  nick_name: string;
  avatar_url: string;
}

/** Coze's OpenAPI envelope: `code` 0 on success, otherwise `msg` says why. */
interface CozeEnvelope<T> {
  code: number;
  msg: string;
  data?: T;
}

/**
 * Runs before the page renders, outside React: awaits a token that is valid now (refreshing it
 * first if it is about to expire; concurrent callers share one refresh), then calls Coze with it.
 * Signed out, or after a session that cannot be refreshed, it sends the user to sign in.
 */
export async function profileLoader({ request }: LoaderFunctionArgs) {
  let token: string;
  try {
    token = await session.getToken();
  } catch (error) {
    if (isCozeAuthError(error) && !error.isTransient) {
      const returnTo = new URL(request.url).pathname;
      throw redirect(`/login?returnTo=${encodeURIComponent(returnTo)}`);
    }
    throw error;
  }
  const response = await fetch(`${session.config.baseURL}/v1/users/me`, {
    headers: { Authorization: `Bearer ${token}` },
    signal: request.signal,
  });
  const body = (await response.json()) as CozeEnvelope<CozeUser>;
  if (!response.ok || body.code !== 0 || !body.data) {
    throw new Error(`Coze answered ${response.status} (code ${body.code}): ${body.msg}`);
  }
  return { user: body.data, tokenExpiresAt: session.getSnapshot().expiresAt };
}

export function ProfilePage() {
  const { user, tokenExpiresAt } = useLoaderData<typeof profileLoader>();
  return (
    <>
      <h1>
        Hello <span data-testid="loader-nick-name">{user.nick_name}</span>
      </h1>
      <p>
        User id <code data-testid="loader-user-id">{user.user_id}</code>, loaded by the route loader with a token valid
        until <time>{tokenExpiresAt ? new Date(tokenExpiresAt).toISOString() : '—'}</time>.
      </p>
    </>
  );
}
