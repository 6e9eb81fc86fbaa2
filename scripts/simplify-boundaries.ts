/**
 * One-off: writes `src/assets/kabkota.simplified.geojson` from the full kab/kota boundaries
 * (`../shared/data/boundaries/kabkota.geojson`, cahyadsn/wilayah_boundaries, MIT, Cahya DSN).
 * Douglas–Peucker per ring (tolerance in degrees), coordinates rounded to 3 decimals, rings that
 * collapse below 4 points or a tiny area dropped. Why: the public statistics page draws the
 * choropleth on the server and the full file (3.8 MB) is too heavy to load per process.
 *
 * Run: `npx tsx scripts/simplify-boundaries.ts [source] [tolerance=0.01]`
 */
import { readFileSync, writeFileSync } from 'node:fs';

type Pt = [number, number];
type Ring = Pt[];

const source =
  process.argv[2] ?? new URL('../../shared/data/boundaries/kabkota.geojson', import.meta.url).pathname;
const tolerance = Number(process.argv[3] ?? 0.01);
const target = new URL('../src/assets/kabkota.simplified.geojson', import.meta.url).pathname;

/** Perpendicular distance of p from the segment a–b. */
function segDist(p: Pt, a: Pt, b: Pt): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len = dx * dx + dy * dy;
  let t = len ? ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len : 0;
  t = Math.max(0, Math.min(1, t));
  const x = a[0] + t * dx - p[0];
  const y = a[1] + t * dy - p[1];
  return Math.sqrt(x * x + y * y);
}

/** Iterative Douglas–Peucker keeping the first and last point. */
function simplify(points: Ring, tol: number): Ring {
  if (points.length < 3) return points;
  const keep = new Uint8Array(points.length);
  keep[0] = keep[points.length - 1] = 1;
  const stack: [number, number][] = [[0, points.length - 1]];
  while (stack.length) {
    const [s, e] = stack.pop()!;
    let max = 0;
    let idx = -1;
    for (let i = s + 1; i < e; i++) {
      const d = segDist(points[i]!, points[s]!, points[e]!);
      if (d > max) [max, idx] = [d, i];
    }
    if (max > tol && idx > 0) {
      keep[idx] = 1;
      stack.push([s, idx], [idx, e]);
    }
  }
  return points.filter((_, i) => keep[i]);
}

const round = (n: number) => Math.round(n * 1000) / 1000;

function area(r: Ring): number {
  let a = 0;
  for (let i = 0; i < r.length - 1; i++) a += r[i]![0] * r[i + 1]![1] - r[i + 1]![0] * r[i]![1];
  return Math.abs(a / 2);
}

function ring(r: Ring): Ring | null {
  const s = simplify(r, tolerance).map(([x, y]) => [round(x), round(y)] as Pt);
  const out: Ring = [];
  for (const p of s) {
    const last = out[out.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
  }
  if (out.length && (out[0]![0] !== out[out.length - 1]![0] || out[0]![1] !== out[out.length - 1]![1]))
    out.push(out[0]!);
  return out.length >= 4 && area(out) > tolerance * tolerance ? out : null;
}

interface Feature {
  properties: { kode: string; nama: string };
  geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown };
}
const fc = JSON.parse(readFileSync(source, 'utf8')) as { features: Feature[] };
const features = fc.features.map((f) => {
  const polys = (
    f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates
  ) as Ring[][];
  let kept = polys
    .map((p) => p.map(ring).filter((r): r is Ring => r !== null))
    .filter((p) => p.length > 0 && p[0] === p[0]);
  // Never lose a region entirely: keep its largest polygon unsimplified-but-rounded if all collapsed.
  if (!kept.length) {
    const biggest = [...polys].sort((a, b) => area(b[0]!) - area(a[0]!))[0]!;
    kept = [[biggest[0]!.map(([x, y]) => [round(x), round(y)] as Pt)]];
  }
  return {
    type: 'Feature',
    id: f.properties.kode,
    properties: { kode: f.properties.kode, nama: f.properties.nama },
    geometry: { type: 'MultiPolygon', coordinates: kept },
  };
});
const json = JSON.stringify({ type: 'FeatureCollection', features });
writeFileSync(target, json);
console.log(`${features.length} features, ${json.length} bytes → ${target}`);
