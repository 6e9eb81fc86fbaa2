/**
 * JSON API v1: SLA rules (docs/api-v1.md "SLA rules"). `GET /sla-rules` lists the rule versions (admin roles;
 * `?regionCode=` narrows to the rules that reach a region: national, its ancestors', its own and those below);
 * `POST /sla-rules` adds a version: national (national admin) or regional, for a province or kab/kota whose
 * Pergub/Perwali sets shorter limits (national admin, or the coordinator of that region or a wider one). A regional
 * rule may only tighten the rule it overrides (422 `sla_looser` on `workingDays`); a regional rule that a later, shorter
 * wider rule now caps is listed with that rule in `overriddenBy`.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { calendarDate } from './schemas.ts';
import type { Services } from '../../../app/context.ts';
import { AppError } from '../../../app/errors.ts';
import { setSlaRule } from '../../../commands/set-sla-rule.ts';
import { slaRuleVersions } from '../../../queries/admin.ts';
import { regionCovers } from '../../../policies/can.ts';
import { DAY_UNITS, SLA_CLOCKS, dayUnitOf } from '../../../domain/deadline/sla.ts';
import { CLASSIFICATIONS } from '../../../domain/report/report.ts';

const ruleRegion = z.string().regex(/^\d{2}(\.\d{2})?$/);

export const slaRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (app, opts) => {
  const svc = opts.services;

  app.get(
    '/sla-rules',
    {
      schema: {
        tags: ['reference'],
        summary:
          'SLA rule versions, national and regional (admin roles); with regionCode, those that reach that region',
        querystring: z.object({ regionCode: ruleRegion.optional() }),
      },
    },
    async (req) => {
      const actor = req.caller.actor;
      if (!actor.userId) throw new AppError('UNAUTHENTICATED');
      if (!actor.grants.some((g) => ['national_admin', 'coordinator', 'agency_admin'].includes(g.role)))
        throw new AppError('FORBIDDEN');
      const region = req.query.regionCode;
      const rows = await slaRuleVersions(svc, svc.now());
      return {
        items: rows
          .filter(
            (r) =>
              !region ||
              !r.regionCode ||
              regionCovers(r.regionCode, region) ||
              regionCovers(region, r.regionCode),
          )
          .map((r) => ({
            id: r.id,
            version: r.version,
            regionCode: r.regionCode,
            clock: r.clock,
            classification: r.classification,
            supervisory: r.supervisory,
            workingDays: r.workingDays,
            dayUnit: r.dayUnit,
            basis: r.basis,
            validFrom: r.validFrom,
            // A regional rule longer than a wider rule in force: reports get the wider one (ADR 0013, revised).
            overriddenBy: r.overriddenBy
              ? {
                  id: r.overriddenBy.id,
                  version: r.overriddenBy.version,
                  regionCode: r.overriddenBy.regionCode ?? null,
                  workingDays: r.overriddenBy.workingDays,
                  dayUnit: dayUnitOf(r.overriddenBy),
                  basis: r.overriddenBy.basis,
                  validFrom: r.overriddenBy.validFrom,
                }
              : null,
          })),
      };
    },
  );

  app.post(
    '/sla-rules',
    {
      schema: {
        tags: ['reference'],
        summary:
          'Add an SLA rule version: national (national admin) or regional, only shorter (coordinator of that region)',
        body: z
          .object({
            clock: z.enum(SLA_CLOCKS),
            workingDays: z.number().int().min(1).max(365),
            dayUnit: z.enum(DAY_UNITS).optional(),
            basis: z.string().trim().min(1).max(300),
            validFrom: calendarDate,
            classification: z.enum(CLASSIFICATIONS).optional(),
            supervisory: z.boolean().optional(),
            regionCode: ruleRegion.optional(),
            retroactive: z.boolean().optional(),
          })
          .strict(),
      },
    },
    async (req, reply) => {
      if (!req.session) throw new AppError('UNAUTHENTICATED');
      const b = req.body;
      const row = await setSlaRule(
        svc,
        {
          clock: b.clock,
          workingDays: b.workingDays,
          dayUnit: b.dayUnit,
          basis: b.basis,
          validFrom: b.validFrom,
          classification: b.classification,
          supervisory: b.supervisory,
          regionCode: b.regionCode,
          retroactive: b.retroactive,
        },
        req.caller,
      );
      return reply.status(201).send({
        id: row.id,
        version: row.version,
        regionCode: row.regionCode,
        clock: row.clock,
        classification: row.classification,
        supervisory: row.supervisory,
        workingDays: row.workingDays,
        dayUnit: row.dayUnit,
        basis: row.basis,
        validFrom: row.validFrom,
      });
    },
  );
};
