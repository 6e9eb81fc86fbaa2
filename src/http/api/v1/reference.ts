/** JSON API v1: reference data (agencies, categories, regions, holidays). */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Services } from '../../../app/context.ts';
import { listAgencyTree, listCategories, listHolidays, listRegions } from '../../../queries/reference.ts';

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
        querystring: z
          .object({
            parent: z
              .string()
              .regex(/^\d{2}(\.\d{2}){0,2}$/)
              .optional(),
          })
          .strict(),
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
        querystring: z.object({ year: z.coerce.number().int().min(2000).max(2100) }).strict(),
      },
    },
    async (req) => ({ items: await listHolidays(db, req.query.year) }),
  );
};
