/**
 * Public evaluation pages: `/evaluasi/:periodId` (published rankings per group and award category,
 * every score explained per indicator, printable) and `/evaluasi/:periodId/sertifikat/:agencyId`
 * (certificate of a ranked participant). Only the published result is read: 404 before publishing.
 */
import type { FastifyInstance } from 'fastify';
import { h } from 'preact';
import type { Services } from '../../app/context.ts';
import { AppError } from '../../app/errors.ts';
import { listPeriods, publishedResult } from '../../queries/evaluation.ts';
import { CertificatePage, EvaluationResultsPage } from '../../views/pages/evaluation-results.tsx';
import { pageContext, sendPage } from './render.ts';

const PERIOD = /^[a-z0-9-]{2,60}$/;

async function load(svc: Services, periodId: string) {
  if (!PERIOD.test(periodId)) throw new AppError('NOT_FOUND');
  const [published, periods] = await Promise.all([publishedResult(svc.db, periodId), listPeriods(svc.db)]);
  const period = periods.find((p) => p.id === periodId);
  if (!published || !period) throw new AppError('NOT_FOUND');
  return { published, period };
}

/** Registers the public results and certificate pages. */
export async function evaluationResultRoutes(
  app: FastifyInstance,
  opts: { services: Services },
): Promise<void> {
  const svc = opts.services;

  app.get('/evaluasi/:periodId', async (req, reply) => {
    const { periodId } = req.params as { periodId: string };
    const { published, period } = await load(svc, periodId);
    return sendPage(
      reply,
      req,
      h(EvaluationResultsPage, {
        ctx: pageContext(req),
        periodId,
        name: period.name,
        publishedAt: published.publishedAt,
        inputsSha256: published.inputsSha256,
        snapshotSha256: published.snapshotSha256,
        result: published.result,
      }),
    );
  });

  app.get('/evaluasi/:periodId/sertifikat/:agencyId', async (req, reply) => {
    const { periodId, agencyId } = req.params as { periodId: string; agencyId: string };
    const groupId = (req.query as Record<string, string | undefined>).kelompok;
    const { published, period } = await load(svc, periodId);
    const group = published.result.groups.find(
      (g) =>
        (!groupId || g.id === groupId) && g.results.some((r) => r.agencyId === agencyId && r.rank !== null),
    );
    const r = group?.results.find((x) => x.agencyId === agencyId);
    if (!group || !r) throw new AppError('NOT_FOUND');
    return sendPage(
      reply,
      req,
      h(CertificatePage, {
        ctx: pageContext(req),
        periodName: period.name,
        groupName: group.name,
        award: group.award,
        r,
        publishedAt: published.publishedAt,
        inputsSha256: published.inputsSha256,
      }),
    );
  });
}
