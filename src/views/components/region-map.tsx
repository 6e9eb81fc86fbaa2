/**
 * A lightweight map for placing a point on the report form's "where" step: the kab/kota outlines of a
 * province from the bundled boundaries (no tile server), drawn as SVG in an equirectangular projection
 * (x = longitude × K, y = −latitude × K), so the browser script turns a click into latitude/longitude with
 * the SVG's own coordinate transform. The chosen kab/kota is highlighted and framed; its neighbours give
 * context.
 *
 * Accessibility notes: the map is an image with a title (`role="img"`); it only adds a pointer way to fill
 * the latitude/longitude inputs, which stay visible and typeable, so keyboard and no-JavaScript users lose
 * nothing.
 */
import type { VNode } from 'preact';
import type { BoundaryFeature } from '../../queries/boundaries.ts';

/** Scale of the projection: SVG units per degree. */
export const MAP_SCALE = 1000;

const r1 = (x: number) => Math.round(x * 10) / 10;

function pathOf(f: BoundaryFeature): string {
  return f.geometry.coordinates
    .flatMap((polygon) =>
      polygon.map(
        (ring) =>
          `M${ring.map(([lon, lat]) => `${r1(lon! * MAP_SCALE)} ${r1(-lat! * MAP_SCALE)}`).join('L')}Z`,
      ),
    )
    .join('');
}

/** [minLon, minLat, maxLon, maxLat] of features. */
export function boundsOf(features: BoundaryFeature[]): [number, number, number, number] {
  let b: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const f of features)
    for (const polygon of f.geometry.coordinates)
      for (const ring of polygon)
        for (const [lon, lat] of ring)
          b = [Math.min(b[0], lon!), Math.min(b[1], lat!), Math.max(b[2], lon!), Math.max(b[3], lat!)];
  return b;
}

/** The map of `features`, framed on `focus` (a kab/kota code) when given, else on all of them. */
export function RegionMap(p: {
  features: BoundaryFeature[];
  focus?: string | undefined;
  title: string;
}): VNode {
  const focused = p.features.filter((f) => f.properties.kode === p.focus);
  const [minLon, minLat, maxLon, maxLat] = boundsOf(focused.length ? focused : p.features);
  const pad = Math.max(maxLon - minLon, maxLat - minLat) * 0.05;
  const x = r1((minLon - pad) * MAP_SCALE);
  const y = r1(-(maxLat + pad) * MAP_SCALE);
  const w = r1((maxLon - minLon + 2 * pad) * MAP_SCALE);
  const h = r1((maxLat - minLat + 2 * pad) * MAP_SCALE);
  return (
    <svg
      xmlns="http://www.w3.org/2000/svg"
      viewBox={`${x} ${y} ${w} ${h}`}
      data-k={String(MAP_SCALE)}
      role="img"
      aria-labelledby="region-map-title"
      style="display:block;width:100%;max-height:22rem;background:#eef4f8;border:1px solid #505a5f;cursor:crosshair"
    >
      <title id="region-map-title">{p.title}</title>
      {p.features.map((f) => {
        const on = f.properties.kode === p.focus;
        return (
          <path
            key={f.properties.kode}
            d={pathOf(f)}
            data-kode={f.properties.kode}
            class={on ? 'region-focus' : undefined}
            fill={on ? '#cfe3d6' : '#ffffff'}
            stroke={on ? '#0a4d28' : '#6f777b'}
            stroke-width={on ? 2.5 : 1}
            vector-effect="non-scaling-stroke"
          />
        );
      })}
    </svg>
  );
}
