/**
 * Auto-dispatch administration (`/kantor/admin/rute-otomatis`, issue 7): view and change the instance rule
 * (national admin) and the rules of agencies the caller manages (`setAutoDispatch` checks both), list the
 * recent auto-dispatches the caller oversees, and reverse one (`reverseAutoDispatch`: a bukan-wewenang
 * return, so a hash-chained event). Admin roles only (officers 403); every POST carries `_csrf`, redirects
 * (PRG) or re-renders with the error summary; a report the caller cannot see is 404.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import type { Services } from '../../app/context.ts';
import { AppError, invalid, type FieldIssue } from '../../app/errors.ts';
import {
  autoDispatchSettings,
  DEFAULT_AUTO_DISPATCH_THRESHOLD,
  setAutoDispatch,
} from '../../commands/auto-dispatch.ts';
import { reverseAutoDispatch } from '../../commands/reverse-auto-dispatch.ts';
import { agenciesInScope } from '../../queries/admin.ts';
import { recentAutoDispatches } from '../../queries/auto-dispatches.ts';
import { confidenceHistory, thresholdEffect } from '../../queries/auto-dispatch-history.ts';
import { mayViewRoutingAccuracy } from '../../queries/routing-accuracy.ts';
import { canStaff } from '../../policies/can.ts';
import { AutoDispatchPage, ReverseAutoDispatchPage } from '../../views/staff/admin-routing.tsx';
import type { FormState } from '../../views/staff/common.tsx';
import { pageContext, sendPage } from '../web/render.ts';
import { handleForm, requireAdmin, staleAdminForm, str } from './admin-forms.ts';
import type { FormBody } from './forms.ts';

const PATH = '/kantor/admin/rute-otomatis';
/** How far back the list of auto-dispatches reaches. */
const RECENT_DAYS = 30;
/** How far back the rules' likely effect is measured (the history shown beside each threshold). */
const HISTORY_DAYS = 365;
const TRACKING_ID = /^\d{10}$/;

/** `on`/`off` and a whole percentage 50–100 (blank keeps the current threshold) from a rule form. */
function ruleInput(body: FormBody, prefix: 'instance' | 'agency'): { enabled: boolean; threshold?: number } {
  const fields: Record<string, FieldIssue> = {};
  const enabled = str(body[`${prefix}Enabled`]);
  if (enabled !== 'on' && enabled !== 'off') fields[`${prefix}Enabled`] = { key: 'required' };
  const raw = str(body[`${prefix}Threshold`]).replace(/%$/, '').replace(',', '.');
  let threshold: number | undefined;
  if (raw !== '') {
    // A whole percentage, as the hint says and the page shows it (90.5 would be shown as "91%").
    const n = /^\d{1,3}$/.test(raw) ? Number(raw) : Number.NaN;
    if (Number.isNaN(n) || n < 50 || n > 100)
      fields[`${prefix}Threshold`] = { key: 'between', params: { min: 50, max: 100 } };
    else threshold = n / 100;
  }
  if (Object.keys(fields).length) throw invalid(fields);
  return { enabled: enabled === 'on', ...(threshold !== undefined ? { threshold } : {}) };
}

/** Registers the auto-dispatch admin page, its two rule forms and the reversal. */
export const staffAdminRoutingRoutes: FastifyPluginAsync<{ services: Services }> = async (app, opts) => {
  const svc = opts.services;
  const since = () => new Date(svc.now().getTime() - RECENT_DAYS * 86_400_000);

  async function settingsPage(req: FastifyRequest, reply: FastifyReply, form?: FormState, status = 200) {
    const ctx = pageContext(req);
    const actor = req.caller.actor;
    const canEditInstance = canStaff(actor, 'manage_agencies', {});
    const [config, listed, rows, history] = await Promise.all([
      autoDispatchSettings(svc),
      agenciesInScope(svc, actor),
      recentAutoDispatches(svc, actor, { since: since() }),
      confidenceHistory(svc.db, new Date(svc.now().getTime() - HISTORY_DAYS * 86_400_000)),
    ]);
    // Only agencies whose rule the actor may set (not an Ombudsman or kementerian/lembaga office of its region).
    const managed = listed.filter((a) => a.manageable);
    const names = new Map(managed.map((a) => [a.id, a.name]));
    const agencyRules = Object.entries(config.agencies ?? {})
      .filter(([id]) => names.has(id))
      .map(([id, rule]) => ({ id, name: names.get(id)!, ...rule }))
      .sort((a, b) => a.name.localeCompare(b.name));
    const done = (req.query as Record<string, string | undefined>).selesai;
    const notice = done
      ? ctx.t(done === 'tarik' ? 'admin.auto_dispatch.done_reverse' : 'admin.saved')
      : undefined;
    return sendPage(
      reply,
      req,
      h(AutoDispatchPage, {
        ctx,
        form,
        notice,
        instance: config.instance ?? null,
        canEditInstance,
        agencyRules,
        instanceHistory: canEditInstance
          ? (() => {
              const threshold = config.instance?.threshold ?? DEFAULT_AUTO_DISPATCH_THRESHOLD;
              return { threshold, effect: thresholdEffect(history.all, threshold) };
            })()
          : null,
        agencyHistory: new Map(
          agencyRules.map((r) => [r.id, thresholdEffect(history.byAgency.get(r.id), r.threshold)]),
        ),
        agencyOptions: managed.filter((a) => a.active).map((a) => ({ value: a.id, label: a.name })),
        rows,
        days: RECENT_DAYS,
        canSeeAccuracy: mayViewRoutingAccuracy(actor),
      }),
      status,
    );
  }

  app.get(PATH, async (req, reply) => {
    if (!requireAdmin(req, reply)) return reply;
    return settingsPage(req, reply);
  });

  // A stale token (every form here) re-renders the form's page with what was typed (`staleAdminForm`).
  app.post(`${PATH}/instans`, { config: staleAdminForm('instance', settingsPage) }, async (req, reply) => {
    if (!requireAdmin(req, reply)) return reply;
    return handleForm(req, reply, {
      action: 'instance',
      inputs: ['instanceEnabled', 'instanceThreshold'],
      run: async (body) => {
        await setAutoDispatch(svc, req.caller, ruleInput(body, 'instance'));
        return `${PATH}?selesai=1`;
      },
      rerender: (form, status) => settingsPage(req, reply, form, status),
    });
  });

  app.post(`${PATH}/instansi`, { config: staleAdminForm('agency', settingsPage) }, async (req, reply) => {
    if (!requireAdmin(req, reply)) return reply;
    return handleForm(req, reply, {
      action: 'agency',
      inputs: ['agencyId', 'agencyEnabled', 'agencyThreshold'],
      run: async (body) => {
        const agencyId = str(body.agencyId);
        let rule: ReturnType<typeof ruleInput>;
        try {
          rule = ruleInput(body, 'agency');
        } catch (e) {
          if (!agencyId && e instanceof AppError)
            throw invalid({ agencyId: { key: 'required' }, ...e.fields });
          throw e;
        }
        if (!agencyId) throw invalid({ agencyId: { key: 'required' } });
        await setAutoDispatch(svc, req.caller, { ...rule, agencyId });
        return `${PATH}?selesai=1`;
      },
      rerender: (form, status) => settingsPage(req, reply, form, status),
    });
  });

  /** The row of one auto-dispatch the caller oversees, else 404 (never revealing that it exists). */
  async function rowOf(req: FastifyRequest) {
    const { trackingId } = req.params as { trackingId: string };
    if (!TRACKING_ID.test(trackingId)) throw new AppError('NOT_FOUND');
    const rows = await recentAutoDispatches(svc, req.caller.actor, { since: since(), limit: 500 });
    const row = rows.find((r) => r.trackingId === trackingId);
    if (!row) throw new AppError('NOT_FOUND');
    return row;
  }

  async function reversePage(
    req: FastifyRequest,
    reply: FastifyReply,
    form?: FormState,
    status = 200,
    asGet = !form,
  ) {
    const row = await rowOf(req);
    // A failed POST re-renders with its message (e.g. already returned meanwhile); a plain GET (and the answer to a
    // stale token, which the handler never checked) needs the right.
    if (!row.canReverse && asGet) throw new AppError(row.status === 'dispatched' ? 'FORBIDDEN' : 'NOT_FOUND');
    return sendPage(reply, req, h(ReverseAutoDispatchPage, { ctx: pageContext(req), row, form }), status);
  }

  app.get(`${PATH}/:trackingId/tarik`, async (req, reply) => {
    if (!requireAdmin(req, reply)) return reply;
    return reversePage(req, reply);
  });

  app.post(
    `${PATH}/:trackingId/tarik`,
    {
      config: staleAdminForm('reverse', (req, reply, form, status) =>
        reversePage(req, reply, form, status, true),
      ),
    },
    async (req, reply) => {
      if (!requireAdmin(req, reply)) return reply;
      const row = await rowOf(req);
      return handleForm(req, reply, {
        action: 'reverse',
        inputs: ['note'],
        run: async (body) => {
          const note = str(body.note);
          if (note.length > 2000) throw invalid({ note: { key: 'too_long', params: { max: 2000 } } });
          await reverseAutoDispatch(svc, req.caller, row.trackingId, { note });
          return `${PATH}?selesai=tarik`;
        },
        rerender: (form, status) => reversePage(req, reply, form, status),
      });
    },
  );
};
