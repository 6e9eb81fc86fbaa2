/**
 * Key rotation, second half (docs/security.md): re-encrypts every sealed value with the current key, so the
 * previous keys can then be removed. Values are opened in memory only, never shown or logged.
 *
 * Rows are read in primary-key order, a page at a time, and each page is written by one statement that only
 * replaces a value still equal to the one read (a concurrent change wins). Undelivered outbox messages carry
 * sealed fields in their payload (`…Enc`); they are resealed too, and so are the sealed file names of evaluation
 * evidence (`filenameEnc` in the jsonb `evaluation_rubric_scores.evidence`). Running it again does nothing new.
 */
import { sql } from 'drizzle-orm';
import type { Services } from '../app/context.ts';
import { query } from '../db/client.ts';
import { recordAdminAction } from '../db/repositories/admin-audit.ts';

/** A column holding sealed envelopes. */
interface SealedColumn {
  table: string;
  key: string;
  keyType: 'uuid' | 'text' | 'bigint';
  column: string;
}

/** Every column of the schema that holds sealed envelopes. */
export const SEALED_COLUMNS: readonly SealedColumn[] = [
  { table: 'reports', key: 'id', keyType: 'uuid', column: 'reporter_enc' },
  { table: 'users', key: 'id', keyType: 'uuid', column: 'contact_enc' },
  { table: 'open311_requests', key: 'report_id', keyType: 'uuid', column: 'access_key_enc' },
  { table: 'channel_access', key: 'report_id', keyType: 'uuid', column: 'access_key_enc' },
  { table: 'agency_webhooks', key: 'id', keyType: 'uuid', column: 'secret_enc' },
  { table: 'form_drafts', key: 'id', keyType: 'text', column: 'data_enc' },
  { table: 'federation_peers', key: 'instance_id', keyType: 'text', column: 'api_key_enc' },
  { table: 'attachments', key: 'id', keyType: 'uuid', column: 'filename_enc' },
  { table: 'report_idempotency_keys', key: 'key_hash', keyType: 'text', column: 'access_key_enc' },
];

/** Outbox messages not delivered yet (their sealed payload fields may still be opened). */
const UNDELIVERED = sql`status <> 'sent'`;

export interface ResealResult {
  /** `table.column` → values resealed. */
  resealed: Record<string, number>;
  /** Values no configured key opens (left as they are). */
  failed: Record<string, number>;
}

const PAGE = 500;

function ident(name: string) {
  return sql.raw(`"${name.replace(/"/g, '')}"`);
}

/** Reseals every sealed value that is not sealed with the current key. */
export async function resealSecrets(svc: Services, opts: { page?: number } = {}): Promise<ResealResult> {
  const page = opts.page ?? PAGE;
  const result: ResealResult = { resealed: {}, failed: {} };
  const current = svc.sealer.keyIds[0]!;
  const currentPrefix = `v2.${current}.%`;
  for (const c of SEALED_COLUMNS) {
    const name = `${c.table}.${c.column}`;
    result.resealed[name] = 0;
    result.failed[name] = 0;
    let after: string | null = null;
    for (;;) {
      const rows: { k: string; v: string }[] = await query<{ k: string; v: string }>(
        svc.db,
        sql`select ${ident(c.key)}::text as k, ${ident(c.column)} as v from ${ident(c.table)}
            where ${ident(c.column)} is not null and ${ident(c.column)} not like ${currentPrefix}
              ${after === null ? sql`` : sql`and ${ident(c.key)} > ${after}::${sql.raw(c.keyType)}`}
            order by ${ident(c.key)} limit ${page}`,
      );
      if (rows.length === 0) break;
      after = rows[rows.length - 1]!.k;
      const changes: { k: string; old: string; new: string }[] = [];
      for (const r of rows) {
        try {
          changes.push({ k: r.k, old: r.v, new: svc.sealer.reseal(r.v) });
        } catch {
          result.failed[name]!++;
        }
      }
      if (changes.length > 0) {
        const done = await query<{ n: number }>(
          svc.db,
          sql`with v as (
                select * from jsonb_to_recordset(${JSON.stringify(changes)}::jsonb) as v(k text, old text, new text)
              ), u as (
                update ${ident(c.table)} t set ${ident(c.column)} = v.new from v
                where t.${ident(c.key)} = v.k::${sql.raw(c.keyType)} and t.${ident(c.column)} = v.old
                returning 1
              )
              select count(*)::int as n from u`,
        );
        result.resealed[name]! += done[0]?.n ?? 0;
      }
      if (rows.length < page) break;
    }
  }
  result.resealed['outbox.payload'] = 0;
  result.failed['outbox.payload'] = 0;
  let after = 0;
  for (;;) {
    const rows = await query<{ id: number; payload: Record<string, unknown> }>(
      svc.db,
      sql`select id::int as id, payload from outbox
          where ${UNDELIVERED} and id > ${after} and payload::text like '%Enc"%' order by id limit ${page}`,
    );
    if (rows.length === 0) break;
    after = rows[rows.length - 1]!.id;
    for (const r of rows) {
      const next: Record<string, unknown> = { ...r.payload };
      let changed = false;
      try {
        for (const [k, v] of Object.entries(r.payload)) {
          if (!k.endsWith('Enc') || typeof v !== 'string' || svc.sealer.isCurrent(v)) continue;
          next[k] = svc.sealer.reseal(v);
          changed = true;
        }
      } catch {
        result.failed['outbox.payload']!++;
        continue;
      }
      if (!changed) continue;
      const done = await query<{ id: number }>(
        svc.db,
        sql`update outbox set payload = ${JSON.stringify(next)}::jsonb
            where id = ${r.id} and payload = ${JSON.stringify(r.payload)}::jsonb and ${UNDELIVERED} returning id`,
      );
      result.resealed['outbox.payload']! += done.length;
    }
    if (rows.length < page) break;
  }
  await resealEvidenceNames(svc, page, result);
  await resealInstanceKeys(svc, result);
  await recordReseal(svc, result, current);
  return result;
}

/**
 * One `keys.reseal` entry in the administration log (actor: the operator's CLI) when values were resealed: the
 * counts per column and the 8-hex key ids (never a key). Resealing runs page by page, each page its own statement,
 * so the entry is written after the last page; a run that reseals nothing records nothing.
 */
async function recordReseal(svc: Services, result: ResealResult, current: string): Promise<void> {
  const total = Object.values(result.resealed).reduce((a, b) => a + b, 0);
  if (total === 0) return;
  const failed = Object.values(result.failed).reduce((a, b) => a + b, 0);
  // A list, not an object keyed by column: column names such as `secret_enc` are not detail keys.
  const columns = Object.keys(result.resealed)
    .filter((c) => (result.resealed[c] ?? 0) + (result.failed[c] ?? 0) > 0)
    .map((column) => ({
      column,
      resealed: result.resealed[column] ?? 0,
      failed: result.failed[column] ?? 0,
    }));
  await recordAdminAction(svc.db, null, {
    action: 'keys.reseal',
    targetType: 'key',
    targetId: current,
    details: { keyId: current, keyIds: [...svc.sealer.keyIds], resealed: total, failed, columns },
    at: svc.now(),
  });
}

const INSTANCE_KEYS = 'settings.value';

/**
 * Reseals the keys the instance made for itself (`settings` values `{ enc }`, instance-key.ts: the reply tokens' and
 * the unsubscribe links' keys). Without this, dropping the old key after a rotation would stop every email that
 * carries such a token. A handful of rows: no paging.
 */
async function resealInstanceKeys(svc: Services, result: ResealResult): Promise<void> {
  result.resealed[INSTANCE_KEYS] = 0;
  result.failed[INSTANCE_KEYS] = 0;
  const rows = await query<{ key: string; enc: string }>(
    svc.db,
    sql`select key, value->>'enc' as enc from settings
         where jsonb_typeof(value) = 'object' and value->>'enc' is not null order by key`,
  );
  for (const r of rows) {
    if (svc.sealer.isCurrent(r.enc)) continue;
    let next: string;
    try {
      next = svc.sealer.reseal(r.enc);
    } catch {
      result.failed[INSTANCE_KEYS]!++;
      continue;
    }
    const done = await query<{ key: string }>(
      svc.db,
      sql`update settings set value = jsonb_set(value, '{enc}', to_jsonb(${next}::text))
           where key = ${r.key} and value->>'enc' = ${r.enc} returning key`,
    );
    result.resealed[INSTANCE_KEYS]! += done.length;
  }
}

const EVIDENCE = 'evaluation_rubric_scores.evidence';

/** Reseals the sealed names (`filenameEnc`) in evaluation evidence entries; a row changes only if unchanged since read. */
async function resealEvidenceNames(svc: Services, page: number, result: ResealResult): Promise<void> {
  result.resealed[EVIDENCE] = 0;
  result.failed[EVIDENCE] = 0;
  let after = 0;
  for (;;) {
    const rows = await query<{ id: number; evidence: unknown }>(
      svc.db,
      sql`select id, evidence from evaluation_rubric_scores
          where id > ${after} and evidence::text like '%filenameEnc%' order by id limit ${page}`,
    );
    if (rows.length === 0) break;
    after = rows[rows.length - 1]!.id;
    for (const r of rows) {
      if (!Array.isArray(r.evidence)) continue;
      let changed = 0;
      let failed = 0;
      const next = r.evidence.map((e: unknown) => {
        const enc = (e as { filenameEnc?: unknown } | null)?.filenameEnc;
        if (typeof enc !== 'string' || svc.sealer.isCurrent(enc)) return e;
        try {
          const resealed = svc.sealer.reseal(enc);
          changed++;
          return { ...(e as object), filenameEnc: resealed };
        } catch {
          failed++;
          return e;
        }
      });
      result.failed[EVIDENCE]! += failed;
      if (changed === 0) continue;
      const done = await query<{ id: number }>(
        svc.db,
        sql`update evaluation_rubric_scores set evidence = ${JSON.stringify(next)}::jsonb
            where id = ${r.id} and evidence = ${JSON.stringify(r.evidence)}::jsonb returning id`,
      );
      if (done.length) result.resealed[EVIDENCE]! += changed;
    }
    if (rows.length < page) break;
  }
}

/** How many sealed values each key holds, per column (`v1` = the first envelope format, no key id). */
export async function sealedKeyCounts(svc: Services): Promise<Record<string, Record<string, number>>> {
  const out: Record<string, Record<string, number>> = {};
  for (const c of SEALED_COLUMNS) {
    const rows = await query<{ kid: string; n: number }>(
      svc.db,
      sql`select case when split_part(${ident(c.column)}, '.', 1) = 'v2' then split_part(${ident(c.column)}, '.', 2)
                      else split_part(${ident(c.column)}, '.', 1) end as kid, count(*)::int as n
          from ${ident(c.table)} where ${ident(c.column)} is not null group by 1 order by 1`,
    );
    out[`${c.table}.${c.column}`] = Object.fromEntries(rows.map((r) => [r.kid, r.n]));
  }
  const names = await query<{ kid: string; n: number }>(
    svc.db,
    sql`select case when split_part(v, '.', 1) = 'v2' then split_part(v, '.', 2) else split_part(v, '.', 1) end as kid,
               count(*)::int as n
        from (select e->>'filenameEnc' as v from evaluation_rubric_scores s,
                jsonb_array_elements(case when jsonb_typeof(s.evidence) = 'array' then s.evidence else '[]'::jsonb end) e) x
        where v is not null group by 1 order by 1`,
  );
  out[EVIDENCE] = Object.fromEntries(names.map((r) => [r.kid, r.n]));
  const instanceKeys = await query<{ kid: string; n: number }>(
    svc.db,
    sql`select case when split_part(v, '.', 1) = 'v2' then split_part(v, '.', 2) else split_part(v, '.', 1) end as kid,
               count(*)::int as n
        from (select value->>'enc' as v from settings where jsonb_typeof(value) = 'object') x
        where v is not null group by 1 order by 1`,
  );
  out[INSTANCE_KEYS] = Object.fromEntries(instanceKeys.map((r) => [r.kid, r.n]));
  return out;
}
