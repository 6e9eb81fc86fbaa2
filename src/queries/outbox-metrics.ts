/**
 * Numbers for /metrics, read at scrape time: outbox queue depth per channel and status, dead letters per
 * channel, delivery latency quantiles over the last hour (created_at → sent_at, valid whichever process
 * delivered), and running clocks past due per agency.
 */
import { sql } from 'drizzle-orm';
import { query } from '../db/client.ts';
import type { Services } from '../app/context.ts';

/** Everything the metrics endpoint exposes from the database. */
export interface OutboxMetrics {
  depth: Array<{ channel: string; status: string; n: number }>;
  failed: Array<{ channel: string; n: number }>;
  latency: Array<{ channel: string; p50: number; p95: number; n: number }>;
  overdue: Array<{ agencyId: string; n: number }>;
}

/** Reads the metrics at `now`. */
export async function outboxMetrics(svc: Services): Promise<OutboxMetrics> {
  const now = svc.now().toISOString();
  const [depth, failed, latency, overdue] = await Promise.all([
    query<{ channel: string; status: string; n: number }>(
      svc.db,
      sql`select channel, status, count(*)::int as n from outbox where status <> 'sent' group by 1, 2`,
    ),
    query<{ channel: string; n: number }>(
      svc.db,
      sql`select channel, count(*)::int as n from outbox
          where status = 'dead' or (status = 'pending' and last_error is not null and attempts > 0) group by 1`,
    ),
    query<{ channel: string; p50: number; p95: number; n: number }>(
      svc.db,
      sql`select channel,
            percentile_cont(0.5) within group (order by extract(epoch from sent_at - created_at))::float8 as p50,
            percentile_cont(0.95) within group (order by extract(epoch from sent_at - created_at))::float8 as p95,
            count(*)::int as n
          from outbox where status = 'sent' and sent_at > ${now}::timestamptz - interval '1 hour' group by 1`,
    ),
    query<{ agencyId: string; n: number }>(
      svc.db,
      sql`select coalesce(d.agency_id, r.target_agency_id, 'none') as "agencyId", count(*)::int as n
          from report_deadlines d join reports r on r.id = d.report_id
          where d.stopped_at is null and d.due_at < ${now}::timestamptz
            and d.clock in ('verification', 'follow_up', 'completion')
          group by 1`,
    ),
  ]);
  return { depth, failed, latency, overdue };
}
