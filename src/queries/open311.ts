/**
 * Read side of Open311 GeoReport v2: services (our categories), API keys, request lists and single requests
 * in the public read model (plus a partner's own submissions, D13), tokens, and request updates.
 * Why a dedicated query: Open311 lists run at scale (1M reports), so they select only the columns the
 * format needs, in one statement, ordered on an indexed column, and never count.
 */
import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import { query, type AppDb } from '../db/client.ts';
import { agencies, apiKeys, categories, open311Sandbox, settings } from '../db/schema.ts';
import { PUBLIC_STATUSES, type ReportStatus } from '../domain/report/report.ts';
import {
  circleBounds,
  EARTH_RADIUS_M,
  geoCells,
  type Box,
  type GeoCell,
  type GeoFilter,
} from '../domain/open311/geo.ts';
import { sha256 } from '../integrations/crypto.ts';
import { inList, PUBLIC_REPORT } from './scope.ts';
import type { Services } from '../app/context.ts';
import { byReporterAccount, reporterTextMask, type ReporterTextMask } from './reporter-account.ts';

/** Open311 service types (§4). */
export type ServiceType = 'realtime' | 'batch' | 'blackbox';

/** One Open311 service: a category, with its parent as `group`. */
export interface Open311Service {
  code: string;
  name: string;
  group: string;
  type: ServiceType;
}

/** Settings key holding per-service type overrides (`{ "<code>": "batch" }`); the default is realtime. */
export const SERVICE_TYPES_KEY = 'open311.service_types';

/** Per-service type overrides set in the back office. */
export async function serviceTypeOverrides(db: AppDb): Promise<Record<string, ServiceType>> {
  const [row] = await db.select().from(settings).where(eq(settings.key, SERVICE_TYPES_KEY)).limit(1);
  return (row?.value as Record<string, ServiceType> | undefined) ?? {};
}

/** Every active category as an Open311 service, parents first then their subcategories. */
export async function listOpen311Services(db: AppDb): Promise<Open311Service[]> {
  const rows = await query<{ id: number; name: string; parent: string | null }>(
    db,
    sql`select c.id, c.name, p.name as parent from categories c left join categories p on p.id = c.parent_id
        where c.active order by coalesce(p.name, c.name), c.parent_id nulls first, c.name`,
  );
  const types = await serviceTypeOverrides(db);
  return rows.map((r) => ({
    code: String(r.id),
    name: r.name,
    group: r.parent ?? r.name,
    type: types[String(r.id)] ?? 'realtime',
  }));
}

/** One service by code, or null for an unknown code. */
/** A service code as the services list writes it: a category id in decimal, without a sign or leading zero. */
export const SERVICE_CODE = /^[1-9]\d{0,8}$/;

export async function findOpen311Service(db: AppDb, code: string): Promise<Open311Service | null> {
  // A code is the listed string (D1): `0538`, `+538` or `538.0` name no service.
  if (!SERVICE_CODE.test(code)) return null;
  const [row] = await db
    .select({ id: categories.id, name: categories.name, parentId: categories.parentId })
    .from(categories)
    .where(and(eq(categories.id, Number(code)), eq(categories.active, true)))
    .limit(1);
  if (!row) return null;
  let group = row.name;
  if (row.parentId) {
    const [p] = await db
      .select({ name: categories.name })
      .from(categories)
      .where(eq(categories.id, row.parentId));
    group = p?.name ?? row.name;
  }
  const types = await serviceTypeOverrides(db);
  return { code, name: row.name, group, type: types[code] ?? 'realtime' };
}

/** A partner API key (not revoked). */
export interface ApiKeyInfo {
  id: string;
  name: string;
  agencyId: string | null;
  scopes: string[];
  /**
   * False when the key is bound to an agency that is deactivated: Open311 refuses it (403 API_KEY_AGENCY_INACTIVE,
   * docs/open311.md) until the agency is reactivated. True for keys bound to no agency.
   */
  agencyActive: boolean;
}

/** Resolves a presented API key by its SHA-256, or null. */
export async function findApiKey(db: AppDb, key: string): Promise<ApiKeyInfo | null> {
  if (!key) return null;
  const [found] = await db
    .select({ row: apiKeys, agencyActive: agencies.active })
    .from(apiKeys)
    .leftJoin(agencies, eq(agencies.id, apiKeys.agencyId))
    .where(and(eq(apiKeys.keyHash, sha256(key)), isNull(apiKeys.revokedAt)))
    .limit(1);
  if (!found) return null;
  const { row } = found;
  const scopes = row.scopes as string[];
  // An agency API token (`ait_…`, scope `integration`) is for the JSON API only: Open311 does not take it.
  if (scopes.includes('integration') && !scopes.includes('open311')) return null;
  return {
    id: row.id,
    name: row.name,
    agencyId: row.agencyId,
    scopes,
    agencyActive: row.agencyId === null || found.agencyActive !== false,
  };
}

/** The columns an Open311 request item is built from (never any reporter field). */
export interface Open311Row {
  id: string;
  tracking_id: string;
  status: ReportStatus;
  title: string;
  body: string;
  classification: string;
  category_id: number | null;
  service_name: string | null;
  agency_name: string | null;
  zone: string | null;
  region_code: string | null;
  address: string | null;
  lat: number | null;
  lon: number | null;
  channel: string;
  support_count: number;
  created_at: Date;
  updated_at: Date;
  closed_at: Date | null;
  due_at: Date | null;
  archive_reason: string | null;
  /** Set when the reading partner submitted this request (D13). */
  own_media_url: string | null;
  own_attributes: Record<string, unknown> | null;
  own: boolean;
  /**
   * Attachment ids to list as media: public staff uploads, plus reporter uploads when `own` (oldest first);
   * null when the list was too long to fetch them inline (INLINE_MEDIA_MAX: the caller uses mediaOf).
   */
  media_ids: string[] | null;
}

/** Filters of GET requests (§8 and the extensions of §12); dates are ISO instants. */
export interface Open311ListFilters {
  ids?: string[] | undefined;
  serviceCodes?: number[] | undefined;
  statuses?: ReportStatus[] | undefined;
  createdFrom?: string | undefined;
  createdTo?: string | undefined;
  updatedAfter?: string | undefined;
  updatedBefore?: string | undefined;
  /** `bbox` and/or `lat`+`long`+`radius` (docs/open311.md, geographic filters). */
  geo?: GeoFilter | undefined;
  /** The reading partner's key id: its own requests are visible in every status (D13). */
  apiKeyId?: string | undefined;
  limit: number;
  offset: number;
}

/**
 * A timestamp column as epoch milliseconds (float8): the driver parses a number much faster than a
 * timestamptz text, which counts at 4000 timestamps per 1000-item list; normalise() makes Dates of them.
 */
const epochMs = (column: 'created_at' | 'updated_at' | 'closed_at' | 'due_at') =>
  sql.raw(`(extract(epoch from r.${column}) * 1000)::float8 as ${column}`);

/**
 * Lists up to this many rows fetch their media ids inline (a subselect per returned row, no extra round trip);
 * longer ones in one query afterwards (mediaOf), cheaper than 1000 subselects.
 */
export const INLINE_MEDIA_MAX = 200;

/** `open311_requests o` joined when a partner reads (its own requests, D13). */
const ownJoin = (apiKeyId: string | undefined): SQL =>
  apiKeyId ? sql`left join open311_requests o on o.report_id = r.id and o.api_key_id = ${apiKeyId}` : sql``;

/**
 * An attachment `f` the public may see on a public report: the agency's file whose upload event is public and, when
 * it belongs to an event (a follow-up), whose event is public too; never a reporter upload. The same rule as
 * `publicFollowUpAttachments` (queries/report-attachments.ts), which the public report page lists and serves.
 */
const PUBLIC_FILE = sql`(f.uploaded_by = 'staff'
  and exists (select 1 from report_events e where e.report_id = f.report_id and e.type = 'attachment'
    and e.visibility = 'public' and e.data->>'attachmentId' = f.id::text)
  and (f.event_id is null or exists (select 1 from report_events g where g.id = f.event_id
    and g.report_id = f.report_id and g.visibility = 'public')))`;

/**
 * The attachments `f` of a report listed as Open311 media (and served by GET media/{id}): the public files,
 * plus the reporter's uploads when `own` (the reading partner submitted the request, D13).
 */
const mediaListed = (own: SQL) => sql`(${PUBLIC_FILE} or (f.uploaded_by = 'reporter' and ${own}))`;

function selectFrom(apiKeyId: string | undefined, inlineMedia: boolean, from: SQL = sql`reports r`): SQL {
  const own = apiKeyId
    ? sql`o.media_url as own_media_url, o.attributes as own_attributes, (o.report_id is not null) as own`
    : sql`null as own_media_url, null as own_attributes, false as own`;
  // Reporter-uploaded files are listed only to the submitting partner; evaluated for returned rows only.
  const reporterFiles = apiKeyId ? sql`o.report_id is not null` : sql`false`;
  return sql`select r.id, r.tracking_id, r.status, r.title, r.body, r.classification, r.category_id,
      c.name as service_name, a.name as agency_name, coalesce(a.zone, t.zone) as zone, r.region_code, r.address,
      r.lat, r.lon, r.channel, r.support_count, ${epochMs('created_at')}, ${epochMs('updated_at')},
      ${epochMs('closed_at')}, ${epochMs('due_at')}, r.archive_reason, ${own},
      ${
        inlineMedia
          ? sql`array(select f.id from attachments f where f.report_id = r.id
            and ${mediaListed(reporterFiles)} order by f.created_at) as media_ids`
          : sql`null as media_ids`
      }
    from ${from}
    left join categories c on c.id = r.category_id
    left join agencies a on a.id = coalesce(r.agency_id, r.dispatched_agency_id)
    left join agencies t on t.id = r.target_agency_id
    ${ownJoin(apiKeyId)}`;
}

function visible(apiKeyId: string | undefined): SQL {
  return apiKeyId ? sql`(${PUBLIC_REPORT} or o.report_id is not null)` : PUBLIC_REPORT;
}

/** An indexed range on reports (lat, lon) (`reports_lat_lon_idx`). */
const inBox = (b: Box) =>
  sql`(r.lat between ${b.minLat}::float8 and ${b.maxLat}::float8 and r.lon between ${b.minLon}::float8 and ${b.maxLon}::float8)`;

/**
 * The geographic conditions: the bbox as a range, the circle as the range(s) of its bounding box plus the
 * exact haversine distance (the same formula as haversineMetres), so paging counts only matching rows.
 * Reports without coordinates never match.
 */
function geoWhere(g: GeoFilter): SQL[] {
  const out: SQL[] = [];
  if (g.bbox) out.push(inBox(g.bbox));
  if (g.circle) {
    const c = g.circle;
    const boxes = circleBounds(c).map(inBox);
    out.push(boxes.length === 1 ? boxes[0]! : sql`(${sql.join(boxes, sql` or `)})`);
    out.push(sql`2 * ${EARTH_RADIUS_M}::float8 * asin(least(1, sqrt(
        power(sin(radians(r.lat - ${c.lat}::float8) / 2), 2)
        + cos(radians(${c.lat}::float8)) * cos(radians(r.lat)) * power(sin(radians(r.lon - ${c.lon}::float8) / 2), 2)
      ))) <= ${c.radius}::float8`);
  }
  return out;
}

function normalise(rows: Open311Row[]): Open311Row[] {
  for (const r of rows) {
    for (const k of ['created_at', 'updated_at', 'closed_at', 'due_at'] as const) {
      const v = r[k] as unknown;
      if (v !== null && !(v instanceof Date))
        (r as unknown as Record<string, unknown>)[k] = new Date(
          typeof v === 'string' ? Number(v) : (v as number),
        );
    }
    r.own = r.own === true;
    if (r.media_ids !== null && !Array.isArray(r.media_ids)) r.media_ids = [];
    r.lat = r.lat === null ? null : Number(r.lat);
    r.lon = r.lon === null ? null : Number(r.lon);
  }
  return rows;
}

const NEWEST_FIRST = sql`order by r.created_at desc, r.tracking_id desc`;

/**
 * The same cell expressions as `reports_geo_cell_idx` (GEO_CELLS_PER_DEGREE = 100), over reports aliased `r`. Also
 * read by the similar-report lookup near a point.
 */
export const inCell = (c: GeoCell) =>
  sql`floor(r.lat * 100) = ${c.lat}::float8 and floor(r.lon * 100) = ${c.lon}::float8`;

/**
 * The page first, as ids and sort keys only, so an index can pick it (index-only on
 * `reports_public_updated_idx` for `updated_after`) and full rows, joins and media are read for the returned
 * rows alone. A small geographic area is read cell by cell (`reports_geo_cell_idx`, in list order in each
 * cell), each cell bounded by the page end, then merged: the work follows the rows near the point, not the
 * rows in the date window.
 */
function pageOf(f: Open311ListFilters, where: SQL[], cells: GeoCell[] | null): SQL {
  const ids = (extra: SQL[]) =>
    sql`select r.id, r.created_at, r.tracking_id from reports r ${ownJoin(f.apiKeyId)}
        where ${sql.join([...where, ...extra], sql` and `)}`;
  if (!cells) return sql`${ids([])} ${NEWEST_FIRST} limit ${f.limit} offset ${f.offset}`;
  const end = f.limit + f.offset;
  const branches = cells.map((c) => sql`(${ids([inCell(c)])} ${NEWEST_FIRST} limit ${end})`);
  return sql`select r.id, r.created_at, r.tracking_id from (${sql.join(branches, sql` union all `)}) r
    ${NEWEST_FIRST} limit ${f.limit} offset ${f.offset}`;
}

/** Lists requests newest first (`requested_datetime` desc, then id) in the public read model. */
export async function listOpen311Requests(db: AppDb, f: Open311ListFilters): Promise<Open311Row[]> {
  const where: SQL[] = [visible(f.apiKeyId)];
  let cells: GeoCell[] | null = null;
  if (f.ids) {
    if (f.ids.length === 0) return [];
    where.push(sql`r.tracking_id = any(${sql.param(f.ids)}::text[])`);
  } else {
    if (f.serviceCodes?.length) where.push(sql`r.category_id in (${inList(f.serviceCodes)})`);
    if (f.statuses?.length) where.push(sql`r.status in (${inList(f.statuses)})`);
    if (f.createdFrom) where.push(sql`r.created_at >= ${f.createdFrom}`);
    if (f.createdTo) where.push(sql`r.created_at <= ${f.createdTo}`);
    if (f.updatedAfter) where.push(sql`r.updated_at > ${f.updatedAfter}`);
    if (f.updatedBefore) where.push(sql`r.updated_at <= ${f.updatedBefore}`);
    if (f.geo) {
      where.push(...geoWhere(f.geo));
      cells = geoCells(f.geo);
    }
  }
  const inline = f.limit <= INLINE_MEDIA_MAX;
  // A first page in created order reads each row once in one scan (3 ms for 1000 items at 1M); the page
  // first costs a primary-key lookup per row and pays off when rows are skipped, sorted or picked elsewhere.
  const pageFirst = cells !== null || f.offset > 0 || Boolean(f.updatedAfter ?? f.updatedBefore);
  const rows = await query<Open311Row>(
    db,
    pageFirst
      ? sql`${selectFrom(f.apiKeyId, inline, sql`(${pageOf(f, where, cells)}) p join reports r on r.id = p.id`)}
          order by p.created_at desc, p.tracking_id desc`
      : sql`${selectFrom(f.apiKeyId, inline)} where ${sql.join(where, sql` and `)} ${NEWEST_FIRST}
          limit ${f.limit} offset ${f.offset}`,
  );
  return normalise(rows);
}

/** One request by tracking number, or null when absent or not visible to this reader. */
export async function getOpen311Request(
  db: AppDb,
  trackingId: string,
  apiKeyId?: string,
): Promise<Open311Row | null> {
  const rows = await query<Open311Row>(
    db,
    sql`${selectFrom(apiKeyId, true)} where r.tracking_id = ${trackingId} and ${visible(apiKeyId)} limit 1`,
  );
  return normalise(rows)[0] ?? null;
}

/** What a token resolves to: the tracking number once the request is public (or always for blackbox: never). */
export interface TokenInfo {
  token: string;
  serviceRequestId: string;
}

/**
 * Resolves a batch token (D4): "" while the request is not public (not yet verified, archived, confidential);
 * null for an unknown token. Read with the key of the partner that submitted it (`apiKeyId`), the tracking
 * number in every status, confidential included, so a client can always read back what it posted (D13).
 * A blackbox request never has one.
 */
export async function resolveOpen311Token(
  db: AppDb,
  token: string,
  apiKeyId?: string,
): Promise<TokenInfo | null> {
  const [row] = await query<{
    tracking_id: string;
    status: string;
    confidential: boolean;
    service_type: string;
    api_key_id: string;
  }>(
    db,
    sql`select r.tracking_id, r.status, r.confidential, o.service_type, o.api_key_id from open311_requests o
        join reports r on r.id = o.report_id where o.token = ${token} limit 1`,
  );
  if (!row) return null;
  const own = apiKeyId !== undefined && row.api_key_id === apiKeyId;
  const ready =
    row.service_type !== 'blackbox' &&
    (own || ((PUBLIC_STATUSES as readonly string[]).includes(row.status) && !row.confidential));
  return { token, serviceRequestId: ready ? row.tracking_id : '' };
}

/**
 * Who may see a sandbox (test endpoint) request: anyone when it was not sent as confidential, else only the
 * partner that posted it (D13, as production: a rahasia request never reaches a keyless or another partner's
 * read). Rows stored before the flag was recorded carry none and count as confidential.
 */
function sandboxVisible(apiKeyId: string | undefined) {
  const open = sql`(${open311Sandbox.request} ->> 'confidential') = 'false'`;
  return apiKeyId === undefined ? open : sql`(${open} or ${open311Sandbox.apiKeyId} = ${apiKeyId})`;
}

/** Sandbox (test endpoint) rows the reader may see (`sandboxVisible`), newest first. */
export async function listSandboxRequests(
  db: AppDb,
  opts: { ids?: string[]; limit: number; offset: number; apiKeyId?: string | undefined },
) {
  const q = db.select().from(open311Sandbox);
  const visible = sandboxVisible(opts.apiKeyId);
  const rows = opts.ids
    ? await q.where(
        sql`${open311Sandbox.id} in (${inList(opts.ids.length ? opts.ids : [''])}) and ${visible}`,
      )
    : await q
        .where(visible)
        .orderBy(sql`${open311Sandbox.createdAt} desc`)
        .limit(opts.limit)
        .offset(opts.offset);
  return rows;
}

/**
 * A sandbox token, or null: its id as production answers it (D4), "" for a blackbox request and for a
 * confidential one read without the key of the partner that posted it.
 */
export async function resolveSandboxToken(
  db: AppDb,
  token: string,
  apiKeyId?: string,
): Promise<TokenInfo | null> {
  const [row] = await db
    .select({
      id: open311Sandbox.id,
      serviceType: open311Sandbox.serviceType,
      visible: sql<boolean>`${sandboxVisible(apiKeyId)}`,
    })
    .from(open311Sandbox)
    .where(eq(open311Sandbox.token, token))
    .limit(1);
  if (!row) return null;
  const ready = row.serviceType !== 'blackbox' && row.visible === true;
  return { token, serviceRequestId: ready ? row.id : '' };
}

/** One public timeline event as a request update (mySociety `servicerequestupdates`). */
export interface Open311UpdateRow {
  event_id: number;
  tracking_id: string;
  type: string;
  to_status: string | null;
  report_status: string;
  body: string | null;
  /** Who wrote the update (the presenter masks personal data in a reporter's or citizen's text). */
  actor_role: string | null;
  data: Record<string, unknown>;
  created_at: Date;
  zone: string | null;
  /** The report's region: its zone when no agency gives one (the same fallback as request items). */
  region_code: string | null;
  update_id: string | null;
  /** The reading partner submitted this request (D13). */
  own: boolean;
}

/** Public timeline events between two instants (optionally only the partner's own requests), oldest first. */
export async function listOpen311Updates(
  svc: Services,
  f: { from: string; to: string; apiKeyId?: string | undefined; limit: number; offset: number },
): Promise<Open311UpdateRow[]> {
  const own = f.apiKeyId
    ? sql`left join open311_requests o on o.report_id = r.id and o.api_key_id = ${f.apiKeyId}`
    : sql``;
  const isOwn = f.apiKeyId ? sql`(o.report_id is not null)` : sql`false`;
  const rows = await query<Open311UpdateRow & ReporterAccountColumns>(
    svc.db,
    sql`select e.id as event_id, r.tracking_id, e.type, e.to_status, r.status as report_status, e.body,
          e.actor_role, e.data, e.created_at, coalesce(a.zone, t.zone) as zone, r.region_code,
          u.update_id, ${isOwn} as own, ${REPORTER_ACCOUNT_COLUMNS}
        from report_events e
        join reports r on r.id = e.report_id
        left join agencies a on a.id = coalesce(r.agency_id, r.dispatched_agency_id)
        left join agencies t on t.id = r.target_agency_id
        left join open311_updates u on u.event_id = e.id and u.report_id = r.id
        ${own}
        where e.created_at >= ${f.from} and e.created_at <= ${f.to}
          and e.visibility = 'public' and e.type not in ('support', 'note')
          and ${visible(f.apiKeyId)}
        order by e.created_at asc, e.id asc limit ${f.limit} offset ${f.offset}`,
  );
  const masks = reporterMasks(svc);
  const out: Open311UpdateRow[] = [];
  for (const r of rows) {
    if (!(r.created_at instanceof Date)) r.created_at = new Date(r.created_at as unknown as string);
    r.own = r.own === true;
    out.push(await asReporters(masks, r));
  }
  return out;
}

/** The columns `byReporterAccount` reads, selected beside an event (`e`) of a report (`r`). */
const REPORTER_ACCOUNT_COLUMNS = sql`e.actor_user_id as ra_actor_user_id, r.reporter_user_id as ra_reporter_user_id,
  r.anonymous as ra_anonymous, r.reporter_enc as ra_reporter_enc, r.id as ra_report_id`;

interface ReporterAccountColumns {
  ra_actor_user_id: string | null;
  ra_reporter_user_id: string | null;
  ra_anonymous: boolean;
  ra_reporter_enc: string | null;
  ra_report_id: string;
}

/** One mask per report, read the first time one of its events needs it. */
function reporterMasks(svc: Services) {
  const cache = new Map<string, Promise<ReporterTextMask>>();
  return (c: ReporterAccountColumns) => {
    let m = cache.get(c.ra_report_id);
    if (!m) {
      m = reporterTextMask(svc, {
        anonymous: c.ra_anonymous,
        reporterUserId: c.ra_reporter_user_id,
        reporterEnc: c.ra_reporter_enc,
      });
      cache.set(c.ra_report_id, m);
    }
    return m;
  };
}

/**
 * An event as Open311 shows it: one the anonim reporter's own account wrote as a citizen (a comment before it claimed
 * the report) is the reporter's, with the reporter's identity and the account's name and email masked in its text,
 * for every Open311 reader (the submitting partner too: the account is not the identity the partner sent).
 */
async function asReporters<T extends { body: string | null; actor_role: string | null }>(
  masks: ReturnType<typeof reporterMasks>,
  row: T & ReporterAccountColumns,
): Promise<T> {
  const {
    ra_actor_user_id,
    ra_reporter_user_id,
    ra_anonymous,
    ra_reporter_enc,
    ra_report_id: _id,
    ...rest
  } = row;
  const report = {
    anonymous: ra_anonymous === true,
    reporterUserId: ra_reporter_user_id,
    reporterEnc: ra_reporter_enc,
  };
  const plain = rest as unknown as T;
  if (!byReporterAccount(report, { actorUserId: ra_actor_user_id, actorRole: row.actor_role })) return plain;
  const mask = await masks(row);
  return { ...plain, actor_role: 'reporter', body: plain.body === null ? null : mask(plain.body) };
}

/** One public timeline event as a `notes[]` item (extensions=true). */
export interface Open311Note {
  type: string;
  body: string | null;
  /** Who wrote it (the presenter masks personal data in a reporter's or citizen's text). */
  actor_role: string | null;
  created_at: Date;
}

/** Public notes[] of several reports (extensions=true), by report id, oldest first. */
export async function publicNotes(svc: Services, reportIds: string[]): Promise<Map<string, Open311Note[]>> {
  const out = new Map<string, Open311Note[]>();
  if (reportIds.length === 0) return out;
  const rows = await query<Open311Note & ReporterAccountColumns & { report_id: string }>(
    svc.db,
    sql`select e.report_id, e.type, e.body, e.actor_role, e.created_at, ${REPORTER_ACCOUNT_COLUMNS}
        from report_events e join reports r on r.id = e.report_id
        where e.report_id = any(${sql.param(reportIds)}::uuid[]) and e.visibility = 'public' and e.type <> 'support'
        order by e.report_id, e.seq`,
  );
  const masks = reporterMasks(svc);
  for (const { report_id, ...r } of rows) {
    const list = out.get(report_id) ?? [];
    const note = await asReporters(masks, { ...r, ra_report_id: report_id });
    list.push({
      ...note,
      created_at: note.created_at instanceof Date ? note.created_at : new Date(note.created_at),
    });
    out.set(report_id, list);
  }
  return out;
}

/** Public (staff-uploaded) attachments of several reports; the partner's own also sees reporter uploads. */
export async function mediaOf(
  db: AppDb,
  reportIds: string[],
  ownIds: Set<string>,
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (reportIds.length === 0) return out;
  const own = sql`f.report_id = any(${sql.param([...ownIds])}::uuid[])`;
  const rows = await query<{ report_id: string; id: string }>(
    db,
    sql`select f.report_id, f.id from attachments f where f.report_id = any(${sql.param(reportIds)}::uuid[])
        and ${mediaListed(own)} order by f.created_at`,
  );
  for (const r of rows) {
    const list = out.get(r.report_id) ?? [];
    list.push(r.id);
    out.set(r.report_id, list);
  }
  return out;
}

/** Who may fetch one Open311 media file, and as whom (GET media/{id}). */
export interface Open311MediaAccess {
  trackingId: string;
  /** The reading partner submitted the request: it fetches as the reporter (its sealed access key). */
  accessKeyEnc: string | null;
}

/**
 * One attachment as Open311 media, or null when this reader may not fetch it: exactly what the request items
 * list to this reader (`media_ids`): a public file of a public report to anyone; with the submitting partner's
 * key (`open311_requests.api_key_id`) also its own request's files in every status, the reporter's uploads
 * included (D13). Anything else, an unknown id included, is null (404, so nothing is learned).
 */
export async function findOpen311Media(
  db: AppDb,
  attachmentId: string,
  apiKeyId?: string,
): Promise<Open311MediaAccess | null> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(attachmentId)) return null;
  const own = apiKeyId ? sql`o.report_id is not null` : sql`false`;
  const [row] = await query<{ tracking_id: string; access_key_enc: string | null }>(
    db,
    sql`select r.tracking_id, ${apiKeyId ? sql`o.access_key_enc` : sql`null`} as access_key_enc
        from attachments f join reports r on r.id = f.report_id ${ownJoin(apiKeyId)}
        where f.id = ${attachmentId}::uuid and ${visible(apiKeyId)} and ${mediaListed(own)} limit 1`,
  );
  return row ? { trackingId: row.tracking_id, accessKeyEnc: row.access_key_enc } : null;
}

/** The partner's sealed access key for one of its own requests (acting as the reporter), or null. */
export async function ownRequestAccess(
  db: AppDb,
  trackingId: string,
  apiKeyId: string,
): Promise<{ accessKeyEnc: string; reportId: string } | null> {
  const [row] = await query<{ access_key_enc: string; report_id: string }>(
    db,
    sql`select o.access_key_enc, o.report_id from open311_requests o join reports r on r.id = o.report_id
        where r.tracking_id = ${trackingId} and o.api_key_id = ${apiKeyId} limit 1`,
  );
  return row ? { accessKeyEnc: row.access_key_enc, reportId: row.report_id } : null;
}
