/**
 * The ceiling for the intake benchmark: a bare Fastify endpoint that does one plain INSERT of the same
 * report row (no validation, no events, no clocks, no outbox). Run as a child process by bench/intake.ts.
 */
import { randomInt } from 'node:crypto';
import Fastify from 'fastify';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../src/db/client.ts';

const database = await openDatabase({
  databaseUrl: process.env.DATABASE_URL || undefined,
  dataDir: process.env.ADUAN_DATA_DIR,
});
const app = Fastify({ logger: false });
app.post('/ceiling', async (req, reply) => {
  const b = req.body as { title: string; body: string; classification: string; regionCode: string };
  await database.db.execute(
    sql`insert into reports (tracking_id, access_key_hash, classification, title, body, region_code, status, channel)
        values (${String(1_000_000_000 + randomInt(8_999_999_999))}, 'x', ${b.classification}, ${b.title}, ${b.body}, ${b.regionCode}, 'submitted', 'api')`,
  );
  return reply.status(201).send({ ok: true });
});
await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
console.log(`listening ${(app.server.address() as { port: number }).port}`);
process.on('SIGTERM', async () => {
  await app.close();
  await database.close();
  process.exit(0);
});
