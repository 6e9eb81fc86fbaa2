/**
 * Form plumbing for the administration, password and account pages: the admin gate, translating field issues
 * (the shared `errors.field.*` keys first, then this area's own `admin.field.*` / `account.field.*` keys), and
 * `handleForm`, which runs a command for a POST and either redirects (PRG) or re-renders the page with the
 * error summary, inline errors and the typed values.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type FieldIssue } from '../../app/errors.ts';
import { has, t, type Lang } from '../../locales/index.ts';
import { isAdminActor } from '../../queries/admin.ts';
import type { FormErrors } from '../../views/context.ts';
import type { FormState } from '../../views/staff/common.tsx';
import { classifyError } from '../plugins/errors.ts';
import { pageContext, pageIssueKey, type StaleFormRoute } from '../web/render.ts';
import { cleanBody, requireStaff, type FormBody } from './forms.ts';

/** The admin gate: staff with at least one managing role (national admin, coordinator, agency admin). */
export function requireAdmin(req: FastifyRequest, reply: FastifyReply): boolean {
  if (!requireStaff(req, reply)) return false;
  if (!isAdminActor(req.caller.actor)) throw new AppError('FORBIDDEN');
  return true;
}

/** One field issue as text: shared field keys first, then `admin.field.*`, then `account.field.*`. */
export function issueText(lang: Lang, issue: FieldIssue): string {
  for (const ns of ['errors.field', 'admin.field', 'account.field']) {
    const key = `${ns}.${pageIssueKey(issue.key)}`;
    if (has(lang, key)) return t(lang, key, issue.params);
  }
  return t(lang, 'errors.field.invalid_format');
}

/**
 * Splits field issues into inline errors (for `inputs`, in that order) and a form-level message (anything
 * else, e.g. "this agency still handles open reports").
 */
export function splitIssues(
  lang: Lang,
  fields: Record<string, FieldIssue>,
  inputs: string[],
): { errors: FormErrors; message?: string } {
  const errors: FormErrors = {};
  for (const k of inputs) if (fields[k]) errors[k] = issueText(lang, fields[k]);
  const rest = Object.entries(fields).filter(([k]) => !inputs.includes(k));
  return rest.length ? { errors, message: rest.map(([, f]) => issueText(lang, f)).join(' ') } : { errors };
}

/** What `handleForm` needs: the form name, its inputs, the command, and how to re-render on failure. */
export interface FormHandler {
  action: string;
  inputs: string[];
  /**
   * Runs the command; returns the PRG redirect target, or a function sending the answer itself (a page that must
   * not survive a redirect, such as a secret shown once).
   */
  run: (body: FormBody) => Promise<string | (() => Promise<FastifyReply> | FastifyReply)>;
  rerender: (form: FormState, status: number) => Promise<FastifyReply> | FastifyReply;
  /** Values never echoed back (passwords). */
  secret?: string[];
}

/** Runs a POST form: redirect on success, re-render on 422/409, rethrow anything else (error page). */
export async function handleForm(
  req: FastifyRequest,
  reply: FastifyReply,
  h: FormHandler,
): Promise<FastifyReply> {
  const body = cleanBody(req.body);
  const lang = pageContext(req).lang;
  try {
    const target = await h.run(body);
    if (typeof target === 'function') return await target();
    const sep = target.includes('?') ? '&' : '?';
    return reply.redirect(`${target}${sep}lang=${lang}`, 303);
  } catch (err) {
    const c = classifyError(err);
    if (c.status !== 422 && c.status !== 409) throw err;
    const split =
      c.code === 'VALIDATION_FAILED'
        ? splitIssues(lang, c.fields, h.inputs)
        : { errors: {}, message: t(lang, `errors.${c.code}`, c.params) };
    const values = Object.fromEntries(
      Object.entries(body).filter(([k]) => !(h.secret ?? []).includes(k)),
    ) as Record<string, string | string[]>;
    return h.rerender({ action: h.action, values, errors: split.errors, message: split.message }, c.status);
  }
}

/** A form page as `handleForm` re-renders it: the failed form and the status. */
export type FormPage = (
  req: FastifyRequest,
  reply: FastifyReply,
  form: FormState,
  status: number,
) => Promise<FastifyReply> | FastifyReply;

/**
 * The route config of a back-office form whose stale token (CSRF_INVALID, web/stale-form.ts) re-renders `page`, the
 * page its failures re-render, with the fields typed (never a password, key or token: `staleFormState`), a fresh
 * token and the stale message, instead of the error page. The auth hook refused the post before the handler's own
 * gate ran, so the page is shown only to whom `gate` lets through (the gate of the page's GET route, default
 * `requireAdmin`), and never to a session that must first change its temporary password (the error page, as
 * before). `keep`: fields given back although their names look secret (a key's name, a token's agency).
 */
export function staleAdminForm(
  action: string,
  page: FormPage,
  opts: { gate?: (req: FastifyRequest, reply: FastifyReply) => boolean; keep?: readonly string[] } = {},
): { staleForm: StaleFormRoute } {
  const gate = opts.gate ?? requireAdmin;
  return {
    staleForm: {
      action,
      page,
      allowed: (req, reply) => !!req.session && !req.session.mustChangePassword && gate(req, reply),
      ...(opts.keep ? { keep: opts.keep } : {}),
    },
  };
}

/** Parses a positive integer form value (or undefined). */
export function intOf(v: string | string[] | undefined): number | undefined {
  const s = Array.isArray(v) ? v[0] : v;
  if (s === undefined || !/^\d{1,9}$/.test(s)) return undefined;
  return Number(s);
}

/** A single string form value ('' when absent). */
export function str(v: string | string[] | undefined): string {
  return (Array.isArray(v) ? v[0] : v) ?? '';
}
