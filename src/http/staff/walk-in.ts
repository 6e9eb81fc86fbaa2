/**
 * Walk-in intake: GET/POST /kantor/lapor-langsung records a complaint on a citizen's behalf through
 * `submitReport` with the channel it came by (`walk_in` in person, `phone`, `letter`) and `recordedBy` = the
 * officer. Whether the report is anonim and/or rahasia is never a default: the officer asks the citizen two
 * questions (identity: named or anonymous; visibility: public or confidential), both required with nothing
 * preselected, and the submit event records `privacyChoice: 'asked'` (the flags are the citizen's answer).
 * When the citizen gave an email address or a phone number, the submit event's notification sends
 * them the tracking number and private link (email / SMS through the outbox, like any other channel).
 * After the POST the browser is redirected
 * (PRG) to /kantor/lapor-langsung/selesai, which shows the tracking number and private link once: they travel
 * in a short-lived, sealed, httpOnly cookie scoped to that path, because only a hash of the key is stored.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { z } from 'zod';
import { calendarDate, PHONE_PATTERN, rowIdParam } from '../api/v1/schemas.ts';
import type { Services } from '../../app/context.ts';
import { invalid } from '../../app/errors.ts';
import { submissionIssues, submitReport } from '../../commands/submit-report.ts';
import { CLASSIFICATIONS, STAFF_INTAKE_CHANNELS, STAFF_INTAKE_PRIVACY } from '../../domain/report/report.ts';
import { walkInRegions } from '../../queries/back-office.ts';
import { listCategories } from '../../queries/reference.ts';
import { WalkInDonePage, WalkInPage } from '../../views/staff/walk-in-page.tsx';
import { classifyError } from '../plugins/errors.ts';
import { formErrors, pageContext, sendPage, type StaleFormRoute } from '../web/render.ts';
import { cleanBody, mergeIssues, parseFields, requireStaff, type FormBody } from './forms.ts';

const FLASH_COOKIE = 'aduan_walkin';
const FLASH_PATH = '/kantor/lapor-langsung';

const WalkInForm = z.object({
  channel: z.enum(STAFF_INTAKE_CHANNELS),
  identity: z.enum(STAFF_INTAKE_PRIVACY.identity),
  visibility: z.enum(STAFF_INTAKE_PRIVACY.visibility),
  classification: z.enum(CLASSIFICATIONS),
  title: z.string().min(5).max(150),
  body: z.string().min(20).max(10_000),
  occurredOn: calendarDate.optional(),
  regionCode: z.string().regex(/^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$/),
  address: z.string().max(300).optional(),
  categoryId: rowIdParam.optional(),
  'reporter.name': z.string().max(120).optional(),
  'reporter.email': z.email().max(200).optional(),
  // Each says what is wrong with it ("invalid phone number"), not just "invalid format".
  'reporter.phone': z
    .string()
    .refine((v) => PHONE_PATTERN.test(v), { params: { key: 'invalid_phone' } })
    .optional(),
  'reporter.nik': z
    .string()
    .refine((v) => /^\d{16}$/.test(v), { params: { key: 'invalid_nik' } })
    .optional(),
});

const ORDER = [
  'channel',
  'classification',
  'title',
  'body',
  'occurredOn',
  'regionCode',
  'address',
  'categoryId',
  'identity',
  'visibility',
  'reporter.name',
  'reporter.email',
  'reporter.phone',
  'reporter.nik',
];

/** Registers the walk-in form and its confirmation page. */
export const staffWalkInRoutes: FastifyPluginAsync<{ services: Services; secureCookies: boolean }> = async (
  app,
  opts,
) => {
  const svc = opts.services;

  async function renderForm(
    req: FastifyRequest,
    reply: FastifyReply,
    values: FormBody,
    errors: Record<string, string>,
    status = 200,
    message?: string,
  ) {
    const [regions, categories] = await Promise.all([walkInRegions(svc, req.caller), listCategories(svc.db)]);
    const ctx = pageContext(req);
    return sendPage(
      reply,
      req,
      h(WalkInPage, {
        ctx,
        regions,
        categories,
        values: values as Record<string, string | string[]>,
        errors,
        message,
      }),
      status,
    );
  }

  app.get(FLASH_PATH, async (req, reply) => {
    if (!requireStaff(req, reply)) return reply;
    return renderForm(req, reply, {}, {});
  });

  // A stale token: the form again with what was typed, a fresh token and the stale message (web/stale-form.ts), for
  // staff (the GET's gate); nothing is recorded.
  const staleForm: StaleFormRoute = {
    action: 'walk_in',
    allowed: (req, reply) => !!req.session && !req.session.mustChangePassword && requireStaff(req, reply),
    page: (req, reply, form, status) => renderForm(req, reply, form.values, {}, status, form.message),
  };

  app.post(FLASH_PATH, { config: { staleForm } }, async (req, reply) => {
    if (!requireStaff(req, reply)) return reply;
    const lang = pageContext(req).lang;
    const body = cleanBody(req.body);
    try {
      // Every problem at once: the form's own checks, then the command's on the fields that parsed (an unknown
      // region, a future date), in one 422.
      const { data, issues } = parseFields(WalkInForm, body);
      // An unanswered privacy question says "ask the citizen", not just "required".
      for (const q of Object.keys(STAFF_INTAKE_PRIVACY))
        if (body[q] === undefined) issues[q] = { key: `${q}_not_asked` };
      const anonymous = data.identity === 'anonymous';
      // The name is required once the citizen chose to be named (not before they were asked).
      if (data.identity === 'named' && !data['reporter.name'] && !issues['reporter.name'])
        issues['reporter.name'] = { key: 'reporter_required' };
      const input = {
        lang: pageContext(req).lang,
        classification: data.classification,
        title: data.title,
        body: data.body,
        occurredOn: data.occurredOn,
        regionCode: data.regionCode,
        address: data.address,
        categoryId: data.categoryId,
        anonymous,
        confidential: data.visibility === 'confidential',
        privacyChoice: 'asked' as const,
        reporter: {
          name: data['reporter.name'],
          email: data['reporter.email'],
          phone: data['reporter.phone'],
          nik: data['reporter.nik'],
        },
        channel: data.channel,
        recordedBy: req.caller.actor.userId ?? undefined,
      };
      if (Object.keys(issues).length > 0) {
        const more = await submissionIssues(svc, req.caller, input);
        throw invalid(mergeIssues(issues, more.issues));
      }
      const result = await submitReport(svc, req.caller, {
        ...input,
        classification: data.classification!,
        title: data.title!,
        body: data.body!,
        channel: data.channel!,
      });
      const row = result.report.row;
      const due = (row.deadline as { dueAt?: string } | null)?.dueAt ?? null;
      reply.setCookie(
        FLASH_COOKIE,
        svc.sealer.seal({
          trackingId: row.trackingId,
          accessKey: result.accessKey,
          dueAt: due,
          // What the submit notification will use (fan-out-event.ts: email and/or SMS to the reporter).
          sentBy: [...(data['reporter.email'] ? ['email'] : []), ...(data['reporter.phone'] ? ['sms'] : [])],
        }),
        { path: FLASH_PATH, httpOnly: true, sameSite: 'strict', secure: opts.secureCookies, maxAge: 900 },
      );
      return reply.redirect(`${FLASH_PATH}/selesai?lang=${lang}`, 303);
    } catch (err) {
      const c = classifyError(err);
      if (c.code !== 'VALIDATION_FAILED') throw err;
      return renderForm(req, reply, body, formErrors(lang, c.fields, ORDER), 422);
    }
  });

  app.get(`${FLASH_PATH}/selesai`, async (req, reply) => {
    if (!requireStaff(req, reply)) return reply;
    const sealed = req.cookies[FLASH_COOKIE];
    let flash: {
      trackingId: string;
      accessKey: string;
      dueAt: string | null;
      sentBy?: Array<'email' | 'sms'>;
    } | null = null;
    try {
      flash = sealed ? svc.sealer.open(sealed) : null;
    } catch {
      flash = null;
    }
    if (!flash) return reply.redirect(FLASH_PATH, 303);
    reply.clearCookie(FLASH_COOKIE, { path: FLASH_PATH });
    const link = `${svc.publicUrl}/lacak/${flash.trackingId}?k=${encodeURIComponent(flash.accessKey)}`;
    return sendPage(
      reply,
      req,
      h(WalkInDonePage, {
        ctx: pageContext(req),
        trackingId: flash.trackingId,
        link,
        dueAt: flash.dueAt,
        sentBy: flash.sentBy ?? [],
      }),
    );
  });
};
