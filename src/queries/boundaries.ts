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
  return loaded().get(provinceCode) ?? [];
}

function loaded(): Map<string, BoundaryFeature[]> {
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
  return byProvince;
}

/** [minLon, minLat, maxLon, maxLat] per feature, computed once. */
const boxes = new WeakMap<BoundaryFeature, [number, number, number, number]>();

export function boxOf(f: BoundaryFeature): [number, number, number, number] {
  let b = boxes.get(f);
  if (!b) {
    b = [Infinity, Infinity, -Infinity, -Infinity];
    for (const polygon of f.geometry.coordinates)
      for (const [lon, lat] of polygon[0] ?? [])
        b = [Math.min(b[0], lon!), Math.min(b[1], lat!), Math.max(b[2], lon!), Math.max(b[3], lat!)];
    boxes.set(f, b);
  }
  return b;
}

/** Even-odd ray casting: whether the point lies inside the ring. */
function inRing(ring: number[][], lon: number, lat: number): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi! > lat !== yj! > lat && lon < ((xj! - xi!) * (lat - yi!)) / (yj! - yi!) + xi!) inside = !inside;
  }
  return inside;
}

/**
 * The kab/kota whose (simplified) boundary contains the point, or null (sea, outside Indonesia, or a sliver
 * the simplification cut off). Point-in-polygon over the bundled boundaries; holes count (even-odd per polygon).
 */
export function kabKotaAt(lon: number, lat: number): BoundaryFeature | null {
  for (const list of loaded().values()) {
    for (const f of list) {
      const [minLon, minLat, maxLon, maxLat] = boxOf(f);
      if (lon < minLon || lon > maxLon || lat < minLat || lat > maxLat) continue;
      for (const polygon of f.geometry.coordinates) {
        let inside = false;
        for (const ring of polygon) if (inRing(ring, lon, lat)) inside = !inside;
        if (inside) return f;
      }
    }
  }
  return null;
}
