/**
 * `GET /lapor/peta.svg?wilayah=<province or kab/kota code>`: the outline map the report form's "where" step
 * loads (with JavaScript only) to let the citizen place a point. Drawn from the bundled kab/kota boundaries,
 * so no tile server is involved; cached by browsers for a day. Bad codes are a 422 with a bilingual field
 * message; a province without boundaries is a 404.
 */
import type { FastifyInstance } from 'fastify';
import { render } from 'preact-render-to-string';
import { h } from 'preact';
import { AppError, invalid } from '../../app/errors.ts';
import { kabKotaBoundaries } from '../../queries/boundaries.ts';
import { t } from '../../locales/index.ts';
import { RegionMap } from '../../views/components/region-map.tsx';
import { pageContext } from './render.ts';

/** Registers the map route. */
export function registerReportMap(app: FastifyInstance): void {
  app.get<{ Querystring: { wilayah?: string } }>('/lapor/peta.svg', async (req, reply) => {
    const code = req.query.wilayah ?? '';
    if (!/^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$/.test(code))
      throw invalid({ wilayah: { key: 'invalid_format' } });
    const [prov, kab] = code.split('.');
    const features = kabKotaBoundaries(prov!);
    if (features.length === 0) throw new AppError('NOT_FOUND');
    const focus = kab ? `${prov}.${kab}` : undefined;
    const name = features.find((f) => f.properties.kode === focus)?.properties.nama;
    const lang = pageContext(req).lang;
    const title = name ? t(lang, 'web.report.map_title_kab', { name }) : t(lang, 'web.report.map_title');
    return reply
      .type('image/svg+xml; charset=utf-8')
      .header('cache-control', 'public, max-age=86400')
      .header('vary', 'Accept-Language, Cookie')
      .send(render(h(RegionMap, { features, focus, title })));
  });
}
