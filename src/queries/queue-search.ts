/**
 * Search, filters and export of the back-office queue (`/kantor?q=…`, `/kantor/cari.csv|.xlsx`): the JSON API's
 * scoped list (`listReports`: `visibleTo`, filters, full text over title and body) narrowed to the reports the caller
 * works on as staff (`staffScope`: verifier or handler scope), so that the public feed, which `visibleTo` also lets
 * through for every signed-in user, never shows up in a unit officer's search.
 *
 * The full text (`reports.search`) covers the title and the body only: the reporter's identity is encrypted
 * (`reporter_enc`) and is never searched, so a reporter's name, phone, email or NIK finds nothing by itself.
 */
import { sql, type SQL } from 'drizzle-orm';
import { query } from '../db/client.ts';
import type { LoadedReport } from '../db/repositories/reports.ts';
import { calendarDateProblem } from '../domain/shared/dates.ts';
import { CLASSIFICATIONS, STATUSES, type ReportStatus } from '../domain/report/report.ts';
import type { Actor, RoleGrant } from '../policies/can.ts';
import type { Caller, Services } from '../app/context.ts';
import { countReports, listReports, type Page, type ReportFilters } from './reports.ts';
import { deadlineBadge, handlerScope, verifierScope, type QueueRow, type QueueSort } from './queues.ts';

/** The most rows one export holds; a longer list is cut and the file says so. */
export const EXPORT_CAP = 10_000;
/** The longest free text accepted. */
export const SEARCH_TEXT_MAX = 200;

/** The query-string names of the search form's fields. */
export const SEARCH_FIELDS = [
  'q',
  'status',
  'klasifikasi',
  'kategori',
  'wilayah',
  'instansi',
  'terlambat',
  'dari',
  'sampai',
] as const;
/** One field of the search form. */
export type SearchField = (typeof SEARCH_FIELDS)[number];

/** The form's values as typed (trimmed), for refilling the form and for links that keep the filters. */
export type SearchValues = Partial<Record<SearchField, string>>;

/** A field problem: a locale key (under `errors.field.` or a full key) with its parameters. */
export interface SearchIssue {
  key: string;
  params?: Record<string, string | number>;
}

/**
 * What the form offers the caller, each list depth-first so that the form can group it (`<optgroup>`) and indent it:
 * active categories with their active subcategories; the provinces and kab/kota of its scope, each with its province;
 * the agencies of its subtree with their parent and the province of their tree's root (null: a ministry's or
 * lembaga's tree, which has no region).
 */
export interface SearchOptions {
  categories: Array<{ id: number; name: string; parentId: number | null }>;
  regions: Array<{ code: string; name: string; parentCode: string | null; province: string }>;
  agencies: Array<{ id: string; name: string; parentId: string | null; province: string | null }>;
}

/** A parsed search: filters for `listReports`, or the field problems. */
export interface ParsedSearch {
  /** Some field has a value (the page shows the results instead of a tab). */
  active: boolean;
  values: SearchValues;
  filters: ReportFilters;
  errors: Partial<Record<SearchField, SearchIssue>>;
  /** The free text is a tracking number (10 digits, spaces and dashes allowed): the digits. */
  trackingId: string | null;
}

/**
 * The reports the actor works on as staff: those it verifies or handles (queues.ts). `visibleTo` also passes the
 * public feed (every signed-in user reads it), which is not the caller's work and must not fill its search.
 */
export function staffScope(actor: Actor): SQL {
  return sql`(${verifierScope(actor)} or ${handlerScope(actor)})`;
}

/** The digits of a tracking number as citizens write it (`12345 67890`, `1234-567-890`), else null. */
export function trackingNumberOf(text: string): string | null {
  if (!/^[\d\s-]+$/.test(text)) return null;
  const digits = text.replace(/[\s-]/g, '');
  return /^\d{10}$/.test(digits) ? digits : null;
}

/** The form's values of a query string (trimmed; empty fields dropped). */
export function searchValues(q: Record<string, string | string[] | undefined>): SearchValues {
  const out: SearchValues = {};
  for (const f of SEARCH_FIELDS) {
    const raw = q[f];
    const v = (Array.isArray(raw) ? raw[0] : raw)?.trim();
    if (v) out[f] = v;
  }
  return out;
}

/** Parses the form against the caller's options; unknown or out-of-scope values are field problems. */
export function parseSearch(values: SearchValues, options: SearchOptions): ParsedSearch {
  const errors: ParsedSearch['errors'] = {};
  const filters: ReportFilters = {};
  let trackingId: string | null = null;
  if (values.q !== undefined) {
    if (values.q.length > SEARCH_TEXT_MAX) errors.q = { key: 'too_long', params: { max: SEARCH_TEXT_MAX } };
    else {
      trackingId = trackingNumberOf(values.q);
      filters.q = values.q;
    }
  }
  if (values.status !== undefined) {
    if ((STATUSES as readonly string[]).includes(values.status))
      filters.status = [values.status as ReportStatus];
    else errors.status = { key: 'choose_one' };
  }
  if (values.klasifikasi !== undefined) {
    if ((CLASSIFICATIONS as readonly string[]).includes(values.klasifikasi))
      filters.classification = values.klasifikasi;
    else errors.klasifikasi = { key: 'choose_one' };
  }
  if (values.kategori !== undefined) {
    const id = /^\d{1,9}$/.test(values.kategori) ? Number(values.kategori) : NaN;
    if (options.categories.some((c) => c.id === id)) filters.categoryId = id;
    else errors.kategori = { key: 'choose_one' };
  }
  if (values.wilayah !== undefined) {
    if (options.regions.some((r) => r.code === values.wilayah)) filters.regionCode = values.wilayah;
    else errors.wilayah = { key: 'choose_one' };
  }
  if (values.instansi !== undefined) {
    if (options.agencies.some((a) => a.id === values.instansi)) filters.agencyId = values.instansi;
    else errors.instansi = { key: 'choose_one' };
  }
  if (values.terlambat !== undefined) {
    if (values.terlambat === '1') filters.overdue = true;
    else errors.terlambat = { key: 'choose_one' };
  }
  for (const f of ['dari', 'sampai'] as const) {
    const v = values[f];
    if (v === undefined) continue;
    const problem = calendarDateProblem(v);
    if (problem) errors[f] = { key: problem };
  }
  if (values.dari && values.sampai && !errors.dari && !errors.sampai) {
    if (values.dari > values.sampai) errors.dari = { key: 'date_range' };
  }
  if (!errors.dari && values.dari) filters.from = values.dari;
  if (!errors.sampai && values.sampai) filters.to = values.sampai;
  return {
    active: Object.keys(values).length > 0,
    values,
    filters,
    errors,
    trackingId: Object.keys(errors).length ? null : trackingId,
  };
}

/** The grants' regions (coordinators, and the regions of the agencies staff belong to); null: everywhere. */
async function scopeRegions(svc: Services, actor: Actor): Promise<string[] | null> {
  const codes: string[] = [];
  const agencyIds: string[] = [];
  for (const g of actor.grants) {
    if (g.role === 'national_admin') return null;
    if (g.role === 'coordinator' && g.regionCode) codes.push(g.regionCode);
    if ((g.role === 'agency_admin' || g.role === 'officer') && g.agencyId) agencyIds.push(g.agencyId);
  }
  if (agencyIds.length) {
    const rows = await query<{ region_code: string | null }>(
      svc.db,
      sql`select region_code from agencies where id in (${sql.join(
        agencyIds.map((id) => sql`${id}`),
        sql`, `,
      )})`,
    );
    // A ministry or lembaga (no region) handles reports anywhere.
    if (rows.some((r) => !r.region_code)) return null;
    codes.push(...rows.map((r) => r.region_code!));
  }
  return codes;
}

/**
 * The form's choices for the caller: active categories and subcategories (a category also finds the reports of its
 * subcategories, `listReports`); the kab/kota of its scope (every kab/kota for the national admin and for staff of an
 * agency without a region) and the provinces wholly in its scope (a province finds every report in it); the agencies
 * of its subtree (the agencies of its region for a coordinator, every agency for the national admin), grouped by the
 * province of their tree's root so that a unit stays under its agency.
 */
export async function searchOptions(svc: Services, caller: Caller): Promise<SearchOptions> {
  const actor = caller.actor;
  const regions = await scopeRegions(svc, actor);
  const kabKota = sql`r.code ~ '^[0-9]{2}\\.[0-9]{2}$'`;
  const province = sql`r.code ~ '^[0-9]{2}$'`;
  const regionCond =
    regions === null
      ? sql`(${kabKota} or ${province})`
      : regions.length
        ? sql`((${kabKota} and (${sql.join(
            regions.map((c) => sql`(r.code = ${c} or r.code like ${`${c}.%`} or ${c} like r.code || '.%')`),
            sql` or `,
          )})) or (${province} and r.code in (${sql.join(
            regions.map((c) => sql`${c}`),
            sql`, `,
          )})))`
        : sql`false`;
  const agencyParts: SQL[] = [];
  let everyAgency = false;
  for (const g of actor.grants) {
    if (g.role === 'national_admin') everyAgency = true;
    if (g.role === 'coordinator' && g.regionCode)
      agencyParts.push(sql`(a.region_code = ${g.regionCode} or a.region_code like ${`${g.regionCode}.%`})`);
    if ((g.role === 'agency_admin' || g.role === 'officer') && g.agencyId)
      agencyParts.push(sql`a.path like ${`%/${g.agencyId}/%`}`);
  }
  const agencyCond = everyAgency
    ? sql`true`
    : agencyParts.length
      ? sql`(${sql.join(agencyParts, sql` or `)})`
      : sql`false`;
  const [categories, regionRows, agencyRows] = await Promise.all([
    // Parents by name, each followed by its subcategories by name.
    query<{ id: number; name: string; parent_id: number | null }>(
      svc.db,
      sql`select c.id, c.name, c.parent_id from categories c left join categories p on p.id = c.parent_id
           where c.active and (c.parent_id is null or p.active)
           order by coalesce(p.name, c.name), coalesce(p.id, c.id), c.parent_id nulls first, c.name`,
    ),
    query<{ code: string; name: string; parent_code: string | null; province: string }>(
      svc.db,
      sql`select r.code, r.name, case when ${province} then null else p.code end as parent_code,
                 coalesce(p.name, r.name) as province
            from regions r left join regions p on p.code = left(r.code, 2) and ${kabKota}
           where ${regionCond} order by r.code`,
    ),
    query<{ id: string; name: string; parent_id: string | null; province: string | null }>(
      svc.db,
      sql`select a.id, a.name, a.parent_id, p.name as province
            from agencies a
            left join agencies root on root.id = split_part(a.path, '/', 2)
            left join regions p on p.code = left(root.region_code, 2)
           where a.active and ${agencyCond} order by p.code nulls first, a.path`,
    ),
  ]);
  return {
    categories: categories.map((c) => ({
      id: Number(c.id),
      name: c.name,
      parentId: c.parent_id === null ? null : Number(c.parent_id),
    })),
    regions: regionRows.map((r) => ({
      code: r.code,
      name: r.name,
      parentCode: r.parent_code,
      province: r.province,
    })),
    agencies: agencyRows.map((a) => ({
      id: a.id,
      name: a.name,
      parentId: a.parent_id,
      province: a.province,
    })),
  };
}

/** The filters of a search, narrowed to the caller's staff scope, in the given order. */
function scoped(caller: Caller, filters: ReportFilters, sort: QueueSort | undefined): ReportFilters {
  return { ...filters, extra: staffScope(caller.actor), orderBy: sort };
}

/**
 * One page of search results with deadline badges. `sort` undefined: by relevance when there is free text, else
 * newest first.
 */
export async function searchQueue(
  svc: Services,
  caller: Caller,
  filters: ReportFilters,
  page: number,
  pageSize: number,
  sort: QueueSort | undefined,
): Promise<Page<QueueRow>> {
  const now = svc.now();
  const result = await listReports(svc, caller, scoped(caller, filters, sort), page, pageSize);
  const items = await Promise.all(
    result.items.map(async (report) => ({ report, badge: await deadlineBadge(svc, report, now) })),
  );
  return { ...result, items };
}

/**
 * The tracking number when the caller works on that report as staff (the queue then opens it); null otherwise, so
 * that a report outside the caller's scope reads exactly like one that does not exist.
 */
export async function trackingInScope(
  svc: Services,
  caller: Caller,
  trackingId: string,
): Promise<string | null> {
  const found = await listReports(
    svc,
    caller,
    { extra: sql`(r.tracking_id = ${trackingId} and ${staffScope(caller.actor)})` },
    1,
    1,
  );
  return found.items[0]?.row.trackingId ?? null;
}

/** A staff grant of the caller, and how many reports of a search lie in that grant's own scope. */
export interface GrantShare {
  grant: RoleGrant;
  reports: number;
}

/**
 * For each of `grants` (the caller's staff grants), how many reports of the search lie in that grant's scope on its
 * own: a person with several grants searches all of them at once, and these tell which grant a download was made in
 * (`exportFiling`). One count per grant, one after the other (a pg client runs one query at a time).
 */
export async function searchGrantShares(
  svc: Services,
  caller: Caller,
  filters: ReportFilters,
  grants: readonly RoleGrant[],
): Promise<GrantShare[]> {
  const out: GrantShare[] = [];
  for (const grant of grants) {
    const alone = staffScope({ userId: caller.actor.userId, grants: [grant] });
    out.push({ grant, reports: await countReports(svc, caller, { ...filters, extra: alone }) });
  }
  return out;
}

/** One exported report: the report and the names its columns show. */
export interface ExportRow {
  report: LoadedReport;
  categoryName: string | null;
  regionName: string | null;
  badge: QueueRow['badge'];
}

/** Up to `cap` (default `EXPORT_CAP`) rows of a search (in the page's order), and whether more matched. */
export async function exportSearch(
  svc: Services,
  caller: Caller,
  filters: ReportFilters,
  sort: QueueSort | undefined,
  cap: number = EXPORT_CAP,
): Promise<{ rows: ExportRow[]; total: number; truncated: boolean }> {
  const page = await searchQueue(svc, caller, filters, 1, cap, sort);
  const categoryIds = [...new Set(page.items.map((r) => r.report.row.categoryId).filter((id) => id != null))];
  const regionCodes = [...new Set(page.items.map((r) => r.report.row.regionCode).filter((c) => c != null))];
  const [cats, regs] = await Promise.all([
    categoryIds.length
      ? query<{ id: number; name: string }>(
          svc.db,
          sql`select id, name from categories where id in (${sql.join(
            categoryIds.map((id) => sql`${id}`),
            sql`, `,
          )})`,
        )
      : [],
    regionCodes.length
      ? query<{ code: string; name: string; parent: string | null }>(
          svc.db,
          sql`select r.code, r.name, p.name as parent from regions r left join regions p on p.code = r.parent_code
               where r.code in (${sql.join(
                 regionCodes.map((c) => sql`${c}`),
                 sql`, `,
               )})`,
        )
      : [],
  ]);
  const catName = new Map(cats.map((c) => [Number(c.id), c.name]));
  // A kecamatan with its kab/kota ("Samarinda Seberang, Kota Samarinda"); a kab/kota or province by its own name.
  const regName = new Map(
    regs.map((r) => [r.code, r.parent && r.code.split('.').length > 2 ? `${r.name}, ${r.parent}` : r.name]),
  );
  const rows = page.items.map(({ report, badge }) => ({
    report,
    badge,
    categoryName: report.row.categoryId != null ? (catName.get(Number(report.row.categoryId)) ?? null) : null,
    regionName: report.row.regionCode ? (regName.get(report.row.regionCode) ?? null) : null,
  }));
  return { rows, total: page.total, truncated: page.total > rows.length };
}
