/**
 * Back-office queue: GET /kantor?tab=…&page=… with counts on every tab (one query), deadline badges and, on the verify
 * tab, the agency model's top suggestion for each report; on the Ombudsman tab, whether each report was handed over
 * or waits for the reporter's consent (`listQueue`). `?selesai=kembali` (after a return) shows its notice.
 *
 * Search (`?q=…&status=…&dari=…`, queries/queue-search.ts): any filter replaces the tab list with "Hasil pencarian"
 * (same columns, sort and paging, the filters kept in every link); a tracking number the caller works on opens that
 * report; bad values re-render the form with field messages (422). `/kantor/cari.csv|.xlsx` export the same list
 * (cut at the cap, which the file name and the XLSX's notes sheet say, the notes naming the filters as the log does),
 * each download logged (`export.queue`, filed under the grant it was made in).
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { homeZone, type Services } from '../../app/context.ts';
import {
  defaultSort,
  isBackOfficeActor,
  listQueue,
  QUEUE_SORTS,
  queueCounts,
  tabsFor,
  type QueueSort,
  type QueueTab,
} from '../../queries/queues.ts';
import { calendarStatus } from '../../queries/calendar-status.ts';
import { calendarWarningText } from '../../presenters/calendar-warning.ts';
import { queueSuggestions } from '../../commands/suggest-routing.ts';
import { QueuePage } from '../../views/staff/queue-page.tsx';
import { formErrors, pageContext, sendPage } from '../web/render.ts';
import { requireStaff } from './forms.ts';
import { isOmbudsmanActor } from './ombudsman-office.ts';
import {
  EXPORT_CAP,
  exportSearch,
  parseSearch,
  searchOptions,
  searchQueue,
  searchValues,
  trackingInScope,
  type ParsedSearch,
} from '../../queries/queue-search.ts';
import {
  queueCsv,
  queueExportFileName,
  queueXlsx,
  type QueueExportSummary,
} from '../../presenters/queue-export.ts';
import { recordQueueExport } from '../../commands/record-queue-export.ts';
import { auditLogNames } from '../../queries/admin-audit-log.ts';
import { invalid } from '../../app/errors.ts';
import { requestLang } from '../plugins/errors.ts';
import { formatIsoInZone, localDate } from '../../domain/deadline/calendar.ts';
import type { FormErrors } from '../../views/context.ts';
import type { Lang } from '../../locales/index.ts';
import { t } from '../../locales/index.ts';

const PAGE_SIZE = 20;

/** The page's messages of the search's field problems (the date range in the form's own words). */
function searchErrors(lang: Lang, search: ParsedSearch): FormErrors {
  const out = formErrors(lang, search.errors);
  if (search.errors.dari?.key === 'date_range') out.dari = t(lang, 'staff.queue.search.date_range');
  return out;
}

/** Registers the queue page. `exportCap`: the most rows one export holds (default `EXPORT_CAP`). */
export const staffQueueRoutes: FastifyPluginAsync<{
  services: Services;
  exportCap?: number | undefined;
}> = async (app, opts) => {
  const svc = opts.services;
  const exportCap = opts.exportCap ?? EXPORT_CAP;
  app.get('/kantor', async (req, reply) => {
    // The Ombudsman's back office is its own list of handed-over reports (the staff queue is not theirs).
    if (req.session && !isBackOfficeActor(req.caller.actor) && isOmbudsmanActor(req.caller.actor))
      return reply.redirect(`/kantor/ombudsman?lang=${pageContext(req).lang}`, 303);
    if (!requireStaff(req, reply)) return reply;
    const q = req.query as Record<string, string | undefined>;
    const values = searchValues(q);
    const options = await searchOptions(svc, req.caller);
    const search = parseSearch(values, options);
    if (search.active) {
      if (search.trackingId) {
        const found = await trackingInScope(svc, req.caller, search.trackingId);
        if (found) return reply.redirect(`/kantor/laporan/${found}`, 303);
      }
      return searchPage(req, reply, q, options, search);
    }
    const tabs = tabsFor(req.caller.actor);
    const tab = (tabs as string[]).includes(q.tab ?? '') ? (q.tab as QueueTab) : tabs[0]!;
    const page = Math.max(1, Math.min(10_000, Number.parseInt(q.page ?? '1', 10) || 1));
    const sort = (QUEUE_SORTS as readonly string[]).includes(q.urutan ?? '')
      ? (q.urutan as QueueSort)
      : defaultSort(tab);
    const ctx = pageContext(req);
    const calendarKeeper = req.caller.actor.grants.some((g) =>
      ['national_admin', 'coordinator'].includes(g.role),
    );
    const [counts, first, calendar] = await Promise.all([
      queueCounts(svc, req.caller),
      listQueue(svc, req.caller, tab, page, 20, sort),
      calendarKeeper ? calendarStatus(svc) : null,
    ]);
    // A page past the end (an old link, a list that shrank since) shows the last page, not "page 9 of 2" and an
    // empty table under a tab that counts reports.
    const last = Math.max(1, Math.ceil(first.total / 20));
    const rows = page > last ? await listQueue(svc, req.caller, tab, last, 20, sort) : first;
    const calendarWarning = calendarWarningText(calendar?.warning, req.caller.actor.grants, ctx.lang);
    // Reports waiting for verification show where the agency model would send them.
    const suggestions =
      tab === 'verify'
        ? await queueSuggestions(
            svc,
            rows.items.map(({ report }) => report.row),
          )
        : null;
    // After a return (bukan wewenang) the report may be gone from every tab of the caller: say it went back.
    const notice = q.selesai === 'kembali' ? ctx.t('staff.queue.returned_notice') : undefined;
    // Coordinators and the national admin oversee every agency's dispatched reports in their scope.
    const overseer = !req.caller.actor.grants.some((g) => g.role === 'agency_admin' || g.role === 'officer');
    return sendPage(
      reply,
      req,
      h(QueuePage, {
        ctx,
        tabs,
        tab,
        counts,
        rows,
        sort,
        calendarWarning,
        suggestions,
        notice,
        overseer,
        search: { options, values: {}, errors: {} },
      }),
    );
  });

  /** The search results in place of a tab (or the form with its field messages). */
  async function searchPage(
    req: FastifyRequest,
    reply: FastifyReply,
    q: Record<string, string | undefined>,
    options: Awaited<ReturnType<typeof searchOptions>>,
    search: ParsedSearch,
  ) {
    const ctx = pageContext(req);
    const tabs = tabsFor(req.caller.actor);
    const overseer = !req.caller.actor.grants.some((g) => g.role === 'agency_admin' || g.role === 'officer');
    const errors = searchErrors(ctx.lang, search);
    const sort = (QUEUE_SORTS as readonly string[]).includes(q.urutan ?? '')
      ? (q.urutan as QueueSort)
      : undefined;
    const page = Math.max(1, Math.min(10_000, Number.parseInt(q.page ?? '1', 10) || 1));
    const counts = await queueCounts(svc, req.caller);
    const invalidForm = Object.keys(errors).length > 0;
    let rows = invalidForm ? null : await searchQueue(svc, req.caller, search.filters, page, PAGE_SIZE, sort);
    const last = rows ? Math.max(1, Math.ceil(rows.total / PAGE_SIZE)) : 1;
    if (rows && page > last) rows = await searchQueue(svc, req.caller, search.filters, last, PAGE_SIZE, sort);
    return sendPage(
      reply,
      req,
      h(QueuePage, {
        ctx,
        tabs,
        tab: null,
        counts,
        rows,
        sort,
        overseer,
        search: { options, values: search.values, errors, exportCap },
      }),
      invalidForm ? 422 : 200,
    );
  }

  for (const ext of ['csv', 'xlsx'] as const) {
    app.get(`/kantor/cari.${ext}`, async (req, reply) => {
      if (!requireStaff(req, reply)) return reply;
      const q = req.query as Record<string, string | undefined>;
      const search = parseSearch(searchValues(q), await searchOptions(svc, req.caller));
      if (Object.keys(search.errors).length) throw invalid(search.errors);
      const sort = (QUEUE_SORTS as readonly string[]).includes(q.urutan ?? '')
        ? (q.urutan as QueueSort)
        : undefined;
      const lang = requestLang(req);
      const result = await exportSearch(svc, req.caller, search.filters, sort, exportCap);
      const now = svc.now();
      // Logged before a byte is sent: no entry, no file.
      const entry = await recordQueueExport(svc, req.caller, {
        format: ext,
        filters: search.values,
        search: search.filters,
        sort,
        rows: result.rows.length,
        total: result.total,
        truncated: result.truncated,
      });
      const summary: QueueExportSummary = {
        rows: result.rows.length,
        total: result.total,
        truncated: result.truncated,
        cap: exportCap,
        filters: search.values,
        generatedAt: formatIsoInZone(now, homeZone(svc)),
        // The notes sheet names the filters as the log does (only the XLSX has one).
        names: ext === 'xlsx' ? await auditLogNames(svc.db, [entry]) : undefined,
      };
      const name = queueExportFileName(localDate(now, homeZone(svc)), ext, summary, lang);
      void reply
        .header('content-disposition', `attachment; filename="${name}"`)
        .header('cache-control', 'no-store')
        .header('x-total-count', String(result.total))
        .header('x-export-rows', String(summary.rows))
        .header('x-export-truncated', result.truncated ? 'true' : 'false');
      if (ext === 'csv') return reply.type('text/csv; charset=utf-8').send(queueCsv(result.rows, lang));
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .send(await queueXlsx(result.rows, lang, summary));
    });
  }
};
