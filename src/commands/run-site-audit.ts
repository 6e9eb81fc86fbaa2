/**
 * Runs the website / social-media audit (src/integrations/site-audit.ts) for every participant URL
 * of an evaluation period and stores each result in `evaluation_site_audits`, next to the assessors'
 * `website` / `media_sosial` rubric scores (evidence, not a score on its own).
 * CLI: `aduan evaluate audit --period <id>`.
 */
import { sql } from 'drizzle-orm';
import type { Services } from '../app/context.ts';
import { AppError } from '../app/errors.ts';
import { query } from '../db/client.ts';
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
  const jobs: { agencyId: string; kind: 'website' | 'media_sosial'; url: string }[] = [];
  for (const t of targets) {
    if (t.website_url) jobs.push({ agencyId: t.agency_id, kind: 'website', url: t.website_url });
    if (t.social_url) jobs.push({ agencyId: t.agency_id, kind: 'media_sosial', url: t.social_url });
  }
  const browser = await launchAuditBrowser();
  const stored: StoredAudit[] = [];
  try {
    for (const j of jobs) {
      const result = await auditSite(browser, j.url, opts);
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
