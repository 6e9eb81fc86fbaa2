/**
 * The app as `aduan serve` builds it, but with Open311 rate limits raised so the benchmark measures the
 * read path (the limiter's counter upsert still runs on every request). Run by bench/open311.ts.
 */
import { loadConfig } from '../src/config.ts';
import { openRuntime } from '../src/runtime.ts';
import { buildApp } from '../src/http/app.ts';

const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
const runtime = await openRuntime(config, { skipSetup: true });
const app = await buildApp({
  services: runtime.services,
  logLevel: 'silent',
  open311: process.env.BENCH_NO_LIMIT
    ? { readsPerMinute: 0, writesPerMinute: 0 }
    : { readsPerMinute: 1_000_000_000, writesPerMinute: 1_000_000_000 },
});
await app.listen({ port: 0, host: '127.0.0.1' });
console.log(`listening ${(app.server.address() as { port: number }).port}`);
process.on('SIGTERM', async () => {
  await app.close();
  await runtime.close();
  process.exit(0);
});
