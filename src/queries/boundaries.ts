/**
 * Kab/kota boundaries for the choropleth and for placing reported points: the simplified GeoJSON shipped in
 * `src/assets/` (written by `scripts/simplify-boundaries.ts` from cahyadsn/wilayah_boundaries, MIT, Cahya DSN),
 * read once per process and indexed by province code.
 * Why: the statistics pages draw maps on the server and intake files a point-only report under the kab/kota of
 * its point (`kabKotaOfPoint`); one read keeps both cheap.
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

/**
 * How far outside the simplified boundaries a reported point may lie and still belong to the nearest kab/kota.
 * Why: the boundaries are simplified with a 0.01° (≈1.1 km) Douglas–Peucker tolerance and rounded to 0.001°,
 * so coastlines run up to ~1.2 km inside the real ones and harbours, seafronts and piers (Semayang in
 * Balikpapan, Losari in Makassar, Sanur) fall just outside every polygon. Further out is open sea.
 */
export const POINT_TOLERANCE_KM = 1.5;

/** Kilometres per degree of latitude (and of longitude at the equator). */
const KM_PER_DEGREE = 111.32;

/** Distance in km from the point to the closest edge of the feature (local equirectangular projection). */
function kmToEdge(f: BoundaryFeature, lon: number, lat: number): number {
  const k = Math.cos((lat * Math.PI) / 180);
  let best = Infinity;
  for (const polygon of f.geometry.coordinates)
    for (const ring of polygon)
      for (let i = 0; i + 1 < ring.length; i++) {
        const ax = (ring[i]![0]! - lon) * k;
        const ay = ring[i]![1]! - lat;
        const dx = (ring[i + 1]![0]! - lon) * k - ax;
        const dy = ring[i + 1]![1]! - lat - ay;
        const len = dx * dx + dy * dy;
        const t = len ? Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len)) : 0;
        best = Math.min(best, Math.hypot(ax + t * dx, ay + t * dy));
      }
  return best * KM_PER_DEGREE;
}

/**
 * The kab/kota a reported point belongs to: the one whose boundary contains it, else the nearest one whose
 * boundary lies within `toleranceKm` (see POINT_TOLERANCE_KM), else null (open sea, abroad).
 * Why: intake files a point-only report under this kab/kota, so its coordinator verifies it in the right zone.
 */
export function kabKotaOfPoint(
  lon: number,
  lat: number,
  toleranceKm = POINT_TOLERANCE_KM,
): BoundaryFeature | null {
  const inside = kabKotaAt(lon, lat);
  if (inside || !(toleranceKm > 0)) return inside;
  const dLat = toleranceKm / KM_PER_DEGREE;
  const dLon = dLat / Math.max(Math.cos((lat * Math.PI) / 180), 0.01);
  let nearest: BoundaryFeature | null = null;
  let nearestKm = toleranceKm;
  for (const list of loaded().values()) {
    for (const f of list) {
      const [minLon, minLat, maxLon, maxLat] = boxOf(f);
      if (lon < minLon - dLon || lon > maxLon + dLon || lat < minLat - dLat || lat > maxLat + dLat) continue;
      const km = kmToEdge(f, lon, lat);
      if (km <= nearestKm) [nearest, nearestKm] = [f, km];
    }
  }
  return nearest;
}
