/**
 * POST servicerequestupdates (mySociety extension): a partner posts an update with an extended status.
 * The partner that submitted the request acts as the reporter (comment, supplement, accept, dispute);
 * a key bound to an agency acts for that agency (interim/final follow-up, return). The update row and the
 * action share one transaction, and (api key, update_id) is unique, so a replay never acts twice.
 */
import { eq } from 'drizzle-orm';
import type { AppDb } from '../db/client.ts';
import { open311Updates } from '../db/schema.ts';
import { EXTENDED_STATUSES, updateIntent, type ExtendedStatus } from '../domain/open311/statuses.ts';
import { PUBLIC_STATUSES, type ReportStatus } from '../domain/report/report.ts';
import type { Caller, Services } from '../app/context.ts';
import { PUBLIC_CALLER } from '../app/context.ts';
import { AppError, invalid } from '../app/errors.ts';
import { findApiKey, ownRequestAccess, type ApiKeyInfo } from '../queries/open311.ts';
import { loadReport } from '../db/repositories/reports.ts';
import { commentReport } from './comment-report.ts';
import { acceptReport } from './accept-report.ts';
import { disputeReport } from './dispute-report.ts';
import { supplementReport } from './supplement-report.ts';
import { respondToReport } from './respond-to-report.ts';
import { returnReport } from './return-report.ts';
import type { ActionResult } from './report-action.ts';

/** The fields of a POST servicerequestupdates. */
export interface Open311UpdateInput {
  serviceRequestId: string;
  updateId: string;
  status: string;
  description: string;
  rating?: number | undefined;
}

/** Result: our id for the stored update (the timeline event). */
export interface Open311UpdateResult {
  updateId: string;
}

/** The caller a partner key acts as on one report, and from which side. */
async function partnerCaller(
  svc: Services,
  key: ApiKeyInfo,
  trackingId: string,
): Promise<{ caller: Caller; side: 'reporter' | 'agency' }> {
  const own = await ownRequestAccess(svc.db, trackingId, key.id);
  if (own) {
    return {
      caller: { ...PUBLIC_CALLER, accessKey: svc.sealer.open<string>(own.accessKeyEnc) },
      side: 'reporter',
    };
  }
  if (key.agencyId && key.scopes.includes('agency')) {
    return {
      caller: {
        actor: { userId: null, grants: [{ role: 'agency_admin', agencyId: key.agencyId, regionCode: null }] },
        system: `partner:${key.name}`,
      },
      side: 'agency',
    };
  }
  throw new AppError('FORBIDDEN');
}

/** Applies one partner update. Throws DUPLICATE_UPDATE for an update_id already received from this key. */
export async function postOpen311Update(
  svc: Services,
  apiKey: string,
  input: Open311UpdateInput,
): Promise<Open311UpdateResult> {
  const key = await findApiKey(svc.db, apiKey);
  if (!key) throw new AppError('FORBIDDEN');
  if (!key.agencyActive) throw new AppError('API_KEY_AGENCY_INACTIVE');
  const status = input.status.trim().toUpperCase() as ExtendedStatus;
  const fields: Record<string, { key: string; params?: Record<string, string> }> = {};
  if (!input.updateId.trim()) fields.update_id = { key: 'required' };
  if (!(EXTENDED_STATUSES as readonly string[]).includes(status))
    fields.status = { key: 'one_of', params: { options: EXTENDED_STATUSES.join(', ') } };
  if (!input.description.trim()) fields.description = { key: 'required' };
  if (input.description.length > 4000) fields.description = { key: 'too_long', params: { max: '4000' } };
  if (Object.keys(fields).length) throw invalid(fields);

  const report = await loadReport(svc.db, input.serviceRequestId);
  if (!report) throw new AppError('REPORT_NOT_FOUND');
  const isPublic =
    (PUBLIC_STATUSES as readonly string[]).includes(report.row.status) && !report.row.confidential;
  const { caller, side } = await partnerCaller(svc, key, input.serviceRequestId).catch((e: unknown) => {
    // A partner with no relation to a report it may not read learns nothing about it (D13): 404, not 403.
    throw e instanceof AppError && e.code === 'FORBIDDEN' && !isPublic ? new AppError('REPORT_NOT_FOUND') : e;
  });
  const intent = updateIntent(status, side, report.row.status as ReportStatus);

  return svc.db.transaction(async (tx) => {
    const db = tx as unknown as AppDb;
    const inserted = await db
      .insert(open311Updates)
      .values({
        apiKeyId: key.id,
        updateId: input.updateId.trim(),
        reportId: report.row.id,
        status,
        createdAt: svc.now(),
      })
      .onConflictDoNothing()
      .returning({ id: open311Updates.id });
    if (inserted.length === 0) throw new AppError('DUPLICATE_UPDATE');
    const inner: Services = { ...svc, db };
    const id = input.serviceRequestId;
    const body = input.description.trim();
    let result: ActionResult;
    switch (intent.kind) {
      case 'accept':
        result = input.rating
          ? await acceptReport(inner, caller, id, { rating: input.rating, comment: body })
          : await commentReport(inner, caller, id, { body });
        break;
      case 'dispute':
        result = await disputeReport(inner, caller, id, { reason: body });
        break;
      case 'supplement':
        result = await supplementReport(inner, caller, id, { body });
        break;
      case 'respond':
        result = await respondToReport(inner, caller, id, { body, final: intent.final });
        break;
      case 'return':
        result = await returnReport(inner, caller, id, { note: body });
        break;
      default:
        result = await commentReport(inner, caller, id, { body });
    }
    await db
      .update(open311Updates)
      .set({ eventId: result.event.id })
      .where(eq(open311Updates.id, inserted[0]!.id));
    return { updateId: String(result.event.id) };
  });
}
