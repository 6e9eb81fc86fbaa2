/**
 * A citizen form posted with a security token that no longer holds (CSRF_INVALID: the session was signed in or
 * renewed in another tab after the page was opened, the page was opened before signing in…). Nothing of the post is
 * saved or done; the answer (403) gives back what was typed, so no text is lost:
 *
 * - the report journey, the tracking page's forms, the check page and a public comment re-render their own form with
 *   the typed text, a fresh token and `staleFormMessage` (files cannot be kept by a browser: the message says to pick
 *   them again);
 * - the account and invitation forms (registration, the forgotten and the reset password, the account's claim form,
 *   the password change, the invitation) declare their page in the route config `staleForm` (render.ts): the auth
 *   hook still refuses the post, and `sendErrorPage` re-renders that page with the fields typed (`staleFormState`:
 *   never a password, access key or token, so the message then says to type them again) and a fresh token;
 * - the back office's forms declare their page the same way (`staleAdminForm` in staff/admin-forms.ts, the report
 *   page's `staleReportForm`, walk-in intake, notification preferences, evaluation publish; the multipart follow-up
 *   and scoring forms check their own token and re-render likewise), shown only to whom may open that page (the
 *   others get the error page);
 * - any other citizen form gets `sendStaleFormPage` (render.ts, through `sendErrorPage`): the posted text fields
 *   read-only for copying and a link back to the form's page.
 *
 * The text is only in this answer to the browser that posted it: never stored, never logged. Passwords, the access
 * key, tokens and other hidden fields are never echoed (`postedTexts`).
 */
import type { FastifyRequest } from 'fastify';
import { checkFormCsrf } from '../plugins/auth.ts';
import { classifyError } from '../plugins/errors.ts';

export { STALE_FORM_STATUS, staleFormMessage } from './render.ts';

/** Whether `err` is the refusal of a stale or missing CSRF token. */
export function isStaleForm(err: unknown): boolean {
  return classifyError(err).code === 'CSRF_INVALID';
}

/** `checkFormCsrf` as a yes/no: false when the form's token does not hold (any other error is thrown). */
export function formTokenHolds(req: FastifyRequest, sent: unknown): boolean {
  try {
    checkFormCsrf(req, sent);
    return true;
  } catch (e) {
    if (isStaleForm(e)) return false;
    throw e;
  }
}
