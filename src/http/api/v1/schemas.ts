/** Zod schemas of the JSON API v1 (docs/api-v1.md): validation, types and the OpenAPI document from one source. */
import { z } from 'zod';
import { ARCHIVE_REASONS, CLASSIFICATIONS, STATUSES } from '../../../domain/report/report.ts';
import { isCalendarDate } from '../../../domain/shared/dates.ts';

/** A calendar date `YYYY-MM-DD` from 1900 to 2100 (`isCalendarDate`): 422 `invalid_date` or `date_out_of_range`. */
export const calendarDate = z.iso.date().refine(isCalendarDate, { params: { key: 'date_out_of_range' } });
const isoDate = calendarDate;
/** The largest id a PostgreSQL `integer` column holds: a larger one is refused (422), never sent to the database. */
export const INT4_MAX = 2_147_483_647;
/** A database row id (categories, notifications …) in JSON. */
export const rowId = z.number().int().positive().max(INT4_MAX);
/** A database row id in a query string or form (coerced from text). */
export const rowIdParam = z.coerce.number().int().positive().max(INT4_MAX);
const regionCode = z.string().regex(/^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$/);
const text = (min: number, max: number) => z.string().trim().min(min).max(max);

export const TrackingParams = z.object({ trackingId: z.string().regex(/^\d{10}$/) });

/**
 * A reporter phone number as people write it (8–20 characters of digits, spaces, brackets, dashes, an optional
 * leading +) with at least 8 digits, so it can be dialled (not a row of brackets). The API, the web form and the
 * walk-in form share it.
 */
export const PHONE_PATTERN = /^(?=(?:\D*\d){8})\+?[0-9 ()-]{8,20}$/;

export const ReporterSchema = z
  .object({
    name: text(1, 120).optional(),
    email: z.email().max(200).optional(),
    phone: z.string().trim().regex(PHONE_PATTERN).optional(),
    nik: z
      .string()
      .regex(/^\d{16}$/)
      .optional(),
  })
  .strict();

/** True when a (possibly invalid) body has a value for `key`. */
function given(body: unknown, key: string): boolean {
  return typeof body === 'object' && body !== null && (body as Record<string, unknown>)[key] !== undefined;
}

export const SubmitReportBody = z
  .object({
    classification: z.enum(CLASSIFICATIONS),
    title: text(5, 150),
    body: text(20, 10_000),
    occurredOn: isoDate.optional(),
    regionCode: regionCode.optional(),
    lat: z.number().min(-90).max(90).optional(),
    lon: z.number().min(-180).max(180).optional(),
    address: text(1, 300).optional(),
    categoryId: rowId.optional(),
    targetAgencyId: z.string().min(1).max(80).optional(),
    anonymous: z.boolean().optional(),
    confidential: z.boolean().optional(),
    reporter: ReporterSchema.optional(),
  })
  .strict()
  // A point needs both coordinates: one alone is a 422 on the missing one (it was dropped, or blamed on regionCode).
  // `when`: checked with the other field errors too, on the raw body.
  .refine((b) => !given(b, 'lat') || given(b, 'lon'), {
    path: ['lon'],
    params: { key: 'lat_lon_pair' },
    when: () => true,
  })
  .refine((b) => !given(b, 'lon') || given(b, 'lat'), {
    path: ['lat'],
    params: { key: 'lat_lon_pair' },
    when: () => true,
  });

/*
 * Query strings: unknown parameters are ignored (zod's default strips them), so a cache-buster (`_=…`) or a
 * proxy's tracking parameter does not break a read; known ones are validated strictly. JSON bodies stay
 * `.strict()`: an unknown body key is a 422 `unknown_field` (docs/api-v1.md "Conventions").
 */
export const ListReportsQuery = z
  .object({
    page: z.coerce.number().int().min(1).max(100_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(100).default(20),
    status: z
      .string()
      .optional()
      .transform((s) => (s ? s.split(',') : undefined))
      .pipe(z.array(z.enum(STATUSES)).optional()),
    agencyId: z.string().max(80).optional(),
    categoryId: rowIdParam.optional(),
    regionCode: regionCode.optional(),
    classification: z.enum(CLASSIFICATIONS).optional(),
    q: z.string().trim().min(1).max(200).optional(),
    overdue: z.enum(['true', 'false']).optional(),
    from: isoDate.optional(),
    to: isoDate.optional(),
    lang: z.enum(['id', 'en']).optional(),
    k: z.string().optional(),
  })
  // An inverted range is refused as on /stats and open data (422 `date_range` on `from`), not answered empty.
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ['from'], params: { key: 'date_range' } });

export const ReportQuery = z.object({
  lang: z.enum(['id', 'en']).optional(),
  k: z.string().max(100).optional(),
});

export const ActionBodies = {
  verify: z
    .object({
      classification: z.enum(CLASSIFICATIONS).optional(),
      categoryId: rowId,
      agencyId: z.string().min(1).max(80),
      title: text(5, 150).optional(),
      anonymous: z.boolean().optional(),
      confidential: z.boolean().optional(),
      supervisory: z.boolean().optional(),
      /** Dispatch again to an agency that already returned the report (422 on this field without it). */
      confirmRedispatch: z.boolean().optional(),
      /** Dispatch to an agency nobody could handle it in (422 on this field without it). */
      confirmUnstaffed: z.boolean().optional(),
    })
    .strict(),
  hold: z.object({ question: text(5, 2000) }).strict(),
  supplement: z.object({ body: text(5, 10_000) }).strict(),
  /** `reason: duplicate` with `duplicateOf` merges the report into the kept one (mergeReports), as the web form. */
  archive: z
    .object({
      reason: z.enum(ARCHIVE_REASONS),
      note: text(1, 2000).optional(),
      duplicateOf: z
        .string()
        .regex(/^\d{10}$/)
        .optional(),
    })
    .strict(),
  dispose: z.object({ unitId: z.string().min(1).max(80), note: text(1, 2000).optional() }).strict(),
  return: z.object({ note: text(5, 2000), suggestedAgencyId: z.string().min(1).max(80).optional() }).strict(),
  respond: z.object({ body: text(5, 10_000), final: z.boolean() }).strict(),
  accept: z.object({ rating: z.number().int().min(1).max(5), comment: text(1, 2000).optional() }).strict(),
  dispute: z.object({ reason: text(5, 2000) }).strict(),
  escalate: z
    .object({
      consent: z.literal(true),
      /** Required from staff (10–2000 characters, checked by escalateReport): how the reporter consented. */
      note: text(1, 2000).optional(),
      /** Include the reporter's identity in the Ombudsman hand-off package (default false). */
      shareIdentity: z.boolean().optional(),
    })
    .strict(),
  note: z.object({ body: text(1, 5000) }).strict(),
  comment: z.object({ body: text(1, 5000) }).strict(),
  support: z.object({}).strict(),
} as const;

export const PrivacyBody = z
  .object({ anonymous: z.boolean().optional(), confidential: z.boolean().optional() })
  .strict()
  .refine((b) => b.anonymous !== undefined || b.confidential !== undefined, {
    params: { key: 'required' },
  });

export const LoginBody = z
  .object({ email: z.email().max(200), password: z.string().min(1).max(200) })
  .strict();

/** A password-reset request: the address (checked by the command, so the field messages are the usual ones). */
export const PasswordResetBody = z.object({ email: z.string().max(320) }).strict();

/** A password-reset confirmation: the emailed link's token and the new password (no confirmation field). */
export const PasswordResetConfirmBody = z
  .object({ token: z.string().max(200), password: z.string().max(1000) })
  .strict();

export const ErrorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.record(z.string(), z.string()),
  }),
});
