/**
 * `GET /lapor/peta.svg?wilayah=<province or kab/kota code>`: the outline map the report form's "where" step
 * loads (with JavaScript only) to let the citizen place a point. Drawn from the bundled kab/kota boundaries,
 * so no tile server is involved; cached by browsers for a day. Bad codes are a 422 with a bilingual field
 * message; a province without boundaries is a 404.
 *
 * `GET /lapor/wilayah-titik?lat=&lon=`: the region a clicked point lies in (point-in-polygon over the same
 * boundaries), so map.js can fill the province and kab/kota selects: `{ prov, kab, kabOptions, kecOptions }`
 * (codes and names from the region table). 422 for a malformed point, 404 when no kab/kota contains it.
 */
import type { FastifyInstance } from 'fastify';
import { render } from 'preact-render-to-string';
import { h } from 'preact';
import { AppError, invalid } from '../../app/errors.ts';
import type { AppDb } from '../../db/client.ts';
import { kabKotaBoundaries, kabKotaOfPoint } from '../../queries/boundaries.ts';
import { listRegions } from '../../queries/reference.ts';
import { t } from '../../locales/index.ts';
import { RegionMap } from '../../views/components/region-map.tsx';
import { pageContext } from './render.ts';

const COORD = /^-?\d{1,3}(\.\d{1,8})?$/;

/** Registers the map and the point → region routes. */
export function registerReportMap(app: FastifyInstance, db: AppDb): void {
  app.get<{ Querystring: { lat?: string; lon?: string } }>('/lapor/wilayah-titik', async (req, reply) => {
    const { lat = '', lon = '' } = req.query;
    const fields: Record<string, { key: string }> = {};
    if (!COORD.test(lat) || Math.abs(Number(lat)) > 90) fields.lat = { key: 'invalid_format' };
    if (!COORD.test(lon) || Math.abs(Number(lon)) > 180) fields.lon = { key: 'invalid_format' };
    if (Object.keys(fields).length) throw invalid(fields);
    const feature = kabKotaOfPoint(Number(lon), Number(lat));
    if (!feature) throw new AppError('NOT_FOUND');
    const kabCode = feature.properties.kode;
    const provCode = kabCode.split('.')[0]!;
    const [provinces, kabs, kecs] = await Promise.all([
      listRegions(db),
      listRegions(db, provCode),
      listRegions(db, kabCode),
    ]);
    const prov = provinces.find((r) => r.code === provCode);
    const kab = kabs.find((r) => r.code === kabCode);
    if (!prov || !kab) throw new AppError('NOT_FOUND');
    const opt = (rows: Array<{ code: string; name: string }>) =>
      rows.map((r) => ({ value: r.code, label: r.name }));
    return reply.header('cache-control', 'public, max-age=86400').send({
      prov: { code: prov.code, name: prov.name },
      kab: { code: kab.code, name: kab.name },
      kabOptions: opt(kabs),
      kecOptions: opt(kecs),
    });
  });

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
