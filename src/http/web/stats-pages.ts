/**
 * Public statistics pages: `/statistik` (charts, tables, choropleth) and the printable monthly report
 * `/statistik/bulanan`. Everything read here is aggregated (`statsBy`) or the public read model
 * (`notableResolvedCases`), so no confidential report or reporter detail can reach these pages.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { homeZone, type Services } from '../../app/context.ts';
import { invalid } from '../../app/errors.ts';
import { addCalendarDays, localDate } from '../../domain/deadline/calendar.ts';
import { kabKotaBoundaries } from '../../queries/boundaries.ts';
import { notableResolvedCases } from '../../queries/notable-cases.ts';
import { listRegions } from '../../queries/reference.ts';
import { statsBy, type StatsRequest } from '../../queries/stats.ts';
import { cachedStats } from '../../queries/stats-cache.ts';
import type { RegionFeature } from '../../views/charts/svg-charts.tsx';
import { MonthlyReportPage } from '../../views/pages/monthly-report.tsx';
import { StatsPage } from '../../views/pages/stats-page.tsx';
import { ErrorPage } from '../../views/pages/error-page.tsx';
import { pageContext, sendPage, validationErrors } from './render.ts';
import { refuseUnusedPeriodParams } from '../period-params.ts';
import { has, t, type Lang } from '../../locales/index.ts';

/** `statsBy` through the refresh-aware cache. */
function stats(svc: Services, req: StatsRequest) {
  // The clock is not part of the key: the numbers only change with a refresh of the read model.
  return cachedStats(svc.db, ['statsBy', { ...req, now: undefined }], req.now, () => statsBy(svc.db, req));
}

/** Kalimantan Timur: the default province of the map (the coordination meeting aduan serves). */
export const DEFAULT_PROVINCE = '64';

/** `YYYY-MM` of the month before/after. */
export function shiftMonth(month: string, by: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 + by, 1));
  return d.toISOString().slice(0, 7);
}

/**
 * The province of the map (`prov`): the one asked for, else Kalimantan Timur. A `prov` that is no province (`99`, a
 * kab/kota code) is refused (422 `province_unknown`) rather than silently answered with the default one.
 */
async function provinceChoice(svc: Services, wanted: string | undefined) {
  const provinces = (await listRegions(svc.db)).map((r) => ({ value: r.code, label: r.name }));
  const asked = wanted ? provinces.find((p) => p.value === wanted) : undefined;
  if (wanted && !asked) throw invalid({ prov: { key: 'province_unknown' } });
  const province = asked ?? provinces.find((p) => p.value === DEFAULT_PROVINCE);
  const code = province?.value ?? DEFAULT_PROVINCE;
  return { provinces, province: code, provinceName: province?.label ?? code };
}

/** The label of a query field of the statistics pages (as their filter forms name it), else the field's name. */
export function fieldLabel(lang: Lang, field: string): string {
  const key = `stats.error.field.${field}`;
  return has(lang, key) ? t(lang, key) : field;
}

/**
 * Sends a 422 page that names the invalid query fields by their label (the generic error page does not list them);
 * rethrows anything that is not a validation failure. `back`: the page to offer instead (its label key).
 */
export function sendFieldErrorPage(
  reply: FastifyReply,
  req: FastifyRequest,
  err: unknown,
  back?: { href: string; label: string },
): FastifyReply {
  const ctx = pageContext(req);
  const errors = validationErrors(ctx.lang, err);
  if (!errors) throw err;
  const message = Object.entries(errors)
    .map(([k, v]) => `${fieldLabel(ctx.lang, k)}: ${v}`)
    .join(' ');
  const backProps = back ? { back: back.href, backLabel: ctx.t(back.label) } : {};
  return sendPage(reply, req, h(ErrorPage, { ctx, status: 422, message, ...backProps }), 422);
}

/**
 * The year of the yearly page (`tahun`): one of the years it offers (this year in the instance's zone and the two
 * before), this year when absent or empty. Any other value, malformed (`20x6`) or not offered (`1999`), is refused
 * (422 `year_unknown`) rather than silently answered with this year's figures.
 */
export function yearChoice(wanted: string | undefined, today: string): { year: string; years: string[] } {
  const thisYear = Number(today.slice(0, 4));
  const years = [0, 1, 2].map((i) => String(thisYear - i));
  if (wanted === undefined || wanted === '') return { year: years[0]!, years };
  if (!years.includes(wanted))
    throw invalid({ tahun: { key: 'year_unknown', params: { first: years[2]!, last: years[0]! } } });
  return { year: wanted, years };
}

/** The way back from a refused public statistics page. */
const BACK_TO_STATS = { href: '/statistik', label: 'stats.error.back.public' };
const BACK_TO_MONTHLY = { href: '/statistik/bulanan', label: 'stats.error.back.monthly' };

/** Registers the public statistics routes. */
export async function publicStatsRoutes(app: FastifyInstance, opts: { services: Services }): Promise<void> {
  const svc = opts.services;

  app.get('/statistik', async (req, reply) => {
    const q = req.query as Record<string, string | undefined>;
    const today = localDate(svc.now(), homeZone(svc));
    let year: string, years: string[];
    let prov: Awaited<ReturnType<typeof provinceChoice>>;
    try {
      refuseUnusedPeriodParams(q, ['tahun'], 'tahun');
      ({ year, years } = yearChoice(q.tahun, today));
      prov = await provinceChoice(svc, q.prov);
    } catch (err) {
      return sendFieldErrorPage(reply, req, err, BACK_TO_STATS);
    }
    const from = `${year}-01-01`;
    const to = year === years[0] ? today : `${year}-12-31`;
    const now = svc.now();
    const [months, agencies, regions] = await Promise.all([
      stats(svc, { groupBy: 'month', from, to, now }),
      // The page charts the 12 agencies with most reports (13: the unrouted group '-' is left out).
      stats(svc, { groupBy: 'agency', from, to, now, top: 13 }),
      stats(svc, { groupBy: 'region', from, to, now, parent: prov.province }),
    ]);
    const features = kabKotaBoundaries(prov.province) as unknown as RegionFeature[];
    const ctx = pageContext(req);
    return sendPage(
      reply,
      req,
      h(StatsPage, { ctx, d: { year, years, ...prov, months, agencies, regions, features } }),
    );
  });

  /** The earliest month the monthly report opens (its "previous month" link stops there). */
  const FIRST_MONTH = '2000-01';

  app.get('/statistik/bulanan', async (req, reply) => {
    const q = req.query as Record<string, string | undefined>;
    const today = localDate(svc.now(), homeZone(svc));
    try {
      refuseUnusedPeriodParams(q, ['bulan'], 'bulan');
    } catch (err) {
      return sendFieldErrorPage(reply, req, err, BACK_TO_MONTHLY);
    }
    // An empty `bulan` (a form sent without a choice) is this month, as an absent one.
    const month = q.bulan || today.slice(0, 7);
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month) || month > today.slice(0, 7) || month < FIRST_MONTH) {
      return sendFieldErrorPage(reply, req, invalid({ bulan: { key: 'invalid_format' } }), BACK_TO_MONTHLY);
    }
    const from = `${month}-01`;
    const to = addCalendarDays(`${shiftMonth(month, 1)}-01`, -1);
    let prov: Awaited<ReturnType<typeof provinceChoice>>;
    try {
      prov = await provinceChoice(svc, q.prov);
    } catch (err) {
      return sendFieldErrorPage(reply, req, err, BACK_TO_MONTHLY);
    }
    const now = svc.now();
    const range = { from, to: to < today ? to : today, now };
    const [categories, agencies, regions, cases] = await Promise.all([
      stats(svc, { groupBy: 'category', ...range }),
      stats(svc, { groupBy: 'agency', ...range }),
      stats(svc, { groupBy: 'region', ...range, parent: prov.province }),
      notableResolvedCases(svc.db, month),
    ]);
    const features = kabKotaBoundaries(prov.province) as unknown as RegionFeature[];
    const ctx = pageContext(req);
    const next = shiftMonth(month, 1);
    return sendPage(
      reply,
      req,
      h(MonthlyReportPage, {
        ctx,
        d: {
          month,
          prev: month > FIRST_MONTH ? shiftMonth(month, -1) : null,
          next: next <= today.slice(0, 7) ? next : null,
          ...prov,
          categories,
          agencies,
          regions,
          features,
          cases,
        },
      }),
    );
  });
}
