/**
 * JSON API v1: statistics (`GET /stats`, plus `.csv` and `.xlsx` of the same table) and open data
 * (`/open-data/reports.csv|json`, the data dictionary and the latest checksummed snapshot).
 * Statistics are aggregates over every report except confidential ones (`statsBy`: the public roll-up scope);
 * open data lists only public reports (docs/statistics.md, docs/open-data.md).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { calendarDate } from './schemas.ts';
import { stringify } from 'csv-stringify/sync';
import { homeZone, type Services } from '../../../app/context.ts';
import type { ZoneName } from '../../../domain/report/report.ts';
import { AppError, invalid } from '../../../app/errors.ts';
import { localDate } from '../../../domain/deadline/calendar.ts';
import { OPEN_DATA_COLUMNS } from '../../../domain/stats/open-data.ts';
import { STATS_GROUP_BY, statsBy, statsRefreshedAt } from '../../../queries/stats.ts';
import { openDataCatalog } from '../../../presenters/open-data-catalog.ts';
import {
  decodeOpenDataCursor,
  encodeOpenDataCursor,
  OPEN_DATA_DEFAULT_LIMIT,
  OPEN_DATA_MAX_LIMIT,
} from '../../../domain/stats/open-data-paging.ts';
import {
  countOpenDataRows,
  openDataFingerprint,
  openDataRowPages,
  openDataRows,
  type OpenDataFilter,
} from '../../../queries/open-data.ts';
import { unknownStatsParent } from '../../../queries/stats-labels.ts';
import {
  latestSnapshot,
  OPEN_DATA_SCHEMA,
  servedSnapshot,
  snapshotBySha256,
  storedSnapshotTerms,
  type SnapshotInfo,
} from '../../../queries/open-data-snapshot.ts';
import { openDataTerms } from '../../../domain/stats/open-data-terms.ts';
import { csvSafe, statsCsv, statsXlsx } from '../../../presenters/stats-table.ts';
import { requestLang } from '../../plugins/errors.ts';
import { notModified, sendConditional } from '../../plugins/conditional-get.ts';
import { refuseUnusedPeriodParams } from '../../period-params.ts';

/**
 * Cache-Control of the public statistics and open data: any cache may keep them but must revalidate (ETag → 304)
 * on every use, so a report made rahasia leaves what clients see at once, never after a max-age.
 */
const REVALIDATE = 'public, no-cache';
/** The CSV headers follow the request's language (`lang`, the `lang` cookie, Accept-Language). */
const VARY_LANG = 'Accept-Language, Cookie';
const JSON_TYPE = 'application/json; charset=utf-8';
const CSV_TYPE = 'text/csv; charset=utf-8';

const isoDate = calendarDate;

/** Query of `GET /api/v1/stats`. */

/**
 * A stored open-data snapshot with its checksum headers, or 404. Rows of reports that left the public after the
 * snapshot (made rahasia) are withdrawn from what is served (`servedSnapshot`): the checksum headers are then those of
 * the served bytes, `x-snapshot-original-sha256` names the stored file and `x-snapshot-withdrawn-rows` says how many.
 * `Link: <licence>; rel="license"` (RFC 4946) names the licence the file states (`snapshotTerms`).
 */
async function sendSnapshot(
  svc: Services,
  req: FastifyRequest,
  reply: FastifyReply,
  snap: SnapshotInfo | null,
) {
  if (!snap) throw new AppError('NOT_FOUND');
  const served = await servedSnapshot(svc.db, snap);
  // The served bytes' sha256 is their ETag: a harvester holding this file gets 304.
  const etag = `"${served.sha256}"`;
  reply.header('etag', etag).header('cache-control', REVALIDATE);
  if (notModified(req, etag)) return reply.status(304).send();
  reply.header('x-checksum-sha256', served.sha256);
  reply.header('digest', `sha-256=${Buffer.from(served.sha256, 'hex').toString('base64')}`);
  reply.header('x-snapshot-created-at', snap.createdAt);
  reply.header('link', `<${(await snapshotTerms(svc, snap)).license}>; rel="license"`);
  reply.header('content-disposition', `attachment; filename="${snap.path.split('/').pop()}"`);
  if (served.kind === 'withdrawn') {
    reply.header('x-snapshot-original-sha256', snap.sha256);
    reply.header('x-snapshot-withdrawn-rows', String(served.withdrawnRows));
  }
  return reply.type('application/json').send(createReadStream(served.path));
}

/**
 * The licence and publisher of a stored snapshot: those its file states (schema 4), else (a file written before) the
 * operator's current ones, the terms the site publishes its open data under now.
 */
async function snapshotTerms(svc: Services, snap: SnapshotInfo) {
  return (await storedSnapshotTerms(snap.path)) ?? openDataTerms(svc.openData, svc.publicUrl);
}

export const StatsQuery = z.object({
  groupBy: z.enum(STATS_GROUP_BY).default('agency'),
  from: isoDate.optional(),
  to: isoDate.optional(),
  parent: z.string().max(100).optional(),
  lang: z.enum(['id', 'en']).optional(),
});

/** Default range: 1 January of the current year up to today, in the instance's home zone (ADUAN_TIME_ZONE). */
export function statsRange(
  now: Date,
  zone: ZoneName,
  from?: string,
  to?: string,
): { from: string; to: string } {
  const today = localDate(now, zone);
  const range = { from: from ?? `${today.slice(0, 4)}-01-01`, to: to ?? today };
  if (range.from > range.to) throw invalid({ from: { key: 'date_range' } });
  return range;
}

const OpenDataQuery = z
  .object({
    from: isoDate.optional(),
    to: isoDate.optional(),
    /** Rows per page (default OPEN_DATA_DEFAULT_LIMIT; the CSV without `limit` and `cursor` is the whole file). */
    limit: z.coerce.number().int().min(1).max(OPEN_DATA_MAX_LIMIT).optional(),
    /** The `next` cursor of the previous page (opaque). */
    cursor: z
      .string()
      .refine((c) => decodeOpenDataCursor(c) !== null, { params: { key: 'invalid_cursor' } })
      .optional(),
  })
  // An inverted range is refused as on /stats, rather than answered with no rows.
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ['from'], params: { key: 'date_range' } });

type OpenDataQuery = z.infer<typeof OpenDataQuery>;

type OpenDataRows = Awaited<ReturnType<typeof openDataRows>>;

/** CSV lines of open-data rows, without the header (each record ends with its newline). */
function openDataCsvLines(rows: OpenDataRows): string {
  // Booleans as `true`/`false` (csv-stringify's default writes false as an empty cell); empty is null only
  // ("not yet due" for the on-time columns), as in the JSON.
  return stringify(
    rows.map((r) =>
      OPEN_DATA_COLUMNS.map((c) => {
        const v = r[c.name];
        // Text cells that a spreadsheet would read as a formula (a title starting with `=`) get a `'`.
        return csvSafe(Array.isArray(v) ? v.join('/') : (v ?? null));
      }),
    ),
    { cast: { boolean: (v) => (v ? 'true' : 'false') } },
  );
}

/**
 * The version of the open-data CSV writer (`openDataCsvLines`), part of the whole-file ETag: raise it when the same
 * rows would be written as other bytes (quoting, a cell's format), so a harvester's cached copy is not revalidated.
 */
const OPEN_DATA_CSV_FORMAT = 'aduan-open-data-csv/1';

/** The header row of the open-data CSV. */
const OPEN_DATA_CSV_HEADER = stringify([OPEN_DATA_COLUMNS.map((c) => c.name)]);

/** The CSV of open-data rows (header row first). */
export function openDataCsv(rows: OpenDataRows): string {
  return OPEN_DATA_CSV_HEADER + openDataCsvLines(rows);
}

/**
 * Rows per database page when the whole-file CSV is streamed (`openDataRowPages`); a setting only so that a test can
 * make a few reports span several pages.
 */
export const openDataStreaming = { pageSize: 1000 };

/** The whole-file CSV as chunks: the header, then the lines of each page of rows as the keyset cursor reads them. */
async function* openDataCsvChunks(svc: Services, filter: OpenDataFilter): AsyncGenerator<string> {
  yield OPEN_DATA_CSV_HEADER;
  for await (const rows of openDataRowPages(svc.db, filter, openDataStreaming.pageSize))
    yield openDataCsvLines(rows);
}

/**
 * Before the query schema (which drops unknown parameters): `tahun`, `bulan`, `year` or `month` is refused (422 on the
 * parameter), since these endpoints take a period as `from` and `to` only and would otherwise answer the default range.
 */
async function periodByFromTo(req: FastifyRequest): Promise<void> {
  refuseUnusedPeriodParams(req.query as Record<string, unknown>, ['from', 'to'], 'from, to');
}

export const statsRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (app, opts) => {
  const svc = opts.services;

  const load = async (q: z.infer<typeof StatsQuery>) => {
    const range = statsRange(svc.now(), homeZone(svc), q.from, q.to);
    const unknown = q.parent ? await unknownStatsParent(svc.db, q.groupBy, q.parent) : null;
    if (unknown) throw invalid({ parent: { key: unknown } });
    return statsBy(svc.db, { groupBy: q.groupBy, ...range, parent: q.parent, now: svc.now() });
  };

  app.get(
    '/stats',
    {
      preValidation: periodByFromTo,
      schema: { tags: ['statistics'], summary: 'Indicators per group and period', querystring: StatsQuery },
    },
    async (req, reply) =>
      sendConditional(req, reply, JSON.stringify(await load(req.query)), JSON_TYPE, REVALIDATE),
  );

  app.get(
    '/stats.csv',
    {
      preValidation: periodByFromTo,
      schema: { tags: ['statistics'], summary: 'The statistics table as CSV', querystring: StatsQuery },
    },
    async (req, reply) => {
      const r = await load(req.query);
      reply.header(
        'content-disposition',
        `attachment; filename="aduan-stats-${r.groupBy}-${r.from}-${r.to}.csv"`,
      );
      return sendConditional(req, reply, statsCsv(r, requestLang(req)), CSV_TYPE, REVALIDATE, VARY_LANG);
    },
  );

  app.get(
    '/stats.xlsx',
    {
      preValidation: periodByFromTo,
      schema: { tags: ['statistics'], summary: 'The statistics table as XLSX', querystring: StatsQuery },
    },
    async (req, reply) => {
      const r = await load(req.query);
      const buf = await statsXlsx(r, requestLang(req), `${r.groupBy} ${r.from} ${r.to}`);
      reply.header(
        'content-disposition',
        `attachment; filename="aduan-stats-${r.groupBy}-${r.from}-${r.to}.xlsx"`,
      );
      return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(buf);
    },
  );

  /**
   * One page of the rows (`limit` after `cursor`) and the absolute URL of the next page (same filter and `limit`),
   * null on the last page. Asks one row more than the page to know whether another page follows.
   */
  const openDataPage = async (q: OpenDataQuery, path: string) => {
    const filter: OpenDataFilter = { from: q.from, to: q.to };
    const limit = q.limit ?? OPEN_DATA_DEFAULT_LIMIT;
    const after = q.cursor ? decodeOpenDataCursor(q.cursor) : null;
    const rows = await openDataRows(svc.db, filter, { limit: limit + 1, after });
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    let next: string | null = null;
    if (rows.length > limit && last) {
      const params = new URLSearchParams();
      if (q.from) params.set('from', q.from);
      if (q.to) params.set('to', q.to);
      params.set('limit', String(limit));
      params.set('cursor', encodeOpenDataCursor(last));
      next = `${svc.publicUrl}/api/v1/open-data/${path}?${params.toString()}`;
    }
    return { filter, limit, items, next };
  };
  /** `Link: <next>; rel="next"` (RFC 8288) when another page follows. */
  const linkNext = (reply: FastifyReply, next: string | null) => {
    if (next) reply.header('link', `<${next}>; rel="next"`);
  };

  app.get(
    '/open-data/reports.json',
    {
      preValidation: periodByFromTo,
      schema: {
        tags: ['open data'],
        summary: 'Public report rows (JSON), a page at a time: `next` / `Link: rel="next"`',
        querystring: OpenDataQuery,
      },
    },
    async (req, reply) => {
      const page = await openDataPage(req.query, 'reports.json');
      const doc = {
        columns: OPEN_DATA_COLUMNS.map((c) => c.name),
        total: await countOpenDataRows(svc.db, page.filter),
        limit: page.limit,
        items: page.items,
        next: page.next,
      };
      linkNext(reply, page.next);
      return sendConditional(req, reply, JSON.stringify(doc), JSON_TYPE, REVALIDATE);
    },
  );

  app.get(
    '/open-data/reports.csv',
    {
      preValidation: periodByFromTo,
      schema: {
        tags: ['open data'],
        summary:
          'Public report rows (CSV): every row without `limit`/`cursor`, else a page (`Link: rel="next"`)',
        querystring: OpenDataQuery,
      },
    },
    async (req, reply) => {
      const q = req.query;
      if (q.limit === undefined && q.cursor === undefined) {
        // The whole file: what spreadsheets and the catalog's CSV distribution (CKAN) download. Streamed, a page of
        // rows at a time. The ETag is the rows' fingerprint (one aggregate query; 304 ends there) with the writer's
        // format, so the rows are read once, as they are sent.
        const filter = { from: q.from, to: q.to };
        const fingerprint = await openDataFingerprint(svc.db, filter);
        const etag = `"${createHash('sha1')
          .update(`${OPEN_DATA_CSV_FORMAT}\n${OPEN_DATA_CSV_HEADER}${fingerprint}`)
          .digest('base64url')}"`;
        reply.header('etag', etag).header('cache-control', REVALIDATE);
        if (notModified(req, etag)) return reply.status(304).send();
        reply.header('content-disposition', 'attachment; filename="aduan-open-data-reports.csv"');
        return reply.type(CSV_TYPE).send(Readable.from(openDataCsvChunks(svc, filter)));
      }
      const page = await openDataPage(q, 'reports.csv');
      linkNext(reply, page.next);
      reply.header('content-disposition', 'attachment; filename="aduan-open-data-reports-page.csv"');
      return sendConditional(req, reply, openDataCsv(page.items), CSV_TYPE, REVALIDATE);
    },
  );

  app.get(
    '/open-data/dictionary',
    { schema: { tags: ['open data'], summary: 'Data dictionary of the open data' } },
    // The schema of the snapshots served now; the row columns are those of schema 1 (2 added snapshot-level parts).
    async () => ({
      schema: OPEN_DATA_SCHEMA,
      columnsSince: 'aduan-open-data/1',
      columns: OPEN_DATA_COLUMNS,
    }),
  );

  app.get(
    '/open-data/catalog.json',
    {
      schema: {
        tags: ['open data'],
        summary:
          'DCAT-US 1.1 catalog (data.json) of the open data, for CKAN / Satu Data Indonesia harvesters',
        querystring: z.object({ lang: z.enum(['id', 'en']).optional() }),
      },
    },
    async (req, reply) => {
      const doc = openDataCatalog({
        publicUrl: svc.publicUrl,
        lang: requestLang(req),
        license: svc.openData?.license,
        publisher: svc.openData?.publisher,
        modified: await statsRefreshedAt(svc.db),
      });
      return sendConditional(req, reply, JSON.stringify(doc), JSON_TYPE, REVALIDATE, VARY_LANG);
    },
  );

  app.get(
    '/open-data/snapshots/latest',
    { schema: { tags: ['open data'], summary: 'The latest daily snapshot file (sha256 in headers)' } },
    async (req, reply) => {
      return sendSnapshot(svc, req, reply, await latestSnapshot(svc.db));
    },
  );

  app.get(
    '/open-data/snapshots/:sha256',
    {
      schema: {
        tags: ['open data'],
        summary: 'A stored snapshot file by its sha256 (e.g. the one an evaluation was published from)',
        params: z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
      },
    },
    async (req, reply) => {
      return sendSnapshot(svc, req, reply, await snapshotBySha256(svc.db, req.params.sha256));
    },
  );

  app.get(
    '/open-data/snapshots/latest.sha256',
    { schema: { tags: ['open data'], summary: 'Checksum and metadata of the latest snapshot' } },
    async () => {
      const snap = await latestSnapshot(svc.db);
      if (!snap) throw new AppError('NOT_FOUND');
      const terms = await snapshotTerms(svc, snap);
      return {
        createdAt: snap.createdAt,
        sha256: snap.sha256,
        rows: snap.rows,
        file: snap.path.split('/').pop(),
        license: terms.license,
        publisher: terms.publisher,
      };
    },
  );
};
