/**
 * Form helpers for the back office: the sign-in gate, parsing url-encoded bodies with zod into command inputs
 * (empty strings count as absent, so a blank required field says "required"), and mapping command field
 * names back to the form's field names for inline errors.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { AppError, invalid, type FieldIssue } from '../../app/errors.ts';
import { isBackOfficeActor } from '../../queries/queues.ts';

/** A url-encoded body as @fastify/formbody parses it. */
export type FormBody = Record<string, string | string[] | undefined>;

/**
 * The back-office gate: signed-out visitors are sent to the sign-in page (and back afterwards); signed-in
 * people without a staff role get 403. Returns false when it already answered.
 */
export function requireStaff(req: FastifyRequest, reply: FastifyReply): boolean {
  if (!req.session) {
    void reply.redirect(`/masuk?next=${encodeURIComponent(req.url)}`, 303);
    return false;
  }
  if (!isBackOfficeActor(req.caller.actor)) throw new AppError('FORBIDDEN');
  return true;
}

/** The body with blank strings removed and every value trimmed (arrays kept for checkbox groups). */
export function cleanBody(body: unknown): FormBody {
  const out: FormBody = {};
  for (const [k, v] of Object.entries((body ?? {}) as Record<string, unknown>)) {
    if (k === '_csrf') continue;
    if (Array.isArray(v)) out[k] = v.map(String);
    else if (typeof v === 'string' && v.trim() !== '') out[k] = v.trim();
  }
  return out;
}

/** The values of a checkbox group as an array. */
export function list(v: string | string[] | undefined): string[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

function issueOf(issue: z.core.$ZodIssue): FieldIssue {
  const i = issue as unknown as Record<string, unknown>;
  switch (issue.code) {
    case 'invalid_type':
      return { key: 'required' };
    case 'too_small':
      return i.origin === 'string'
        ? { key: 'too_short', params: { min: Number(i.minimum) } }
        : { key: 'too_small', params: { min: Number(i.minimum) } };
    case 'too_big':
      return i.origin === 'string'
        ? { key: 'too_long', params: { max: Number(i.maximum) } }
        : { key: 'too_big', params: { max: Number(i.maximum) } };
    case 'invalid_value':
      return { key: 'one_of', params: { options: ((i.values as unknown[]) ?? []).join(', ') } };
    case 'invalid_format':
      return {
        key: i.format === 'email' ? 'invalid_email' : i.format === 'date' ? 'invalid_date' : 'invalid_format',
      };
    case 'custom':
      return { key: ((i.params as { key?: string } | undefined)?.key as string) ?? 'invalid_format' };
    default:
      return { key: 'invalid_format' };
  }
}

/** Parses a form body with a schema or throws VALIDATION_FAILED with one issue per field. */
export function parseForm<S extends z.ZodType>(schema: S, body: FormBody): z.output<S> {
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  const fields: Record<string, FieldIssue> = {};
  for (const issue of r.error.issues) {
    const path = issue.path.map(String).join('.') || '_';
    fields[path] ??= issueOf(issue);
  }
  throw invalid(fields);
}

/** Renames field keys of a validation error (command names → form names); other errors pass unchanged. */
export function renameFields(err: unknown, names: Record<string, string>): unknown {
  if (!(err instanceof AppError) || err.code !== 'VALIDATION_FAILED') return err;
  const fields = Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [names[k] ?? k, v]));
  return new AppError(err.code, fields, err.params);
}
