/**
 * POST requests (Open311 GeoReport v2 §6): turns a partner's submission into `submitReport` (channel
 * 'open311') plus the Open311 bookkeeping (partner key, token, attributes) and any multipart media, all in
 * one transaction so nothing is stored twice or half. The test endpoint (D10) runs exactly the same
 * validation and then rolls everything back, keeping only a sandbox row.
 *
 * With an `Idempotency-Key` (ADR 0014), scoped to the partner's API key, a retry of the same request on the
 * production endpoint answers with the request filed first (same service_request_id / token) and writes nothing.
 * The test endpoint keeps nothing, so it has nothing to replay.
 */
import { eq } from 'drizzle-orm';
import type { AppDb } from '../db/client.ts';
import { open311Requests, open311Sandbox } from '../db/schema.ts';
import { makeTrackingId } from '../domain/report/tracking-id.ts';
import type { AttributeValues } from '../domain/open311/service-definition.ts';
import { open311ReportText } from '../domain/open311/description.ts';
import { createHash } from 'node:crypto';
import { randomIntBelow, randomToken } from '../integrations/crypto.ts';
import type { Services } from '../app/context.ts';
import { PUBLIC_CALLER } from '../app/context.ts';
import { AppError, invalid } from '../app/errors.ts';
import { submitReport, type ReporterInput } from './submit-report.ts';
import { addAttachment, type AttachmentInput } from './add-attachment.ts';
import type { ServiceType } from '../queries/open311.ts';
import { regionFromText } from '../queries/geocode.ts';
import { recordInboundLink, type FederationOrigin } from '../db/repositories/federation.ts';

/** A parsed, attribute-validated Open311 submission. */
export interface Open311Submission {
  apiKeyId: string;
  endpoint: 'production' | 'test';
  service: { code: string; name: string; type: ServiceType };
  attributes: AttributeValues;
  lat?: number | undefined;
  lon?: number | undefined;
  addressString?: string | undefined;
  /** Our address_id is a Kemendagri region code (the master address repository of Indonesia). */
  addressId?: string | undefined;
  description?: string | undefined;
  mediaUrl?: string | undefined;
  reporter: ReporterInput;
  media: AttachmentInput[];
  /** Federation: instances the request already passed through. */
  hops?: string[] | undefined;
  /** Federation: where a forwarded request comes from (recorded with the report, docs/integrations.md). */
  federation?: FederationOrigin | undefined;
  /** The request's Idempotency-Key header (ADR 0014). */
  idempotencyKey?: string | undefined;
}

/** The submission as a retry must repeat it: every field the partner sent, files by content hash. */
function normalisedRequest(input: Open311Submission): unknown {
  return {
    service_code: input.service.code,
    attributes: input.attributes.raw,
    lat: input.lat,
    long: input.lon,
    address_string: input.addressString,
    address_id: input.addressId,
    description: input.description,
    media_url: input.mediaUrl,
    reporter: input.reporter,
    media: input.media.map((f) => ({
      filename: f.filename,
      sha256: createHash('sha256').update(f.data).digest('hex'),
    })),
    hops: input.hops,
  };
}

/** What the POST answers (§6): which of id/token is present depends on the service type. */
export interface Open311SubmitResult {
  serviceRequestId?: string;
  token?: string;
  serviceNotice: string;
  trackingId: string;
  /** An Idempotency-Key named a request filed before: nothing new was written (ADR 0014). */
  replayed?: boolean;
}

class Rollback extends Error {
  constructor(
    public readonly result: Open311SubmitResult,
    /** The region the report would have been filed under (a point-only request gets its kab/kota). */
    public readonly regionCode: string | null,
  ) {
    super('rollback');
  }
}

function answer(type: ServiceType, trackingId: string, token: string): Open311SubmitResult {
  const serviceNotice =
    'Laporan diterima dan akan diverifikasi dalam 3 hari kerja. / Received; it will be verified within 3 working days.';
  if (type === 'realtime') return { serviceRequestId: trackingId, serviceNotice, trackingId };
  if (type === 'batch') return { token, serviceNotice, trackingId };
  return { serviceNotice, trackingId };
}

/** Files an Open311 request (or validates a test-endpoint one) and returns the §6 response fields. */
export async function submitOpen311Request(
  svc: Services,
  input: Open311Submission,
): Promise<Open311SubmitResult> {
  let regionCode = input.addressId?.trim() || undefined;
  const hasPoint = input.lat !== undefined && input.lon !== undefined;
  if (!regionCode && !hasPoint && input.addressString) {
    regionCode = (await regionFromText(svc.db, input.addressString)) ?? undefined;
    if (!regionCode) throw invalid({ address_string: { key: 'address_unlocated' } });
  }
  const a = input.attributes;
  // Description optional (§6): a short or missing one is stored with a note so the report keeps the JSON
  // API's limits, and read back as sent (domain/open311/description.ts).
  const description = input.description?.trim() ?? '';
  const text = open311ReportText(description, a.title, input.service.name);
  const hasName = !!(input.reporter.name && input.reporter.name.trim());
  const token = randomToken(12);
  const run = async (db: AppDb): Promise<{ result: Open311SubmitResult; regionCode: string | null }> => {
    const inner: Services = {
      ...svc,
      db,
      // The sandbox validates files exactly like production but never keeps their bytes.
      ...(input.endpoint === 'test' ? { storage: { ...svc.storage, put: async () => undefined } } : {}),
    };
    const { report, accessKey, replayed } = await submitReport(inner, PUBLIC_CALLER, {
      classification: a.classification,
      title: text.title,
      body: text.body,
      occurredOn: a.occurredOn,
      regionCode,
      lat: input.lat,
      lon: input.lon,
      address: input.addressString,
      categoryId: Number(input.service.code),
      anonymous: a.anonymous ?? !hasName,
      confidential: a.confidential ?? false,
      reporter: input.reporter,
      channel: 'open311',
      ...(input.idempotencyKey && input.endpoint === 'production'
        ? {
            idempotency: {
              scope: `open311:${input.apiKeyId}`,
              key: input.idempotencyKey,
              request: normalisedRequest(input),
            },
          }
        : {}),
    });
    if (replayed) {
      // Filed before under this key: answer with its token; its bookkeeping and files are stored already.
      const [first] = await db
        .select({ token: open311Requests.token })
        .from(open311Requests)
        .where(eq(open311Requests.reportId, report.row.id));
      return {
        result: {
          ...answer(input.service.type, report.row.trackingId, first?.token ?? token),
          replayed: true,
        },
        regionCode: report.row.regionCode,
      };
    }
    await db.insert(open311Requests).values({
      reportId: report.row.id,
      apiKeyId: input.apiKeyId,
      token,
      serviceType: input.service.type,
      attributes: a.raw,
      mediaUrl: input.mediaUrl ?? null,
      accessKeyEnc: svc.sealer.seal(accessKey),
      hops: input.hops ?? [],
      createdAt: svc.now(),
    });
    if (input.federation) await recordInboundLink(db, report.row.id, input.federation, svc.now());
    for (const file of input.media) {
      await addAttachment(inner, { ...PUBLIC_CALLER, accessKey }, report.row.trackingId, file);
    }
    return {
      result: answer(input.service.type, report.row.trackingId, token),
      regionCode: report.row.regionCode,
    };
  };

  if (input.endpoint === 'production')
    return (await svc.db.transaction((tx) => run(tx as unknown as AppDb))).result;

  let filedRegion: string | null = null;
  try {
    await svc.db.transaction(async (tx) => {
      const { result, regionCode: filed } = await run(tx as unknown as AppDb);
      throw new Rollback(result, filed);
    });
    throw new AppError('INTERNAL');
  } catch (e) {
    if (!(e instanceof Rollback)) throw e;
    filedRegion = e.regionCode;
  }
  const id = makeTrackingId(randomIntBelow);
  const now = svc.now();
  await svc.db.insert(open311Sandbox).values({
    id,
    token,
    apiKeyId: input.apiKeyId,
    serviceCode: input.service.code,
    serviceType: input.service.type,
    request: {
      description,
      service_name: input.service.name,
      address: input.addressString ?? '',
      lat: input.lat ?? null,
      lon: input.lon ?? null,
      region_code: filedRegion,
      // Read back only by the partner that posted it when confidential (queries/open311.ts sandboxVisible).
      confidential: a.confidential ?? false,
    },
    createdAt: now,
  });
  return { ...answer(input.service.type, id, token), trackingId: id };
}
