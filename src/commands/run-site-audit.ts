/**
 * Runs the website / social-media audit (src/integrations/site-audit.ts) for every participant URL
 * of an evaluation period and stores each result in `evaluation_site_audits`, next to the assessors'
 * `website` / `media_sosial` rubric scores (evidence, not a score on its own).
 * Manual: `aduan evaluate audit --period <id>`. Scheduled: the worker calls `runScheduledSiteAudits`
 * on its sweep schedule; each participant URL of a running period is audited once per day (the home zone,
 * ADUAN_TIME_ZONE).
 */
import { sql } from 'drizzle-orm';
import { homeZone, type Services } from '../app/context.ts';
import { AppError } from '../app/errors.ts';
import { query } from '../db/client.ts';
import { addCalendarDays, localDate, startOfLocalDay } from '../domain/deadline/calendar.ts';
import { evaluationSiteAudits } from '../db/schema.ts';
import {
  AUDIT_AVAILABLE,
  auditSite,
  launchAuditBrowser,
  type AuditOptions,
  type SiteAuditResult,
} from '../integrations/site-audit.ts';

/** One stored audit. */
export interface StoredAudit {
  agencyId: string;
  kind: 'website' | 'media_sosial';
  url: string;
  score: number;
  result: SiteAuditResult;
}

/** Audits every participant URL of the period (one browser, sequentially); returns what was stored. */
export async function runSiteAudit(
  svc: Services,
  periodId: string,
  opts: AuditOptions = {},
): Promise<StoredAudit[]> {
  if (!AUDIT_AVAILABLE) throw new AppError('SERVICE_UNAVAILABLE');
  const targets = await query<{ agency_id: string; website_url: string | null; social_url: string | null }>(
    svc.db,
    sql`select distinct p.agency_id, p.website_url, p.social_url from evaluation_participants p
        join evaluation_groups g on g.id = p.group_id where g.period_id = ${periodId} order by p.agency_id`,
  );
  if (!targets.length) throw new AppError('NOT_FOUND');
  const jobs: AuditJob[] = [];
  for (const t of targets) {
    if (t.website_url) jobs.push({ agencyId: t.agency_id, kind: 'website', url: t.website_url });
    if (t.social_url) jobs.push({ agencyId: t.agency_id, kind: 'media_sosial', url: t.social_url });
  }
  return auditJobs(svc, periodId, jobs, opts);
}

/** One participant URL to audit. */
interface AuditJob {
  agencyId: string;
  kind: 'website' | 'media_sosial';
  url: string;
}

/** Audits the jobs with one browser, sequentially, storing each result. */
async function auditJobs(
  svc: Services,
  periodId: string,
  jobs: AuditJob[],
  opts: AuditOptions,
): Promise<StoredAudit[]> {
  const browser = await launchAuditBrowser();
  const stored: StoredAudit[] = [];
  try {
    for (const j of jobs) {
      // Every request of the audit goes through the outbound SSRF guard (ADUAN_OUTBOUND_ALLOW_HOSTS exempts).
      const result = await auditSite(browser, j.url, { allowHosts: svc.outboundAllowHosts ?? [], ...opts });
      await svc.db.insert(evaluationSiteAudits).values({
        periodId,
        agencyId: j.agencyId,
        kind: j.kind,
        url: j.url,
        ranAt: svc.now(),
        score: result.score,
        result,
      });
      stored.push({ ...j, score: result.score, result });
    }
  } finally {
    await browser.close();
  }
  return stored;
}

/** Days after a period's end during which its participants are still audited (the assessment window). */
export const AUDIT_GRACE_DAYS = 30;
/** A claim older than this without `done` is taken over (the worker that held it died). */
const CLAIM_STALE_MS = 2 * 3_600_000;

let running: Promise<ScheduledAuditResult> | null = null;

/** What one scheduled run did. */
export interface ScheduledAuditResult {
  /** Periods whose due participants were audited by this call. */
  periods: string[];
  audited: number;
}

/**
 * The scheduled audit: for every period running today (home zone; from its start until AUDIT_GRACE_DAYS
 * after its end), audits each participant URL that has no audit yet today. Idempotent per participant,
 * URL and day: a second call the same day audits nothing, and one worker at a time holds a period's
 * daily claim (`settings` key `evaluation.site_audit.<period>`). One run per process at a time; a
 * no-op without chromium. Never throws for one bad URL (the audit records it as not loading).
 */
export async function runScheduledSiteAudits(
  svc: Services,
  opts: AuditOptions = {},
): Promise<ScheduledAuditResult> {
  if (!AUDIT_AVAILABLE) return { periods: [], audited: 0 };
  if (running) return running;
  running = (async () => {
    const now = svc.now();
    const zone = homeZone(svc);
    const today = localDate(now, zone);
    const dayStart = startOfLocalDay(today, zone);
    const periods = await query<{ id: string }>(
      svc.db,
      sql`select id from evaluation_periods
          where from_date <= ${today} and to_date >= ${addCalendarDays(today, -AUDIT_GRACE_DAYS)} order by id`,
    );
    const out: ScheduledAuditResult = { periods: [], audited: 0 };
    for (const p of periods) {
      const due = await query<{ agency_id: string; kind: 'website' | 'media_sosial'; url: string }>(
        svc.db,
        sql`select distinct t.agency_id, t.kind, t.url from (
              select p.agency_id, 'website' as kind, p.website_url as url from evaluation_participants p
                join evaluation_groups g on g.id = p.group_id where g.period_id = ${p.id} and p.website_url is not null
              union all
              select p.agency_id, 'media_sosial', p.social_url from evaluation_participants p
                join evaluation_groups g on g.id = p.group_id where g.period_id = ${p.id} and p.social_url is not null) t
            where not exists (select 1 from evaluation_site_audits a
              where a.period_id = ${p.id} and a.agency_id = t.agency_id and a.kind = t.kind and a.url = t.url
                and a.ran_at >= ${dayStart})
            order by t.agency_id, t.kind`,
      );
      if (!due.length) continue;
      const key = `evaluation.site_audit.${p.id}`;
      const claim = { date: today, at: now.toISOString() };
      const [claimed] = await query<{ key: string }>(
        svc.db,
        sql`insert into settings (key, value) values (${key}, ${JSON.stringify(claim)}::jsonb)
            on conflict (key) do update set value = excluded.value
            where settings.value->>'date' is distinct from ${today}
               or (settings.value->>'done' is null
                   and (settings.value->>'at')::timestamptz < ${new Date(now.getTime() - CLAIM_STALE_MS)})
            returning key`,
      );
      if (!claimed) continue;
      const stored = await auditJobs(
        svc,
        p.id,
        due.map((d) => ({ agencyId: d.agency_id, kind: d.kind, url: d.url })),
        opts,
      );
      await svc.db.execute(
        sql`update settings set value = value || ${JSON.stringify({ done: svc.now().toISOString() })}::jsonb
            where key = ${key}`,
      );
      out.periods.push(p.id);
      out.audited += stored.length;
    }
    return out;
  })();
  try {
    return await running;
  } finally {
    running = null;
  }
}
