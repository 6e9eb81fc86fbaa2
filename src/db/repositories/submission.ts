/**
 * Writes new reports: each report row (with its running deadline and chain head), its verification clock in
 * report_deadlines, its first hash-chained event and the event's outbox message, in one SQL statement of
 * data-modifying CTEs over a JSON array of submissions (jsonb_to_recordset). One statement is one round trip
 * and atomic on its own; inside a caller's transaction it is part of that transaction. A tracking number
 * already taken inserts nothing for that report (ON CONFLICT DO NOTHING), so the caller draws another one
 * without an error aborting a surrounding transaction.
 *
 * A submission with an idempotency key (ADR 0014) writes its key row first (ON CONFLICT DO NOTHING on the key) and
 * its report only when that key row was written, in the same statement: a key already held (committed, or being
 * written by a concurrent transaction, which the insert waits for) writes nothing, and the caller answers with the
 * report the key names. A key row whose report was not written (its tracking number was taken) is removed by the
 * caller before it draws another number.
 *
 * Group commit (ADR 0009): top-level submissions that arrive while earlier ones are being written are
 * written together by the next statement, so concurrent reports share one round trip, one plan and one
 * commit (WAL flush). A submission is answered only after the statement that wrote it has committed. A
 * statement that fails is retried one submission at a time, so one bad row fails only its own request.
 *
 * The worker wake-up (NOTIFY outbox) is not part of a top-level statement: PostgreSQL serialises the
 * commits of transactions that NOTIFY (a database-wide lock held through the commit's WAL flush), which
 * capped intake at about a tenth of a bare INSERT. wakeWorkers() notifies right after the commit instead,
 * one NOTIFY in flight at a time. Inside a caller's transaction the NOTIFY stays in the statement, so it
 * fires at that transaction's commit as before.
 */
import { sql } from 'drizzle-orm';
import type { AppDb, Tx } from '../client.ts';
import { query, queryPrepared, wakeWorkers } from '../client.ts';
import type { reportDeadlines, reports } from '../schema.ts';
import type { EventRecord } from './events.ts';

type ReportValues = typeof reports.$inferInsert & {
  id: string;
  trackingId: string;
  createdAt: Date;
  updatedAt: Date;
  eventCount: number;
  lastEventHash: string;
};
type DeadlineValues = typeof reportDeadlines.$inferInsert & { dueAt: Date; startedAt: Date };

/** The rows of one submission. */
export interface SubmissionRows {
  report: ReportValues;
  deadline: DeadlineValues;
  event: EventRecord;
  /** The idempotency key row written with the report (ADR 0014). */
  idempotency?: { keyHash: string; requestHash: string; accessKeyEnc: string } | undefined;
}

/** What the database generated for a written report. */
export interface WrittenReport {
  search: string;
}

/** Submissions written by one statement at most. */
const MAX_BATCH = 64;
/** Statements in flight per database handle; later submissions wait and are written together. */
const MAX_IN_FLIGHT = 1;

/** One submission as a JSON record for jsonb_to_recordset (names match the column list below). */
function record(s: SubmissionRows): Record<string, unknown> {
  const r = s.report;
  const d = s.deadline;
  const e = s.event.event;
  const o = s.event.outbox;
  return {
    id: r.id,
    tracking_id: r.trackingId,
    access_key_hash: r.accessKeyHash,
    classification: r.classification,
    title: r.title,
    body: r.body,
    occurred_on: r.occurredOn ?? null,
    region_code: r.regionCode ?? null,
    lat: r.lat ?? null,
    lon: r.lon ?? null,
    address: r.address ?? null,
    category_id: r.categoryId ?? null,
    target_agency_id: r.targetAgencyId ?? null,
    status: r.status,
    anonymous: r.anonymous ?? false,
    confidential: r.confidential ?? false,
    channel: r.channel,
    reporter_user_id: r.reporterUserId ?? null,
    reporter_enc: r.reporterEnc ?? null,
    reporter_lang: r.reporterLang ?? 'id',
    deadline: r.deadline ?? null,
    due_at: r.dueAt ?? null,
    event_count: r.eventCount,
    last_event_hash: r.lastEventHash,
    created_at: r.createdAt,
    updated_at: r.updatedAt,
    d_clock: d.clock,
    d_agency_id: d.agencyId ?? null,
    d_rule_id: d.ruleId,
    d_rule_version: d.ruleVersion,
    d_started_at: d.startedAt,
    d_due_at: d.dueAt,
    // Usually the report's own deadline explanation: sent once and taken from `deadline` in SQL.
    d_explanation:
      d.explanation === (r.deadline as { explanation?: unknown } | null)?.explanation ? null : d.explanation,
    e_seq: e.seq,
    e_type: e.type,
    e_visibility: e.visibility,
    e_actor_user_id: e.actorUserId ?? null,
    e_actor_role: e.actorRole ?? null,
    e_actor_agency_id: e.actorAgencyId ?? null,
    e_from_status: e.fromStatus ?? null,
    e_to_status: e.toStatus ?? null,
    e_body: e.body ?? null,
    e_data: e.data,
    e_created_at: e.createdAt,
    e_prev_hash: e.prevHash,
    e_hash: e.hash,
    o_kind: o.kind,
    o_channel: o.channel,
    o_payload: o.payload,
    o_idempotency_key: o.idempotencyKey,
    k_hash: s.idempotency?.keyHash ?? null,
    k_request_hash: s.idempotency?.requestHash ?? null,
    k_access_key_enc: s.idempotency?.accessKeyEnc ?? null,
  };
}

/** Writes submissions in one statement; returns the written reports by id (a taken tracking number is absent). */
async function writeSubmissions(
  db: AppDb | Tx,
  items: SubmissionRows[],
  notify: boolean,
): Promise<Map<string, WrittenReport>> {
  const statement = sql`with input as (
      select * from jsonb_to_recordset(${JSON.stringify(items.map(record))}::jsonb) as t(
        id uuid, tracking_id text, access_key_hash text, classification text, title text, body text,
        occurred_on date, region_code text, lat double precision, lon double precision, address text,
        category_id integer, target_agency_id text, status text, anonymous boolean, confidential boolean,
        channel text, reporter_user_id uuid, reporter_enc text, reporter_lang text, deadline jsonb,
        due_at timestamptz, event_count integer, last_event_hash text, created_at timestamptz,
        updated_at timestamptz,
        d_clock text, d_agency_id text, d_rule_id text, d_rule_version integer, d_started_at timestamptz,
        d_due_at timestamptz, d_explanation jsonb,
        e_seq integer, e_type text, e_visibility text, e_actor_user_id uuid, e_actor_role text,
        e_actor_agency_id text, e_from_status text, e_to_status text, e_body text, e_data jsonb,
        e_created_at timestamptz, e_prev_hash text, e_hash text,
        o_kind text, o_channel text, o_payload jsonb, o_idempotency_key text,
        k_hash text, k_request_hash text, k_access_key_enc text)
    ), k as (
      insert into report_idempotency_keys (key_hash, request_hash, report_id, access_key_enc, created_at)
      select k_hash, k_request_hash, id, k_access_key_enc, created_at from input where k_hash is not null
      on conflict (key_hash) do nothing
      returning report_id
    ), r as (
      insert into reports (id, tracking_id, access_key_hash, classification, title, body, occurred_on, region_code,
        lat, lon, address, category_id, target_agency_id, status, anonymous, confidential, channel,
        reporter_user_id, reporter_enc, reporter_lang, deadline, due_at, event_count, last_event_hash,
        created_at, updated_at)
      select id, tracking_id, access_key_hash, classification, title, body, occurred_on, region_code,
        lat, lon, address, category_id, target_agency_id, status, anonymous, confidential, channel,
        reporter_user_id, reporter_enc, reporter_lang, deadline, due_at, event_count, last_event_hash,
        created_at, updated_at
      from input
      where k_hash is null or id in (select report_id from k)
      on conflict (tracking_id) do nothing
      returning id, search::text as search
    ), d as (
      insert into report_deadlines (report_id, clock, agency_id, rule_id, rule_version, started_at, due_at, explanation)
      select i.id, i.d_clock, i.d_agency_id, i.d_rule_id, i.d_rule_version, i.d_started_at, i.d_due_at,
        coalesce(i.d_explanation, i.deadline->'explanation')
      from input i join r on r.id = i.id
    ), e as (
      insert into report_events (report_id, seq, type, visibility, actor_user_id, actor_role, actor_agency_id,
        from_status, to_status, body, data, created_at, prev_hash, hash)
      select i.id, i.e_seq, i.e_type, i.e_visibility, i.e_actor_user_id, i.e_actor_role, i.e_actor_agency_id,
        i.e_from_status, i.e_to_status, i.e_body, i.e_data, i.e_created_at, i.e_prev_hash, i.e_hash
      from input i join r on r.id = i.id
    ), o as (
      insert into outbox (kind, channel, report_id, payload, idempotency_key)
      select i.o_kind, i.o_channel, i.id, i.o_payload, i.o_idempotency_key
      from input i join r on r.id = i.id
      on conflict do nothing
    )
    select r.id::text as id, r.search${notify ? sql`, pg_notify('outbox', '')::text as notified` : sql``} from r`;
  // Top-level batches (the hot path) run as a prepared statement: one parse and plan per pooled connection.
  const rows = notify
    ? await query<{ id: string; search: string }>(db, statement)
    : await queryPrepared<{ id: string; search: string }>(db, 'aduan_submit_batch_v2', statement);
  return new Map(rows.map((row) => [row.id, { search: row.search }]));
}

/** True for a Drizzle transaction handle (the statement then commits with the caller's transaction). */
function isTransaction(db: AppDb | Tx): db is Tx {
  return typeof (db as { rollback?: unknown }).rollback === 'function';
}

interface Pending {
  rows: SubmissionRows;
  resolve: (written: WrittenReport | null) => void;
  reject: (e: unknown) => void;
}

/** Group commit for one database handle. */
class SubmissionBatcher {
  private readonly queue: Pending[] = [];
  private inFlight = 0;

  constructor(private readonly db: AppDb) {}

  submit(rows: SubmissionRows): Promise<WrittenReport | null> {
    return new Promise((resolve, reject) => {
      this.queue.push({ rows, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < MAX_IN_FLIGHT && this.queue.length > 0) {
      const batch = this.queue.splice(0, MAX_BATCH);
      this.inFlight++;
      void this.write(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async write(batch: Pending[]): Promise<void> {
    try {
      const written = await writeSubmissions(
        this.db,
        batch.map((p) => p.rows),
        false,
      );
      wakeWorkers(this.db);
      for (const p of batch) p.resolve(written.get(p.rows.report.id) ?? null);
    } catch (e) {
      if (batch.length === 1) {
        batch[0]!.reject(e);
        return;
      }
      // Nothing of the failed statement was written: write each submission alone so a bad row fails alone.
      await Promise.all(batch.map((p) => this.write([p])));
    }
  }
}

const batchers = new WeakMap<AppDb, SubmissionBatcher>();

/**
 * Writes one submission; resolves once it is committed (or, inside a caller's transaction, written in it).
 * Resolves null when the tracking number was taken (nothing was written).
 */
export async function insertSubmission(db: AppDb | Tx, s: SubmissionRows): Promise<WrittenReport | null> {
  if (isTransaction(db)) return (await writeSubmissions(db, [s], true)).get(s.report.id) ?? null;
  let b = batchers.get(db);
  if (!b) batchers.set(db, (b = new SubmissionBatcher(db)));
  return b.submit(s);
}
