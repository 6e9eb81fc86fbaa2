/**
 * Kab/kota boundaries for the choropleth: the simplified GeoJSON shipped in `src/assets/`
 * (written by `scripts/simplify-boundaries.ts` from cahyadsn/wilayah_boundaries, MIT, Cahya DSN),
 * read once per process and indexed by province code.
 * Why: the statistics pages draw maps on the server; one read keeps page views cheap.
 */
import { readFileSync } from 'node:fs';

/** One kab/kota feature (geometry is a GeoJSON MultiPolygon). */
export interface BoundaryFeature {
  type: 'Feature';
  id?: string;
  properties: { kode: string; nama: string };
  geometry: { type: 'MultiPolygon'; coordinates: number[][][][] };
}

let byProvince: Map<string, BoundaryFeature[]> | null = null;

/** The kab/kota features of a province (`'64'`), in code order; empty for an unknown code. */
export function kabKotaBoundaries(provinceCode: string): BoundaryFeature[] {
  if (!byProvince) {
    const file = new URL('../assets/kabkota.simplified.geojson', import.meta.url);
    const fc = JSON.parse(readFileSync(file, 'utf8')) as { features: BoundaryFeature[] };
    byProvince = new Map();
    for (const f of fc.features) {
      const prov = f.properties.kode.split('.')[0]!;
      const list = byProvince.get(prov) ?? [];
      list.push(f);
      byProvince.set(prov, list);
    }
  }
  return byProvince.get(provinceCode) ?? [];
}
