/**
 * Form helpers for the back office: the sign-in gate, parsing url-encoded bodies with zod into command inputs
 * (empty strings count as absent, so a blank required field says "required", while a value that is there but
 * malformed says "invalid"), and mapping command field names back to the form's field names for inline errors.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError, throwIfInvalid, type FieldIssue } from '../../app/errors.ts';
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

function issueOf(issue: z.core.$ZodIssue, present: boolean): FieldIssue {
  const i = issue as unknown as Record<string, unknown>;
  switch (issue.code) {
    case 'invalid_type':
      // A value that is there but cannot be read (`categoryId=abc`) is malformed, not missing.
      return { key: present ? 'invalid_format' : 'required' };
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
  const r = parseFields(schema, body);
  throwIfInvalid(r.issues);
  return r.data as z.output<S>;
}

/** A form body read field by field: the values that parsed, and one issue per field that did not. */
export interface ParsedFields<T> {
  /** Every field when the whole form is valid; otherwise the fields that are valid on their own. */
  data: Partial<T>;
  issues: Record<string, FieldIssue>;
}

/**
 * Parses a form body like `parseForm`, but never throws: with an object schema, the fields that are valid on their
 * own are returned too, so a handler can run the command's own checks on them (an unknown region, a future date)
 * and answer every problem of the form at once instead of a few per submission.
 */
export function parseFields<S extends z.ZodType>(schema: S, body: FormBody): ParsedFields<z.output<S>> {
  const r = schema.safeParse(body);
  if (r.success) return { data: r.data as Partial<z.output<S>>, issues: {} };
  const issues: Record<string, FieldIssue> = {};
  for (const issue of r.error.issues) {
    const path = issue.path.map(String).join('.') || '_';
    issues[path] ??= issueOf(issue, issue.path.length > 0 && body[String(issue.path[0])] !== undefined);
  }
  const data: Record<string, unknown> = {};
  if (schema instanceof z.ZodObject) {
    for (const [name, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
      if (issues[name]) continue;
      const one = field.safeParse(body[name]);
      if (one.success && one.data !== undefined) data[name] = one.data;
    }
  }
  return { data: data as Partial<z.output<S>>, issues };
}

/** Field issues of both sets, the first set's issue winning for a field both name (form checks before commands). */
export function mergeIssues(
  first: Record<string, FieldIssue>,
  then: Record<string, FieldIssue>,
): Record<string, FieldIssue> {
  return { ...first, ...Object.fromEntries(Object.entries(then).filter(([k]) => !(k in first))) };
}

/** Renames field keys of a validation error (command names → form names); other errors pass unchanged. */
export function renameFields(err: unknown, names: Record<string, string>): unknown {
  if (!(err instanceof AppError) || err.code !== 'VALIDATION_FAILED') return err;
  const fields = Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [names[k] ?? k, v]));
  return new AppError(err.code, fields, err.params);
}
