/**
 * Administration of the working-day calendar and SLA rules: `/kantor/admin/kalender?tahun=…` lists a year's
 * holidays (with the missing-year warning) and lets coordinators add or remove regional holidays in their
 * region, and the national admin national holidays, cuti bersama and regional holidays of any province or kab/kota;
 * an edit recomputes the running deadlines it affects and the notice says how many (`dihitung`).
 * `/kantor/admin/sla` lists the SLA rule versions grouped by region (national first; a coordinator sees the national
 * ones, those of wider regions and its region's) with their regulation reference, their length in working or
 * calendar days and their validity date; the national admin adds a version for the nation or any province or
 * kab/kota, a coordinator for its region and below (a Pergub/Perwali; it may only tighten: `setSlaRule`). Running
 * deadlines keep their stored version.
 */
import { isCalendarDate } from '../../domain/shared/dates.ts';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import type { Services } from '../../app/context.ts';
import { AppError, invalid, type FieldIssue } from '../../app/errors.ts';
import { collectIssues, requireRegion } from '../../commands/lookups.ts';
import {
  confirmHolidays,
  HOLIDAY_KINDS,
  holidayNameIssue,
  isHolidayKind,
  loadHolidayYear,
  removeHoliday,
  upsertHoliday,
} from '../../commands/manage-holidays.ts';
import { MIN_NATIONAL_HOLIDAYS_PER_YEAR } from '../../domain/deadline/calendar.ts';
import { maySetSlaRule, setSlaRule } from '../../commands/set-sla-rule.ts';
import {
  calendarRegionScopes,
  holidaysOfYear,
  slaRulesCappedBy,
  slaRuleVersions,
} from '../../queries/admin.ts';
import { calendarStatus } from '../../queries/calendar-status.ts';
import { calendarWarningText } from '../../presenters/calendar-warning.ts';
import { listRegions } from '../../queries/reference.ts';
import { regionNamesByCode } from '../../queries/region-names.ts';
import { canStaff, regionCovers } from '../../policies/can.ts';
import {
  CalendarPage,
  SlaPage,
  slaRegionLabel,
  type HolidayRow,
  type SlaCap,
  type SlaGroup,
} from '../../views/staff/admin-reference.tsx';
import type { FormState } from '../../views/staff/common.tsx';
import { pageContext, sendPage } from '../web/render.ts';
import { handleForm, requireAdmin, staleAdminForm, str } from './admin-forms.ts';

/** Registers the calendar and SLA routes. */
export const staffAdminCalendarRoutes: FastifyPluginAsync<{ services: Services }> = async (app, opts) => {
  const svc = opts.services;

  function calendarGate(req: FastifyRequest, reply: FastifyReply): boolean {
    if (!requireAdmin(req, reply)) return false;
    if (!req.caller.actor.grants.some((g) => ['national_admin', 'coordinator'].includes(g.role)))
      throw new AppError('FORBIDDEN');
    return true;
  }

  async function regionsFor(scopes: string[] | 'all') {
    const provinces = await listRegions(svc.db);
    const out: Array<{ code: string; name: string }> = [];
    for (const p of provinces) {
      const inScope =
        scopes === 'all' || scopes.some((s) => regionCovers(s, p.code) || regionCovers(p.code, s));
      if (!inScope) continue;
      if (scopes === 'all' || scopes.includes(p.code)) out.push({ code: p.code, name: p.name });
      // Each province's kab/kota follow it (the national admin may enter any of them, e.g. for a kab/kota whose
      // coordinator is not on board yet).
      for (const k of await listRegions(svc.db, p.code)) {
        if (scopes === 'all' || scopes.some((s) => regionCovers(s, k.code)))
          out.push({ code: k.code, name: k.name });
      }
    }
    return out;
  }

  async function calendarPage(req: FastifyRequest, reply: FastifyReply, form?: FormState, status = 200) {
    const ctx = pageContext(req);
    const q = req.query as Record<string, string | undefined>;
    const thisYear = Number(svc.now().toISOString().slice(0, 4));
    const asked = Number.parseInt(q.tahun ?? '', 10);
    const year = asked >= 2000 && asked <= 2100 ? asked : thisYear;
    const actor = req.caller.actor;
    const scopes = calendarRegionScopes(actor);
    const [holidays, status_, regions] = await Promise.all([
      holidaysOfYear(svc, year),
      calendarStatus(svc),
      regionsFor(scopes),
    ]);
    const national = scopes === 'all';
    const kinds = national ? HOLIDAY_KINDS : (['regional'] as const);
    const canRemove = (hd: HolidayRow) =>
      hd.regionCode ? canStaff(actor, 'manage_calendar', { regionCode: hd.regionCode }) : national;
    const inScope = holidays.filter(
      (hd) => !hd.regionCode || national || (scopes as string[]).some((s) => regionCovers(s, hd.regionCode)),
    );
    // Regional holidays are listed by region name with the code ("Kota Balikpapan (64.71)").
    const names = await regionNamesByCode(
      svc.db,
      inScope.flatMap((hd) => (hd.regionCode ? [hd.regionCode] : [])),
    );
    const visible: HolidayRow[] = inScope.map((hd) => ({
      ...hd,
      regionName: hd.regionCode ? (names.get(hd.regionCode) ?? null) : null,
    }));
    const done = q.selesai === '1';
    const recomputed = Number.parseInt(q.dihitung ?? '', 10);
    const replaced = q.diganti === '1';
    const count = (v: string | undefined) => Math.max(0, Number.parseInt(v ?? '', 10) || 0);
    const nationalHolidays = holidays.filter((hd) => !hd.regionCode && hd.kind === 'libur_nasional').length;
    return sendPage(
      reply,
      req,
      h(CalendarPage, {
        ctx,
        year,
        holidays: visible,
        regions,
        kinds,
        canRemove,
        warning: calendarWarningText(status_.warning, actor.grants, ctx.lang),
        canLoad: national && nationalHolidays < MIN_NATIONAL_HOLIDAYS_PER_YEAR,
        canConfirm: national,
        form,
        notice: done
          ? q.dimuat !== undefined
            ? ctx.t('admin.calendar.loaded', {
                n: count(q.dimuat),
                tentative: count(q.perkiraan),
                moved: count(q.dihitung),
              })
            : q.dikonfirmasi !== undefined
              ? ctx.t('admin.calendar.confirmed', { n: count(q.dikonfirmasi), moved: count(q.dihitung) })
              : replaced
                ? ctx.t('admin.calendar.saved_replaced', { n: Math.max(0, recomputed || 0) })
                : recomputed > 0
                  ? ctx.t('admin.calendar.saved_recomputed', { n: recomputed })
                  : ctx.t('admin.saved')
          : undefined,
      }),
      status,
    );
  }

  app.get('/kantor/admin/kalender', async (req, reply) => {
    if (!calendarGate(req, reply)) return reply;
    return calendarPage(req, reply);
  });

  // A stale token (every form here) re-renders the form's page with what was typed (`staleAdminForm`).
  const staleCalendarForm = (action: string) => staleAdminForm(action, calendarPage, { gate: calendarGate });

  app.post('/kantor/admin/kalender', { config: staleCalendarForm('add') }, async (req, reply) => {
    if (!calendarGate(req, reply)) return reply;
    return handleForm(req, reply, {
      action: 'add',
      inputs: ['date', 'name', 'kind', 'regionCode'],
      run: async (body) => {
        const date = str(body.date);
        const name = str(body.name);
        // Coordinators' forms have no kind: regional. National kinds need no region (one given is ignored).
        const kind = str(body.kind) || 'regional';
        const regionCode = str(body.regionCode);
        const fields: Record<string, FieldIssue> = {};
        if (!isCalendarDate(date)) fields.date = { key: 'invalid_date' };
        const nameIssue = holidayNameIssue(name);
        if (nameIssue) fields.name = nameIssue;
        if (!isHolidayKind(kind))
          fields.kind = { key: 'one_of', params: { options: HOLIDAY_KINDS.join(', ') } };
        else if (kind === 'regional') {
          if (!regionCode) fields.regionCode = { key: 'required' };
          // Every problem at once, an unknown region too (a field error, before the scope check could say 403).
          else await collectIssues(fields, () => requireRegion(svc.db, regionCode, 'regionCode'));
        }
        if (Object.keys(fields).length || !isHolidayKind(kind)) throw invalid(fields);
        const r = await upsertHoliday(svc, req.caller, {
          date,
          name,
          kind,
          ...(kind === 'regional' ? { regionCode } : {}),
        });
        return `/kantor/admin/kalender?tahun=${date.slice(0, 4)}&selesai=1&dihitung=${r.recomputed}${r.replaced ? '&diganti=1' : ''}`;
      },
      rerender: (form, status) => calendarPage(req, reply, form, status),
    });
  });

  app.post('/kantor/admin/kalender/hapus', { config: staleCalendarForm('remove') }, async (req, reply) => {
    if (!calendarGate(req, reply)) return reply;
    return handleForm(req, reply, {
      action: 'remove',
      inputs: [],
      run: async (body) => {
        const date = str(body.date);
        if (!isCalendarDate(date)) throw new AppError('NOT_FOUND');
        const r = await removeHoliday(svc, req.caller, {
          date,
          regionCode: str(body.regionCode) || undefined,
        });
        return `/kantor/admin/kalender?tahun=${date.slice(0, 4)}&selesai=1&dihitung=${r.recomputed}`;
      },
      rerender: (form, status) => calendarPage(req, reply, form, status),
    });
  });

  /** The year of a load or confirm form: a whole number in range, else a field error. */
  function yearOf(raw: string): number {
    const year = /^\d{4}$/.test(raw) ? Number(raw) : Number.NaN;
    if (!(year >= 2000 && year <= 2100))
      throw invalid({ year: { key: 'between', params: { min: 2000, max: 2100 } } });
    return year;
  }

  app.post('/kantor/admin/kalender/muat', { config: staleCalendarForm('load') }, async (req, reply) => {
    if (!calendarGate(req, reply)) return reply;
    return handleForm(req, reply, {
      action: 'load',
      inputs: [],
      run: async (body) => {
        const r = await loadHolidayYear(svc, req.caller, { year: yearOf(str(body.year)) });
        const tentative = r.added.filter((x) => x.tentative).length;
        return `/kantor/admin/kalender?tahun=${r.year}&selesai=1&dimuat=${r.added.length}&perkiraan=${tentative}&dihitung=${r.recomputed}`;
      },
      rerender: (form, status) => calendarPage(req, reply, form, status),
    });
  });

  app.post(
    '/kantor/admin/kalender/konfirmasi',
    { config: staleCalendarForm('confirm') },
    async (req, reply) => {
      if (!calendarGate(req, reply)) return reply;
      return handleForm(req, reply, {
        action: 'confirm',
        inputs: [],
        run: async (body) => {
          const year = yearOf(str(body.year));
          const date = str(body.date);
          if (date && (!isCalendarDate(date) || !date.startsWith(`${year}-`)))
            throw new AppError('NOT_FOUND');
          const r = await confirmHolidays(svc, req.caller, { year, date: date || undefined });
          return `/kantor/admin/kalender?tahun=${year}&selesai=1&dikonfirmasi=${r.confirmed.length}&dihitung=${r.recomputed}`;
        },
        rerender: (form, status) => calendarPage(req, reply, form, status),
      });
    },
  );

  async function slaPage(req: FastifyRequest, reply: FastifyReply, form?: FormState, status = 200) {
    const ctx = pageContext(req);
    const actor = req.caller.actor;
    const scopes = calendarRegionScopes(actor);
    const coordinator = scopes !== 'all' && scopes.length > 0;
    // A coordinator reads the rules that reach its region (national, wider regions) and those inside it; the national
    // admin and agency admins (read-only) every rule.
    const rules = (await slaRuleVersions(svc, svc.now())).filter(
      (r) =>
        !coordinator ||
        !r.regionCode ||
        scopes.some((s) => regionCovers(s, r.regionCode) || regionCovers(r.regionCode, s)),
    );
    const names = await regionNamesByCode(
      svc.db,
      rules.flatMap((r) => (r.regionCode ? [r.regionCode] : [])),
    );
    const groups: SlaGroup[] = [];
    for (const r of rules) {
      let g = groups.find((x) => x.regionCode === r.regionCode);
      if (!g) {
        g = {
          regionCode: r.regionCode,
          regionName: r.regionCode ? (names.get(r.regionCode) ?? null) : null,
          rules: [],
          canEdit: maySetSlaRule(req.caller, r.regionCode),
        };
        groups.push(g);
      }
      g.rules.push(r);
    }
    const regions =
      scopes === 'all'
        ? [{ code: '', name: '' }, ...(await regionsFor('all'))]
        : coordinator
          ? await regionsFor(scopes)
          : [];
    const query = req.query as Record<string, string | undefined>;
    const done = query.selesai === '1';
    // After a save, the regional rules the saved version now caps (`aturan=<id>@<version>`), those the caller reads.
    const saved = done ? /^(.{1,200})@(\d{1,6})$/.exec(query.aturan ?? '') : null;
    const capped = saved
      ? (await slaRulesCappedBy(svc, saved[1]!, Number(saved[2]), svc.now())).filter(
          (r) => !coordinator || scopes.some((s) => regionCovers(s, r.regionCode)),
        )
      : [];
    const cappedNames = await regionNamesByCode(
      svc.db,
      capped.map((r) => r.regionCode!),
    );
    const caps: SlaCap[] = capped.map((r) => ({
      regionLabel: slaRegionLabel(ctx, r.regionCode!, cappedNames.get(r.regionCode!) ?? null),
      id: r.id,
      workingDays: r.workingDays,
      dayUnit: r.dayUnit ?? 'working',
      basis: r.basis,
    }));
    return sendPage(
      reply,
      req,
      h(SlaPage, { ctx, groups, regions, form, caps, notice: done ? ctx.t('admin.saved') : undefined }),
      status,
    );
  }

  app.get('/kantor/admin/sla', async (req, reply) => {
    if (!requireAdmin(req, reply)) return reply;
    return slaPage(req, reply);
  });

  app.post(
    '/kantor/admin/sla',
    { config: staleAdminForm('add', slaPage, { gate: calendarGate }) },
    async (req, reply) => {
      // National rules are the national admin's; regional ones (Pergub/Perwali) also their coordinator's
      // (`setSlaRule` checks the region: 403 outside it). Agency admins and officers: 403.
      if (!calendarGate(req, reply)) return reply;
      const national = canStaff(req.caller.actor, 'manage_sla');
      return handleForm(req, reply, {
        action: 'add',
        inputs: [
          'regionCode',
          'clock',
          'classification',
          'workingDays',
          'dayUnit',
          'basis',
          'validFrom',
          'retroactive',
        ],
        run: async (body) => {
          const days = str(body.workingDays);
          const regionCode = str(body.regionCode);
          // A coordinator's form has no national choice: an empty region is a missing field, not a national rule.
          if (!national && !regionCode) throw invalid({ regionCode: { key: 'required' } });
          const row = await setSlaRule(
            svc,
            {
              clock: str(body.clock),
              classification: str(body.classification) || undefined,
              supervisory: str(body.supervisory) === 'yes' ? true : undefined,
              workingDays: /^\d{1,3}$/.test(days) ? Number(days) : Number.NaN,
              dayUnit: str(body.dayUnit) || undefined,
              basis: str(body.basis),
              validFrom: str(body.validFrom),
              retroactive: str(body.retroactive) === 'yes',
              regionCode: regionCode || undefined,
            },
            req.caller,
          );
          // The confirmation then names the regional rules the new version caps (a shorter national limit).
          return row.caps.length
            ? `/kantor/admin/sla?selesai=1&aturan=${encodeURIComponent(`${row.id}@${row.version}`)}`
            : '/kantor/admin/sla?selesai=1';
        },
        rerender: (form, status) => slaPage(req, reply, form, status),
      });
    },
  );
};
