/** JSON API v1: reference data (agencies, categories, regions, holidays). */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { calendarDate } from './schemas.ts';
import type { Services } from '../../../app/context.ts';
import { listAgencyTree, listCategories, listHolidays, listRegions } from '../../../queries/reference.ts';
import { calendarStatus } from '../../../queries/calendar-status.ts';
import { calendarWarningText } from '../../../presenters/calendar-warning.ts';
import {
  confirmHolidays,
  HOLIDAY_NAME_MAX,
  HOLIDAY_NAME_MIN,
  HOLIDAY_YEAR_MAX,
  HOLIDAY_YEAR_MIN,
  loadHolidayYear,
  removeHoliday,
  upsertHoliday,
} from '../../../commands/manage-holidays.ts';
import { AppError } from '../../../app/errors.ts';

const isoDate = calendarDate;
const regionCode = z.string().regex(/^\d{2}(\.\d{2}){0,3}(\.\d{4})?$/);
const holidayYear = z.number().int().min(HOLIDAY_YEAR_MIN).max(HOLIDAY_YEAR_MAX);

export const referenceRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (app, opts) => {
  const db = opts.services.db;
  app.get('/agencies', { schema: { tags: ['reference'], summary: 'The agency tree' } }, async () => ({
    items: await listAgencyTree(db),
  }));
  app.get('/categories', { schema: { tags: ['reference'], summary: 'LAPOR! categories' } }, async () => ({
    items: await listCategories(db),
  }));
  app.get(
    '/regions',
    {
      schema: {
        tags: ['reference'],
        summary: 'Kemendagri regions under a parent',
        querystring: z.object({
          parent: z
            .string()
            .regex(/^\d{2}(\.\d{2}){0,2}$/)
            .optional(),
        }),
      },
    },
    async (req) => ({ items: await listRegions(db, req.query.parent) }),
  );
  app.get(
    '/holidays',
    {
      schema: {
        tags: ['reference'],
        summary: 'National holidays and cuti bersama of a year',
        querystring: z.object({ year: z.coerce.number().int().min(2000).max(2100) }),
      },
    },
    async (req) => ({ items: await listHolidays(db, req.query.year) }),
  );
  app.post(
    '/holidays',
    {
      schema: {
        tags: ['reference'],
        summary: 'Add a holiday: national (national admin) or regional (coordinator of that region)',
        body: z
          .object({
            date: isoDate,
            name: z.string().trim().min(HOLIDAY_NAME_MIN).max(HOLIDAY_NAME_MAX),
            kind: z.enum(['libur_nasional', 'cuti_bersama', 'libur_nasional_khusus', 'regional']),
            regionCode: regionCode.optional(),
          })
          .strict(),
      },
    },
    async (req, reply) => {
      if (!req.session) throw new AppError('UNAUTHENTICATED');
      await upsertHoliday(opts.services, req.caller, req.body);
      return reply.status(201).send({ ok: true });
    },
  );
  app.delete(
    '/holidays/:date',
    {
      schema: {
        tags: ['reference'],
        summary: 'Remove a holiday',
        params: z.object({ date: isoDate }),
        querystring: z.object({ regionCode: regionCode.optional() }),
      },
    },
    async (req) => {
      if (!req.session) throw new AppError('UNAUTHENTICATED');
      await removeHoliday(opts.services, req.caller, {
        date: req.params.date,
        regionCode: req.query.regionCode,
      });
      return { ok: true };
    },
  );
  // The yearly load and the confirmation after the SKB, as the calendar page and `aduan holidays load|confirm` do
  // (national admin only; the same commands, so the same administration-log entry and deadline recomputation).
  app.post(
    '/holidays/load',
    {
      schema: {
        tags: ['reference'],
        summary:
          "Load a year's national holidays: the certain dates as confirmed, the bundled predictions as tentative (national admin)",
        body: z.object({ year: holidayYear, dryRun: z.boolean().optional() }).strict(),
      },
    },
    async (req, reply) => {
      if (!req.session) throw new AppError('UNAUTHENTICATED');
      const dryRun = req.body.dryRun === true;
      const r = await loadHolidayYear(opts.services, req.caller, { year: req.body.year, dryRun });
      // 201 when entries were added; 200 for a dry run or a year with nothing left to add (nothing written).
      return reply.status(!dryRun && r.added.length > 0 ? 201 : 200).send({ ...r, dryRun });
    },
  );
  app.post(
    '/holidays/confirm',
    {
      schema: {
        tags: ['reference'],
        summary:
          "Confirm a year's tentative national holidays, or the one on a date, once the SKB is out (national admin)",
        body: z
          .object({ year: holidayYear, date: isoDate.optional() })
          .strict()
          .refine((b) => b.date === undefined || b.date.startsWith(`${b.year}-`), {
            path: ['date'],
            params: { key: 'date_in_year' },
          }),
      },
    },
    async (req) => {
      if (!req.session) throw new AppError('UNAUTHENTICATED');
      const { year, date } = req.body;
      const r = await confirmHolidays(opts.services, req.caller, { year, date });
      return { year, date: date ?? null, ...r };
    },
  );
  app.get(
    '/calendar/status',
    {
      schema: {
        tags: ['reference'],
        summary: 'Years covered by the holiday calendar, and a warning when next year is missing',
      },
    },
    async (req) => {
      const status = await calendarStatus(opts.services);
      const grants = req.caller.actor.grants;
      // A signed-in caller who cannot load or confirm (a coordinator) reads whom to ask, as on its pages.
      if (!status.warning || !req.session || grants.some((g) => g.role === 'national_admin')) return status;
      const w = status.warning;
      const message = {
        id: calendarWarningText(w, grants, 'id') ?? w.message.id,
        en: calendarWarningText(w, grants, 'en') ?? w.message.en,
      };
      return { ...status, warning: { ...w, message } };
    },
  );
};
