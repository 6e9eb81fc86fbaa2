/**
 * The Ombudsman's read-only back office: GET /kantor/ombudsman (the reports handed over to the Ombudsman in the
 * office's region, 20 a page) and GET /kantor/ombudsman/laporan/:trackingId (one report's hand-off package). Only
 * for people with the `ombudsman` role; every other /kantor page stays closed to them (the back-office gate), and
 * nothing here writes.
 *
 * Scope is the role's own (`isOmbudsmanOnTransferred` in src/policies/can.ts, `visibleTo` in src/queries/scope.ts):
 * status `transferred`, in the grant's region (all regions for a grant without one). Reports merely offered the
 * hand-off are not listed: the role cannot read them before the reporter consents. The report page shows only what
 * `handoffPackage` gives the Ombudsman: no internal notes, attachments by the package's names, and the reporter's
 * identity only when the reporter shared it (never for an anonim report); a shown identity is logged
 * (`pii_access_log`, purpose `ombudsman.report.view`).
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { z } from 'zod';
import type { Services } from '../../app/context.ts';
import { AppError } from '../../app/errors.ts';
import { recordPiiAccess } from '../../commands/reveal-reporter.ts';
import { formatIsoInZone } from '../../domain/deadline/calendar.ts';
import { maskOwnIdentity, type OwnIdentity } from '../../domain/report/own-identity.ts';
import { regionCovers, type Actor, type RoleGrant } from '../../policies/can.ts';
import { reportZone } from '../../presenters/report.ts';
import { handoffPackage } from '../../queries/handoff-package.ts';
import { listAgencyTree, regionTrail } from '../../queries/reference.ts';
import { getReport, listHandedOver } from '../../queries/reports.ts';
import { OmbudsmanListPage, OmbudsmanReportPage } from '../../views/staff/ombudsman-office.tsx';
import { pageContext, sendPage } from '../web/render.ts';

const TrackingId = z.string().regex(/^\d{10}$/);

/** The actor's Ombudsman grants (none: not an Ombudsman user). */
function ombudsmanGrants(actor: Actor): RoleGrant[] {
  return actor.grants.filter((g) => g.role === 'ombudsman');
}

/** True when the actor holds the `ombudsman` role (the sign-in landing and this office's gate). */
export function isOmbudsmanActor(actor: Actor): boolean {
  return ombudsmanGrants(actor).length > 0;
}

/** The gate: signed-out visitors to the sign-in page, signed-in people without the Ombudsman role 403. */
function requireOmbudsman(req: FastifyRequest, reply: FastifyReply): boolean {
  if (!req.session) {
    void reply.redirect(`/masuk?next=${encodeURIComponent(req.url)}`, 303);
    return false;
  }
  if (!isOmbudsmanActor(req.caller.actor)) throw new AppError('FORBIDDEN');
  return true;
}

/** Registers the Ombudsman's list and report page. */
export const staffOmbudsmanRoutes: FastifyPluginAsync<{ services: Services }> = async (app, opts) => {
  const svc = opts.services;

  app.get('/kantor/ombudsman', async (req, reply) => {
    if (!requireOmbudsman(req, reply)) return reply;
    const q = req.query as Record<string, string | undefined>;
    const page = Math.max(1, Math.min(10_000, Number.parseInt(q.page ?? '1', 10) || 1));
    const result = await listHandedOver(svc, req.caller, page, 20);
    const items = result.items.map((r) => {
      const zone = reportZone(r);
      return {
        trackingId: r.row.trackingId,
        // Masked as in the package unless the reporter shared their identity (handoff-package.ts).
        title:
          r.row.escalationSharesIdentity && !r.row.anonymous
            ? r.row.title
            : maskOwnIdentity(
                r.row.title,
                r.row.reporterEnc ? svc.sealer.open<OwnIdentity>(r.row.reporterEnc) : {},
              ),
        status: r.row.status,
        agency: r.agency?.shortName ?? r.agency?.name ?? r.target?.shortName ?? r.target?.name ?? null,
        receivedAt: formatIsoInZone(r.row.createdAt, zone),
        handedOverAt: r.row.closedAt ? formatIsoInZone(r.row.closedAt, zone) : null,
      };
    });
    return sendPage(reply, req, h(OmbudsmanListPage, { ctx: pageContext(req), rows: { ...result, items } }));
  });

  app.get('/kantor/ombudsman/laporan/:trackingId', async (req, reply) => {
    if (!requireOmbudsman(req, reply)) return reply;
    const { trackingId } = req.params as { trackingId: string };
    if (!TrackingId.safeParse(trackingId).success) throw new AppError('REPORT_NOT_FOUND');
    // Hidden from the caller: 404, as everywhere. Visible (a public report) but not handed over to this office: 403.
    const visible = await getReport(svc, req.caller, trackingId);
    const row = visible.report.row;
    const handedOver =
      row.status === 'transferred' &&
      ombudsmanGrants(req.caller.actor).some(
        (g) => g.regionCode === null || regionCovers(g.regionCode, row.regionCode),
      );
    if (!handedOver) throw new AppError('FORBIDDEN');
    const pkg = await handoffPackage(svc, trackingId);
    if (!pkg) throw new AppError('REPORT_NOT_FOUND');
    // The package carries the identity only when the reporter shared it (and the report is not anonim).
    if (pkg.reporter) await recordPiiAccess(svc, row.id, req.caller.actor.userId, 'ombudsman.report.view');
    const [agencies, regionNames] = await Promise.all([
      listAgencyTree(svc.db),
      pkg.regionCode ? regionTrail(svc.db, pkg.regionCode) : [],
    ]);
    const agencyName = pkg.agencyId
      ? (agencies.find((a) => a.id === pkg.agencyId)?.name ?? pkg.agencyId)
      : null;
    return sendPage(
      reply,
      req,
      h(OmbudsmanReportPage, {
        ctx: pageContext(req),
        pkg,
        zone: reportZone(visible.report),
        agencyName,
        regionNames,
      }),
    );
  });
};
