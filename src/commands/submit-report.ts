/**
 * Submission: the one command every intake channel calls (web form, JSON API, Open311, SMS, email, walk-in).
 * Stores the report, its first timeline event, its outbox message and the verification clock in one SQL
 * statement (atomic; one round trip), and returns the tracking number and the reporter's secret access key.
 * A report located only by a point is filed under the kab/kota of that point (docs/api-v1.md), so it reaches
 * that region's verifiers, calendar and statistics; a point in no kab/kota (at sea) keeps no region.
 * With an idempotency key (ADR 0014) the key is written by the same statement as the report, and a retry of the
 * same request answers with the report the key names instead of filing another.
 */
import { BACK_OFFICE_ROLES } from '../queries/queues.ts';
import { randomUUID } from 'node:crypto';
import type { AppDb } from '../db/client.ts';
import type { Channel, Classification } from '../domain/report/report.ts';
import { localDate } from '../domain/deadline/calendar.ts';
import { makeTrackingId } from '../domain/report/tracking-id.ts';
import { eventRecord } from '../db/repositories/events.ts';
import { loadReport, type LoadedReport, type ReportRow } from '../db/repositories/reports.ts';
import {
  findIdempotencyKey,
  purgeIdempotencyKeys,
  releaseIdempotencyKey,
} from '../db/repositories/idempotency.ts';
import { canonicalJson, IDEMPOTENCY_TTL_MS, type IdempotencyInput } from '../domain/report/idempotency.ts';
import { insertSubmission } from '../db/repositories/submission.ts';
import type { AgencyRow } from '../db/repositories/agencies.ts';
import { findUser } from '../db/repositories/users.ts';
import { randomIntBelow, randomToken, sha256 } from '../integrations/crypto.ts';
import { calendarScope, deadlineColumns, planClock } from './clocks.ts';
import { maskOwnIdentity } from '../domain/report/own-identity.ts';
import type { Caller, Services } from '../app/context.ts';
import { AppError, throwIfInvalid, type FieldIssue } from '../app/errors.ts';
import { collectIssues, requireHandlingAgency, requireCategory, requireRegion } from './lookups.ts';
import { kabKotaOfPoint } from '../queries/boundaries.ts';

/** The reporter's identity and contact, sealed at rest. */
export interface ReporterInput {
  name?: string | undefined;
  email?: string | undefined;
  phone?: string | undefined;
  nik?: string | undefined;
}

export interface SubmitReportInput {
  classification: Classification;
  title: string;
  body: string;
  occurredOn?: string | undefined;
  regionCode?: string | undefined;
  lat?: number | undefined;
  lon?: number | undefined;
  address?: string | undefined;
  categoryId?: number | undefined;
  targetAgencyId?: string | undefined;
  anonymous?: boolean | undefined;
  confidential?: boolean | undefined;
  reporter?: ReporterInput | undefined;
  channel: Channel;
  /** Walk-in: the officer who recorded the report on the citizen's behalf. */
  recordedBy?: string | undefined;
  /**
   * Staff intake: `asked` when the anonim/rahasia flags are the citizen's own answer to the recording officer's
   * questions (the walk-in form requires both); stored on the submit event, so an audit can tell a recorded choice
   * from a default. Ignored without `recordedBy`.
   */
  privacyChoice?: 'asked' | undefined;
  /** The reporter's language (request language): later messages to the reporter use it. */
  lang?: 'id' | 'en' | undefined;
  /** An idempotency key: a retry of the same request answers with the report filed first (ADR 0014). */
  idempotency?: IdempotencyInput | undefined;
}

export interface SubmitReportResult {
  report: LoadedReport;
  accessKey: string;
  /** True when an idempotency key named a report filed before: nothing new was written. */
  replayed?: boolean;
}

/** Indonesia's bounding box (with a margin for outer islands); finer checks use region boundaries. */
export const INDONESIA_BBOX = { minLat: -11.2, maxLat: 6.3, minLon: 94.7, maxLon: 141.1 };

/** Channels whose reports may name no place (docs/channels.md): the national admin verifies them. */
const PLACELESS_CHANNELS: ReadonlySet<string> = new Set(['sms', 'email']);

/** The caller is a signed-in citizen: the report is filed under their account. */
function signedInCitizen(caller: Caller): boolean {
  return !!caller.actor.userId && caller.actor.grants.some((g) => g.role === 'citizen');
}

/**
 * Every field issue of a submission, checked together so one 422 names them all (a future date, an unknown region
 * and an unknown category at once), and the addressed agency when it is valid. Only the fields given are checked:
 * the back-office walk-in form runs this on the fields that parsed when others did not.
 */
export async function submissionIssues(
  svc: Services,
  caller: Caller,
  input: Partial<SubmitReportInput>,
): Promise<{ issues: Record<string, FieldIssue>; target: AgencyRow | null }> {
  const now = svc.now();
  const db = svc.db;
  const issues: Record<string, FieldIssue> = {};
  const hasPoint = input.lat !== undefined && input.lon !== undefined;
  // SMS and email cannot ask back for a place: a report naming none goes to the national verifier queue.
  if (!input.regionCode && !hasPoint && !(input.channel && PLACELESS_CHANNELS.has(input.channel)))
    issues.regionCode = { key: 'region_or_point' };
  if (hasPoint) {
    const b = INDONESIA_BBOX;
    if (input.lat! < b.minLat || input.lat! > b.maxLat || input.lon! < b.minLon || input.lon! > b.maxLon) {
      issues.lat = { key: 'outside_indonesia' };
    }
  }
  if (input.occurredOn && input.occurredOn > localDate(now, 'WIT'))
    issues.occurredOn = { key: 'future_date' };
  if (!signedInCitizen(caller) && !input.anonymous && !input.recordedBy && !input.reporter?.name?.trim()) {
    issues['reporter.name'] = { key: 'reporter_required' };
  }
  if (input.regionCode) await collectIssues(issues, () => requireRegion(db, input.regionCode!, 'regionCode'));
  if (input.categoryId !== undefined)
    await collectIssues(issues, () => requireCategory(db, input.categoryId!, 'categoryId'));
  const target = input.targetAgencyId
    ? ((await collectIssues(issues, () =>
        requireHandlingAgency(db, input.targetAgencyId!, 'targetAgencyId'),
      )) ?? null)
    : null;
  return { issues, target };
}

/** Stores a new report. */
export async function submitReport(
  svc: Services,
  caller: Caller,
  input: SubmitReportInput,
): Promise<SubmitReportResult> {
  const now = svc.now();
  const { issues, target } = await submissionIssues(svc, caller, input);
  throwIfInvalid(issues);

  const db = svc.db;
  const signedIn = signedInCitizen(caller);
  const hasPoint = input.lat !== undefined && input.lon !== undefined;
  let reporter: ReporterInput = { ...input.reporter };
  let reporterUserId: string | null = null;
  if (signedIn) {
    reporterUserId = caller.actor.userId;
    const user = await findUser(db, caller.actor.userId!);
    reporter = { name: reporter.name ?? user?.name, email: reporter.email ?? user?.email, ...reporter };
  }
  const hasIdentity = Object.values(reporter).some((v) => typeof v === 'string' && v.trim() !== '');
  const anonymise = (text: string) => (input.anonymous ? maskOwnIdentity(text, reporter) : text);

  const accessKey = randomToken(18);
  const id = randomUUID();
  const classification = input.classification;
  const regionCode = input.regionCode || (hasPoint ? await regionOfPoint(db, input.lon!, input.lat!) : null);
  // The verification clock is computed first, so the row is written once with its deadline.
  const clock = await planClock(
    db,
    { id, classification, supervisory: false, regionCode },
    'verification',
    now,
    target,
  );
  // A report recorded by staff (walk-in, phone, letter) names the recorder's own back-office grant in the audit trail.
  const recorder = input.recordedBy
    ? caller.actor.grants.find((g) => (BACK_OFFICE_ROLES as readonly string[]).includes(g.role))
    : undefined;
  const event = eventRecord(
    { id, eventCount: 0, lastEventHash: null },
    {
      type: 'submit',
      visibility: 'public',
      toStatus: 'submitted',
      actorUserId: caller.actor.userId,
      actorRole: input.recordedBy ? (recorder?.role ?? 'officer') : 'reporter',
      actorAgencyId: recorder?.agencyId ?? null,
      createdAt: now,
      data: {
        channel: input.channel,
        classification,
        zone: calendarScope({ regionCode }, target).zone,
        ...(input.recordedBy ? { recordedBy: input.recordedBy } : {}),
        ...(input.recordedBy && input.privacyChoice ? { privacyChoice: input.privacyChoice } : {}),
      },
    },
    // Only the reporter's first message carries the private link; the key is sealed (docs/worker.md §2).
    { accessKeyEnc: svc.sealer.seal(accessKey) },
  );
  const values = {
    id,
    trackingId: '',
    accessKeyHash: sha256(accessKey),
    classification,
    // An anonim report reaches the agency without the reporter's own name, address, number or NIK, also where the
    // reporter typed them into the text (own-identity.ts); the sealed identity stays for those who may see it.
    title: anonymise(input.title).trim(),
    body: anonymise(input.body).trim(),
    occurredOn: input.occurredOn ?? null,
    regionCode,
    lat: input.lat ?? null,
    lon: input.lon ?? null,
    address: input.address ?? null,
    categoryId: input.categoryId ?? null,
    targetAgencyId: target?.id ?? null,
    status: 'submitted',
    anonymous: input.anonymous ?? false,
    confidential: input.confidential ?? false,
    channel: input.channel,
    reporterUserId,
    reporterEnc: hasIdentity ? svc.sealer.seal(reporter) : null,
    reporterLang: input.lang === 'en' ? 'en' : 'id',
    createdAt: now,
    updatedAt: now,
    eventCount: event.seq,
    lastEventHash: event.hash,
    ...deadlineColumns(clock.deadline),
  };
  const key = input.idempotency ? idempotencyRow(svc, input, accessKey) : undefined;
  // One statement writes the report, its clock, event, outbox row and idempotency key; a taken tracking number
  // writes nothing and another one is drawn; a key already held writes nothing and answers with its report.
  for (let attempt = 0; ; attempt++) {
    values.trackingId = makeTrackingId(randomIntBelow);
    const written = await insertSubmission(db, {
      report: values,
      deadline: clock.row,
      event,
      idempotency: key,
    });
    if (written) {
      const row: ReportRow = { ...REPORT_DEFAULTS, ...values, search: written.search };
      return { report: { row, agency: null, target }, accessKey };
    }
    if (key) {
      const prior = await findIdempotencyKey(db, key.keyHash);
      if (prior) {
        const live =
          prior.trackingId !== null && prior.createdAt.getTime() > now.getTime() - IDEMPOTENCY_TTL_MS;
        if (live) {
          if (prior.requestHash !== key.requestHash) throw new AppError('IDEMPOTENCY_KEY_REUSED');
          const report = await loadReport(db, prior.trackingId!);
          if (report)
            return { report, accessKey: svc.sealer.open<string>(prior.accessKeyEnc), replayed: true };
        }
        // Expired, or naming a report that was never written (its tracking number was taken): free the key.
        await releaseIdempotencyKey(db, key.keyHash, prior.reportId);
      }
    }
    if (attempt >= 20) throw new Error('no free tracking number after 20 attempts');
  }
}

/** Deletes idempotency keys older than their lifetime at `at` (the sweeper); returns how many. */
export function purgeExpiredIdempotencyKeys(svc: Services, at: Date): Promise<number> {
  return purgeIdempotencyKeys(svc.db, new Date(at.getTime() - IDEMPOTENCY_TTL_MS));
}

/**
 * The key row of a keyed submission: the scope and key only as a sha256, the normalised request (the caller's, or
 * the input without its language) as a sha256, the access key sealed, so a retry by the same caller gets it again.
 */
function idempotencyRow(svc: Services, input: SubmitReportInput, accessKey: string) {
  const { scope, key, request } = input.idempotency!;
  const { lang: _lang, idempotency: _idem, ...rest } = input;
  return {
    keyHash: sha256(`idempotency\n${scope}\n${key}`),
    requestHash: sha256(`${scope}\n${canonicalJson(request ?? rest)}`),
    accessKeyEnc: svc.sealer.seal(accessKey),
  };
}

/**
 * The kab/kota code of a reported point, or null when the point lies in no kab/kota (open sea: the report goes
 * to the national verifier queue, and its verification clock runs in WIB like any report without a region).
 * A boundary code missing from the region reference data is treated the same way rather than failing intake.
 */
async function regionOfPoint(db: AppDb, lon: number, lat: number): Promise<string | null> {
  const code = kabKotaOfPoint(lon, lat)?.properties.kode;
  if (!code) return null;
  try {
    await requireRegion(db, code, 'regionCode');
    return code;
  } catch (e) {
    if (e instanceof AppError && e.code === 'VALIDATION_FAILED') return null;
    throw e;
  }
}

/** The database defaults of the columns a new report does not set (the row is not read back). */
const REPORT_DEFAULTS = {
  agencyId: null,
  dispatchedAgencyId: null,
  archiveReason: null,
  duplicateOfId: null,
  supervisory: false,
  assigneeUserId: null,
  escalationConsent: false,
  escalationSharesIdentity: false,
  supportCount: 0,
  rating: null,
  misroutedWorkingDays: 0,
  returnCount: 0,
  reopenCount: 0,
  verifiedAt: null,
  firstResponseAt: null,
  respondedAt: null,
  closedAt: null,
} satisfies Partial<ReportRow>;
