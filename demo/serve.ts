/**
 * `npm run demo`: the demo app against the embedded local Coze (default), or against real Coze
 * when COZE_CLIENT_ID, COZE_REDIRECT_URI and COZE_BASE_URL are set.
 */
import { createServer } from 'vite';
import { DEFAULT_COZE_BOT, startFakeCozeServer } from '../src/testing/node';

const APP_ORIGIN = 'http://localhost:5173';
const DEMO_CLIENT_ID = 'demo-spa';

async function main(): Promise<void> {
  const real = process.env.COZE_CLIENT_ID && process.env.COZE_REDIRECT_URI && process.env.COZE_BASE_URL;
  let stopFake: (() => Promise<void>) | undefined;

  if (real) {
    process.env.COZE_DEMO_MODE = 'coze';
    process.env.COZE_DEMO_CLIENT_ID = process.env.COZE_CLIENT_ID;
    process.env.COZE_DEMO_REDIRECT_URI = process.env.COZE_REDIRECT_URI;
    process.env.COZE_DEMO_BASE_URL = process.env.COZE_BASE_URL;
    if (process.env.COZE_WEB_BASE_URL) process.env.COZE_DEMO_WEB_BASE_URL = process.env.COZE_WEB_BASE_URL;
    if (process.env.COZE_WORKSPACE_ID) process.env.COZE_DEMO_WORKSPACE_ID = process.env.COZE_WORKSPACE_ID;
    if (process.env.COZE_BOT_ID) process.env.COZE_DEMO_BOT_ID = process.env.COZE_BOT_ID;
  } else {
    const accessTokenTtlSeconds = Number(process.env.DEMO_ACCESS_TTL ?? 30);
    const fake = await startFakeCozeServer({
      apiPort: Number(process.env.DEMO_API_PORT ?? 4010),
      webPort: Number(process.env.DEMO_WEB_PORT ?? 4011),
      clients: [{ clientId: DEMO_CLIENT_ID, name: 'react-coze-auth demo', redirectUris: [`${APP_ORIGIN}/callback`] }],
      accessTokenTtlSeconds,
      // Paced like a model typing, so the chat panel shows the answer arriving.
      chatChunkDelayMs: Number(process.env.DEMO_CHAT_CHUNK_MS ?? 60),
    });
    stopFake = () => fake.close();
    process.env.COZE_DEMO_MODE = 'local';
    process.env.COZE_DEMO_CLIENT_ID = DEMO_CLIENT_ID;
    process.env.COZE_DEMO_REDIRECT_URI = `${APP_ORIGIN}/callback`;
    process.env.COZE_DEMO_BASE_URL = fake.apiOrigin;
    process.env.COZE_DEMO_WEB_BASE_URL = fake.webOrigin;
    process.env.COZE_DEMO_BOT_ID = DEFAULT_COZE_BOT.bot_id;
    console.log(`Local Coze-compatible OAuth server: api ${fake.apiOrigin}, web ${fake.webOrigin}`);
    console.log(`Access tokens live ${accessTokenTtlSeconds} s, so silent refresh shows within a minute.`);
  }

  const vite = await createServer({ configFile: new URL('./vite.config.ts', import.meta.url).pathname });
  await vite.listen();
  console.log(`\n  react-coze-auth demo (${real ? 'real Coze' : 'local fake Coze'}): open ${APP_ORIGIN}/\n`);

  const shutdown = async () => {
    await vite.close();
    await stopFake?.();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

main().catch((error: unknown) => {
  console.error('The demo could not start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
