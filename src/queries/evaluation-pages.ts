/**
 * Reads for the evaluation pages: participants with names and URLs, the latest site audit per
 * participant and kind, and the assessors' rubric scores grouped with their spread.
 */
import { sql } from 'drizzle-orm';
import { query, type AppDb } from '../db/client.ts';
import type { SiteAuditResult } from '../integrations/site-audit.ts';

/** A participant row of a period. */
export interface ParticipantRow {
  groupId: string;
  agencyId: string;
  name: string;
  regionCode: string | null;
  websiteUrl: string | null;
  socialUrl: string | null;
}

/** Participants of every group of the period. */
export async function periodParticipants(db: AppDb, periodId: string): Promise<ParticipantRow[]> {
  return query<ParticipantRow>(
    db,
    sql`select p.group_id as "groupId", p.agency_id as "agencyId", coalesce(a.name, p.agency_id) as name,
          a.region_code as "regionCode", p.website_url as "websiteUrl", p.social_url as "socialUrl"
        from evaluation_participants p join evaluation_groups g on g.id = p.group_id
        left join agencies a on a.id = p.agency_id
        where g.period_id = ${periodId} order by p.group_id, name`,
  );
}

/** The latest stored audit of one participant URL. */
export interface AuditRow {
  agencyId: string;
  kind: 'website' | 'media_sosial';
  url: string;
  ranAt: string;
  score: number;
  result: SiteAuditResult;
}

/** Latest audit per (participant, kind) of the period. */
export async function latestSiteAudits(db: AppDb, periodId: string): Promise<AuditRow[]> {
  const rows = await query<AuditRow>(
    db,
    sql`select distinct on (agency_id, kind) agency_id as "agencyId", kind, url, ran_at as "ranAt", score, result
        from evaluation_site_audits where period_id = ${periodId}
        order by agency_id, kind, ran_at desc, id desc`,
  );
  return rows.map((r) => ({ ...r, ranAt: new Date(r.ranAt).toISOString() }));
}
