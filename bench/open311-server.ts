/**
 * The app as `aduan serve` builds it (Open311 list cache on), but with Open311 rate limits raised so the
 * benchmark measures the read path (the limiter's counter upsert still runs on every request).
 * BENCH_NO_LIMIT=1 switches the limiter off, BENCH_NO_CACHE=1 the list cache. Run by bench/open311.ts.
 */
import { loadConfig } from '../src/config.ts';
import { openRuntime } from '../src/runtime.ts';
import { buildApp } from '../src/http/app.ts';

const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
const runtime = await openRuntime(config, { skipSetup: true });
const limit = process.env.BENCH_NO_LIMIT ? 0 : 1_000_000_000;
const app = await buildApp({
  services: runtime.services,
  logLevel: 'silent',
  open311: {
    readsPerMinute: limit,
    writesPerMinute: limit,
    listCacheSeconds: process.env.BENCH_NO_CACHE ? 0 : 2,
    changes: (fn) => runtime.database.listen('outbox', fn),
  },
});
await app.listen({ port: 0, host: '127.0.0.1' });
console.log(`listening ${(app.server.address() as { port: number }).port}`);
process.on('SIGTERM', async () => {
  await app.close();
  await runtime.close();
  process.exit(0);
});
