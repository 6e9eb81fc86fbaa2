/**
 * Live routing accuracy for the back office (issue 7): per month, how many suggestions verifiers
 * decided on, how often the top suggestion was taken and how often the choice was among the three
 * shown; and misrouting over time (verified reports later returned as *bukan wewenang*).
 * Aggregates only: no report data.
 */
import { sql } from 'drizzle-orm';
import type { Caller, Services } from '../app/context.ts';
import { AppError } from '../app/errors.ts';
import { query } from '../db/client.ts';
import { canStaff, type Actor } from '../policies/can.ts';

/** One month of routing figures. */
export interface RoutingMonth {
  month: string;
  /** Reports verified with an agency suggestion on screen. */
  decided: number;
  /** The verifier dispatched to the top suggested agency. */
  acceptedTop1: number;
  /** The chosen agency was among the three suggested. */
  inTop3: number;
  top1Accuracy: number | null;
  top3Accuracy: number | null;
  /** Category suggestions: decided and top-1 accepted. */
  categoryDecided: number;
  categoryAcceptedTop1: number;
  /** Verifications (dispatches) in the month, and bukan-wewenang returns in the month. */
  verifications: number;
  returns: number;
  /** returns / verifications. */
  misroutingRate: number | null;
}

/** Staff with `view_evaluation` in any of their grants (the page links are shown to them only). */
export function mayViewRoutingAccuracy(actor: Actor): boolean {
  return actor.grants.some((g) =>
    canStaff({ userId: actor.userId, grants: [g] }, 'view_evaluation', {
      regionCode: g.regionCode,
      agencyId: g.agencyId,
    }),
  );
}

/** a / b rounded to three decimals, null when b is 0. */
const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 1000) / 1000 : null);

/** The months summed, with the overall rates of the period (same rounding as each month). */
export function routingTotals(months: RoutingMonth[]) {
  const sum = (k: 'decided' | 'acceptedTop1' | 'inTop3' | 'verifications' | 'returns') =>
    months.reduce((n, m) => n + m[k], 0);
  const decided = sum('decided');
  const acceptedTop1 = sum('acceptedTop1');
  const inTop3 = sum('inTop3');
  const verifications = sum('verifications');
  const returns = sum('returns');
  return {
    decided,
    acceptedTop1,
    inTop3,
    top1Accuracy: ratio(acceptedTop1, decided),
    top3Accuracy: ratio(inTop3, decided),
    verifications,
    returns,
    misroutingRate: ratio(returns, verifications),
  };
}

/** The overall figures of a period. */
export type RoutingTotals = ReturnType<typeof routingTotals>;

/** Routing accuracy by month, oldest first, over the last `months` months (default 12). */
export async function routingAccuracy(
  svc: Services,
  caller: Caller,
  months = 12,
): Promise<{ months: RoutingMonth[] }> {
  if (!mayViewRoutingAccuracy(caller.actor))
    throw new AppError(caller.actor.userId ? 'FORBIDDEN' : 'UNAUTHENTICATED');
  const since = new Date(svc.now());
  since.setUTCDate(1);
  since.setUTCMonth(since.getUTCMonth() - (months - 1));
  since.setUTCHours(0, 0, 0, 0);
  const s = since.toISOString();
  const rows = await query<Record<string, string | number>>(
    svc.db,
    sql`with decided as (
          select distinct on (report_id, kind, decided_at) kind, accepted, in_top3,
                 to_char(decided_at at time zone 'UTC', 'YYYY-MM') as month
            from routing_suggestions
           where decided_at >= ${s}
           order by report_id, kind, decided_at, shown_at desc
        ), events as (
          select to_char(created_at at time zone 'UTC', 'YYYY-MM') as month, type
            from report_events where type in ('verify', 'return') and created_at >= ${s}
        ), months as (
          select month from decided union select month from events
        )
        select m.month,
          (select count(*) from decided d where d.month = m.month and d.kind = 'agency')::int as decided,
          (select count(*) from decided d where d.month = m.month and d.kind = 'agency' and d.accepted)::int as accepted,
          (select count(*) from decided d where d.month = m.month and d.kind = 'agency' and d.in_top3)::int as top3,
          (select count(*) from decided d where d.month = m.month and d.kind = 'category')::int as cat_decided,
          (select count(*) from decided d where d.month = m.month and d.kind = 'category' and d.accepted)::int as cat_accepted,
          (select count(*) from events e where e.month = m.month and e.type = 'verify')::int as verifications,
          (select count(*) from events e where e.month = m.month and e.type = 'return')::int as returns
        from months m order by m.month`,
  );
  return {
    months: rows.map((r) => {
      const n = (k: string) => Number(r[k] ?? 0);
      return {
        month: String(r.month),
        decided: n('decided'),
        acceptedTop1: n('accepted'),
        inTop3: n('top3'),
        top1Accuracy: ratio(n('accepted'), n('decided')),
        top3Accuracy: ratio(n('top3'), n('decided')),
        categoryDecided: n('cat_decided'),
        categoryAcceptedTop1: n('cat_accepted'),
        verifications: n('verifications'),
        returns: n('returns'),
        misroutingRate: ratio(n('returns'), n('verifications')),
      };
    }),
  };
}
