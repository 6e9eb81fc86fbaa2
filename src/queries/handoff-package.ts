/**
 * The Ombudsman hand-off package of a transferred report: the report, its timeline (without internal
 * notes), attachment metadata, and the reporter's identity ONLY when the reporter allowed it (the
 * escalate event carries `data.shareIdentity === true`) and the report is not anonim (identity never reaches the
 * Ombudsman then, as in the policy: domain.md §3); otherwise `reporter` is null and the reporter's own files go under
 * neutral names (original filenames often carry a name or a NIK) and the reporter's own name, email, phone and NIK
 * are masked in the title, the body and the timeline's texts. The worker logs every hand-off that carries the
 * identity (pii_access_log, purpose `ombudsman.handoff`).
 */
import { and, asc, eq, ne } from 'drizzle-orm';
import { attachments, reportEvents, reports } from '../db/schema.ts';
import type { Services } from '../app/context.ts';
import { attachmentFilename, withheldInline } from '../presenters/attachment.ts';
import { maskOwnIdentity, type OwnIdentity } from '../domain/report/own-identity.ts';
import { byReporterAccount, reporterTextMask } from './reporter-account.ts';

/** What the Ombudsman endpoint receives (JSON). */
export interface HandoffPackage {
  trackingId: string;
  classification: string;
  title: string;
  body: string;
  status: string;
  regionCode: string | null;
  agencyId: string | null;
  createdAt: string;
  anonymous: boolean;
  confidential: boolean;
  timeline: Array<{
    seq: number;
    type: string;
    at: string;
    fromStatus: string | null;
    toStatus: string | null;
    body: string | null;
  }>;
  /** `id` is the attachment's id in aduan (the Ombudsman back office links it for download). */
  attachments: Array<{ id: string; filename: string; mime: string; size: number; sha256: string }>;
  reporter: { name?: string; email?: string; phone?: string } | null;
  identityShared: boolean;
  /**
   * How the hand-off was agreed: by the reporter (tracking page, API, SMS) or recorded by staff from a consent given
   * to them (phone, letter), when. The staff record's note may name the reporter, so it comes only when the identity
   * is shared.
   */
  consent: { via: 'reporter' | 'staff'; at: string; note?: string } | null;
}

/** Builds the package, or null when the report does not exist. */
export async function handoffPackage(svc: Services, trackingId: string): Promise<HandoffPackage | null> {
  const [r] = await svc.db.select().from(reports).where(eq(reports.trackingId, trackingId)).limit(1);
  if (!r) return null;
  const events = await svc.db
    .select()
    .from(reportEvents)
    .where(and(eq(reportEvents.reportId, r.id), ne(reportEvents.visibility, 'internal')))
    .orderBy(asc(reportEvents.seq));
  const files = await svc.db.select().from(attachments).where(eq(attachments.reportId, r.id));
  const escalation = [...events].reverse().find((e) => e.type === 'escalate');
  const escalationData = (escalation?.data ?? {}) as Record<string, unknown>;
  const share = escalationData.shareIdentity === true;
  let reporter: HandoffPackage['reporter'] = null;
  const who: OwnIdentity = r.reporterEnc ? svc.sealer.open<OwnIdentity>(r.reporterEnc) : {};
  if (share && !r.anonymous && r.reporterEnc) {
    reporter = {
      ...(who.name ? { name: who.name } : {}),
      ...(who.email ? { email: who.email } : {}),
      ...(who.phone ? { phone: who.phone } : {}),
    };
  }
  // Without the reporter's consent to be named, their own name, email, phone and NIK are masked in every text of the
  // package (a complaint often opens "Saya Rina, warga RT 03 …"; a verifier's question may greet them by name), as
  // for an agency on an anonim report; masked at read, the stored texts stay for staff who may see the reporter.
  const text = (s: string) => (reporter ? s : maskOwnIdentity(s, who));
  // A comment the reporter's own account wrote as a citizen (before it claimed the report) is the reporter's: the
  // account's name and email are masked in it too (reporter-account.ts), on any report whose identity is not shared.
  const account =
    !reporter && events.some((e) => byReporterAccount(r, e, true)) ? await reporterTextMask(svc, r) : null;
  const eventText = (e: (typeof events)[number], s: string) =>
    account && byReporterAccount(r, e, true) ? account(s) : text(s);
  return {
    trackingId: r.trackingId,
    classification: r.classification,
    title: text(r.title),
    body: text(r.body),
    status: r.status,
    regionCode: r.regionCode,
    agencyId: r.agencyId,
    createdAt: r.createdAt.toISOString(),
    anonymous: r.anonymous,
    confidential: r.confidential,
    timeline: events.map((e) => ({
      seq: e.seq,
      type: e.type,
      at: e.createdAt.toISOString(),
      fromStatus: e.fromStatus,
      toStatus: e.toStatus,
      // Internal notes are already excluded; the rest may name the reporter (masked unless shared).
      body: e.body === null ? null : eventText(e, e.body),
    })),
    // An image from an anonim reporter's email body a verifier has not released stays out, as for the agency.
    attachments: files
      .filter((f) => !withheldInline(f, r.anonymous, false))
      .map((f) => ({
        id: f.id,
        filename: attachmentFilename(f, reporter !== null, svc.sealer),
        mime: f.mime,
        size: f.size,
        sha256: f.sha256,
      })),
    reporter,
    identityShared: reporter !== null,
    consent: escalation
      ? {
          via: escalationData.consentVia === 'staff' ? 'staff' : 'reporter',
          at: escalation.createdAt.toISOString(),
          ...(reporter && typeof escalationData.consentNote === 'string'
            ? { note: escalationData.consentNote }
            : {}),
        }
      : null,
  };
}
