/**
 * The one way the JSON API answers a report: the caller's permissions, the offers that complete `allowedActions`
 * (the Ombudsman hand-off once open, `pull-back`; commands/report-offers.ts) and the presenter. GET /reports/{id},
 * the list, every action's response, privacy, pull-back, reverse-auto-dispatch and merge go through it, so
 * `allowedActions` says the same everywhere.
 */
import type { FastifyRequest } from 'fastify';
import type { Caller, Services } from '../../../app/context.ts';
import { maskOwnIdentity, type OwnIdentity } from '../../../domain/report/own-identity.ts';
import type { LoadedReport } from '../../../db/repositories/reports.ts';
import { reportOffers, reportsOffers } from '../../../commands/report-offers.ts';
import type { ReporterInput } from '../../../commands/submit-report.ts';
import { permissionsFor, type PolicyAction } from '../../../policies/can.ts';
import { subjectOf } from '../../../queries/access.ts';
import { presentReport } from '../../../presenters/report.ts';
import { requestLang } from '../../plugins/errors.ts';

/** One report for the caller (the offers read exactly, the timeline included). */
export async function presentReportFor(
  svc: Services,
  req: FastifyRequest,
  report: LoadedReport,
  extra: { permissions?: Record<PolicyAction, boolean>; reporter?: ReporterInput | null } = {},
) {
  const permissions = extra.permissions ?? permissionsFor(req.caller.actor, subjectOf(report, req.caller));
  const offers = await reportOffers(svc.db, req.caller, report, permissions, svc.now());
  return withTexts(
    presentReport(report, permissions, {
      lang: requestLang(req),
      ...(extra.reporter !== undefined ? { reporter: extra.reporter } : {}),
      ...offers,
    }),
    ombudsmanTexts(svc, req.caller, report, permissions),
  );
}

/**
 * How the Ombudsman reads a report's texts when the reporter did not agree to be named to it (no `viewReporter`):
 * with the reporter's own name, email, phone and NIK masked, as its hand-off package (src/queries/handoff-package.ts).
 * Null for everyone else: they read the texts as stored.
 */
export function ombudsmanTexts(
  svc: Services,
  caller: Caller,
  report: LoadedReport,
  permissions: Pick<Record<PolicyAction, boolean>, 'viewReporter'>,
): ((text: string) => string) | null {
  if (permissions.viewReporter || !caller.actor.grants.some((g) => g.role === 'ombudsman')) return null;
  const who: OwnIdentity = report.row.reporterEnc ? svc.sealer.open<OwnIdentity>(report.row.reporterEnc) : {};
  return (text) => maskOwnIdentity(text, who);
}

function withTexts<P extends { title: string; body: string }>(
  presented: P,
  text: ((s: string) => string) | null,
): P {
  return text ? { ...presented, title: text(presented.title), body: text(presented.body) } : presented;
}

/** A page of reports for the caller, without a query per report (`reportsOffers`). */
export async function presentReportsFor(
  svc: Services,
  req: FastifyRequest,
  reports: readonly LoadedReport[],
) {
  const items = reports.map((report) => ({
    report,
    permissions: permissionsFor(req.caller.actor, subjectOf(report, req.caller)),
  }));
  const offers = await reportsOffers(svc.db, req.caller, items, svc.now());
  const lang = requestLang(req);
  return items.map(({ report, permissions }, i) =>
    withTexts(
      presentReport(report, permissions, { lang, ...offers[i] }),
      ombudsmanTexts(svc, req.caller, report, permissions),
    ),
  );
}
