/**
 * JSON API v1: SLA rules (docs/api-v1.md "SLA rules"). `GET /sla-rules` lists the rule versions (admin roles;
 * `?regionCode=` narrows to the rules that reach a region: national, its ancestors', its own and those below);
 * `POST /sla-rules` adds a version: national (national admin) or regional, for a province or kab/kota whose
 * Pergub/Perwali sets shorter limits (national admin, or the coordinator of that region or a wider one). A regional
 * rule may only tighten the rule it overrides (422 `sla_looser` on `workingDays`); a regional rule that a later, shorter
 * wider rule now caps is listed with that rule in `overriddenBy`; the answer to a POST lists in `caps` the regional
 * rules the new version caps (a shorter national version: the coordinators of those regions must be told).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { calendarDate } from './schemas.ts';
import type { Services } from '../../../app/context.ts';
import { AppError } from '../../../app/errors.ts';
import { setSlaRule } from '../../../commands/set-sla-rule.ts';
import { slaRuleVersions } from '../../../queries/admin.ts';
import { regionNamesByCode } from '../../../queries/region-names.ts';
import { regionCovers } from '../../../policies/can.ts';
import { DAY_UNITS, SLA_CLOCKS, dayUnitOf } from '../../../domain/deadline/sla.ts';
import { CLASSIFICATIONS } from '../../../domain/report/report.ts';

const ruleRegion = z.string().regex(/^\d{2}(\.\d{2})?$/);

/** The fields every rule version is answered with (GET items, the POST answer and its `caps`). */
const ruleFields = {
  id: z
    .string()
    .meta({ description: 'Rule id; a regional rule carries its region as a prefix (`64:completion`)' }),
  version: z.number().int(),
  regionCode: z
    .string()
    .nullable()
    .meta({ description: 'Province or kab/kota whose Pergub/Perwali sets the rule; null = national' }),
  clock: z.string().meta({ description: SLA_CLOCKS.join(', ') }),
  classification: z
    .string()
    .nullable()
    .meta({ description: `${CLASSIFICATIONS.join(', ')}; null = every classification` }),
  supervisory: z
    .boolean()
    .nullable()
    .meta({ description: 'Berkadar pengawasan (true/false); null = either' }),
  workingDays: z.number().int().meta({ description: 'Length of the limit, in `dayUnit` days' }),
  dayUnit: z.string().meta({ description: DAY_UNITS.join(', ') }),
  basis: z.string(),
  validFrom: z.string().meta({ description: 'First local date (YYYY-MM-DD) the version applies' }),
};

/** A wider rule in force that is shorter than a regional rule, and so applies instead of it (ADR 0013, revised). */
const ruleCap = z
  .object({
    id: z.string(),
    version: z.number().int(),
    regionCode: z.string().nullable().meta({ description: 'null = national' }),
    workingDays: z.number().int(),
    dayUnit: z.string(),
    basis: z.string(),
    validFrom: z.string(),
  })
  .nullable();

const ruleItem = z.object({
  ...ruleFields,
  overriddenBy: ruleCap.meta({
    description: 'For a regional rule: the shorter wider rule in force that applies instead of it; else null',
  }),
});

/** A regional rule a new version now caps (the answer to a POST lists them, so their coordinators can be told). */
const cappedRule = z.object({
  ...ruleFields,
  regionCode: z.string().meta({ description: 'The province or kab/kota of the capped regional rule' }),
  regionName: z.string().nullable().meta({ description: 'Its name (Kemendagri), or null if unknown' }),
});

/** The answer to `POST /sla-rules`: the new version and the regional rules it caps. */
const savedRule = z.object({
  ...ruleFields,
  caps: z.array(cappedRule).meta({
    description:
      'Regional rules for which the new version is now the shorter wider rule in force (by region code; [] when none)',
  }),
});

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
        response: { 200: z.object({ items: z.array(ruleItem) }) },
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
        response: { 201: savedRule },
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
      const names = await regionNamesByCode(
        svc.db,
        row.caps.map((c) => c.regionCode!),
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
        // The regional rules this version now caps: tell their coordinators (ADR 0013, revised).
        caps: row.caps.map((c) => ({
          id: c.id,
          version: c.version,
          regionCode: c.regionCode!,
          regionName: names.get(c.regionCode!) ?? null,
          clock: c.clock,
          classification: c.classification,
          supervisory: c.supervisory ?? null,
          workingDays: c.workingDays,
          dayUnit: dayUnitOf(c),
          basis: c.basis,
          validFrom: c.validFrom,
        })),
      });
    },
  );
};
