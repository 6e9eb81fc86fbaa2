/**
 * Server-rendered SVG charts for the statistics pages: monthly received/completed bars, horizontal
 * on-time-rate bars and a kab/kota choropleth (d3-scale, d3-shape, d3-geo). Each chart is an
 * `<svg role="img">` named by its `<title>` and described by its `<desc>`, inside a `<figure>` whose
 * data table (rendered next to it by the page) is the accessible equivalent.
 * Why: charts must work without JavaScript and stay light (issue 3, issue 6; docs/statistics.md).
 */
import type { VNode } from 'preact';
import { scaleBand, scaleLinear, scaleQuantize } from 'd3-scale';
import { line } from 'd3-shape';
import { geoMercator, geoPath, type GeoPermissibleObjects } from 'd3-geo';

/** Sequential palette (light → dark blue); every step keeps a visible border, values are in the table. */
export const CHOROPLETH_COLOURS = ['#eef4fb', '#c6dbef', '#6baed6', '#2171b5', '#08306b'] as const;

/** Accessible name and description of a chart. */
interface ChartText {
  id: string;
  title: string;
  desc: string;
  /** Writes a number in the page language (default: Indonesian grouping, `1.500`). */
  format?: (n: number) => string;
}

function Frame(p: ChartText & { width: number; height: number; children: unknown }): VNode {
  return (
    <svg
      class="chart"
      viewBox={`0 0 ${p.width} ${p.height}`}
      role="img"
      aria-labelledby={`${p.id}-title ${p.id}-desc`}
      focusable="false"
    >
      <title id={`${p.id}-title`}>{p.title}</title>
      <desc id={`${p.id}-desc`}>{p.desc}</desc>
      {p.children as VNode}
    </svg>
  );
}

const idNumber = new Intl.NumberFormat('id-ID');
const idFormat = (n: number) => idNumber.format(Math.round(n));

/** Received (bars) and completed (line with dots) per month. */
export function MonthlyChart(
  p: ChartText & {
    months: { label: string; received: number; completed: number }[];
    legend: { received: string; completed: string };
  },
): VNode {
  const fmt = p.format ?? idFormat;
  const W = 640;
  const H = 260;
  const m = { top: 28, right: 12, bottom: 36, left: 48 };
  const x = scaleBand<string>()
    .domain(p.months.map((d) => d.label))
    .range([m.left, W - m.right])
    .padding(0.25);
  const max = Math.max(1, ...p.months.map((d) => Math.max(d.received, d.completed)));
  const y = scaleLinear()
    .domain([0, max])
    .nice(4)
    .range([H - m.bottom, m.top]);
  const cx = (label: string) => (x(label) ?? 0) + x.bandwidth() / 2;
  const path =
    line<{ label: string; completed: number }>()
      .x((d) => cx(d.label))
      .y((d) => y(d.completed))(p.months) ?? '';
  return (
    <Frame {...p} width={W} height={H}>
      <g class="axis">
        {y.ticks(4).map((tk) => (
          <g key={tk}>
            <line x1={m.left} x2={W - m.right} y1={y(tk)} y2={y(tk)} class="grid" />
            <text x={m.left - 6} y={y(tk) + 4} text-anchor="end">
              {fmt(tk)}
            </text>
          </g>
        ))}
        {p.months.map((d) => (
          <text key={d.label} x={cx(d.label)} y={H - m.bottom + 16} text-anchor="middle">
            {d.label}
          </text>
        ))}
      </g>
      {p.months.map((d) => (
        <rect
          key={d.label}
          class="bar-received"
          x={x(d.label)}
          y={y(d.received)}
          width={x.bandwidth()}
          height={Math.max(0, H - m.bottom - y(d.received))}
        />
      ))}
      <path d={path} class="line-completed" fill="none" />
      {p.months.map((d) => (
        <circle key={d.label} class="dot-completed" cx={cx(d.label)} cy={y(d.completed)} r={4} />
      ))}
      <g class="legend" transform={`translate(${m.left},12)`}>
        <rect class="bar-received" width={12} height={12} y={-9} />
        <text x={18}>{p.legend.received}</text>
        <circle class="dot-completed" cx={186} cy={-3} r={5} />
        <text x={196}>{p.legend.completed}</text>
      </g>
    </Frame>
  );
}

/** Horizontal bars of a rate (0–1) per row, with the percentage written at the end of each bar. */
export function RateChart(p: ChartText & { rows: { label: string; rate: number | null }[] }): VNode {
  const W = 640;
  const rowH = 26;
  const m = { top: 8, right: 56, bottom: 8, left: 230 };
  const H = m.top + m.bottom + rowH * Math.max(1, p.rows.length);
  const x = scaleLinear()
    .domain([0, 1])
    .range([m.left, W - m.right]);
  return (
    <Frame {...p} width={W} height={H}>
      {p.rows.map((r, i) => {
        const yy = m.top + i * rowH;
        const label = r.label.length > 30 ? `${r.label.slice(0, 29)}…` : r.label;
        return (
          <g key={r.label} class="axis">
            <text x={m.left - 8} y={yy + 17} text-anchor="end">
              {label}
            </text>
            <rect class="bar-track" x={m.left} y={yy + 4} width={x(1) - m.left} height={rowH - 8} />
            <rect class="bar-rate" x={m.left} y={yy + 4} width={x(r.rate ?? 0) - m.left} height={rowH - 8} />
            <text x={x(1) + 6} y={yy + 17}>
              {r.rate === null ? '–' : `${Math.round(r.rate * 100)}%`}
            </text>
          </g>
        );
      })}
    </Frame>
  );
}

/** A GeoJSON feature of the simplified kab/kota boundaries. */
export interface RegionFeature {
  type: 'Feature';
  id?: string;
  properties: { kode: string; nama: string };
  geometry: GeoPermissibleObjects;
}

/** Projected SVG paths per feature list (the boundaries are loaded once per process, so this is too). */
const projectedPaths = new WeakMap<readonly RegionFeature[], Map<string, string>>();

function pathsOf(
  features: readonly RegionFeature[],
  W: number,
  H: number,
  legendH: number,
): Map<string, string> {
  const hit = projectedPaths.get(features);
  if (hit) return hit;
  const fc = { type: 'FeatureCollection', features } as unknown as GeoPermissibleObjects;
  const projection = geoMercator().fitExtent(
    [
      [8, 8],
      [W - 8, H - legendH - 8],
    ],
    fc,
  );
  const path = geoPath(projection).digits(1);
  const out = new Map(features.map((f) => [f.properties.kode, path(f.geometry) ?? '']));
  projectedPaths.set(features, out);
  return out;
}

/** Choropleth of kab/kota values (quantized into 5 classes) with a legend of the class ranges. */
export function Choropleth(
  p: ChartText & {
    features: RegionFeature[];
    values: Map<string, number>;
    noDataLabel: string;
  },
): VNode {
  const fmt = p.format ?? idFormat;
  const W = 640;
  const H = 420;
  const legendH = 40;
  const paths = pathsOf(p.features, W, H, legendH);
  const max = Math.max(1, ...p.values.values());
  const colour = scaleQuantize<string>()
    .domain([0, max])
    .range([...CHOROPLETH_COLOURS]);
  const bins = CHOROPLETH_COLOURS.map((c) => {
    const [a, b] = colour.invertExtent(c);
    return { c, label: `${fmt(a)}–${fmt(b)}` };
  });
  return (
    <Frame {...p} width={W} height={H}>
      {p.features.map((f) => {
        const v = p.values.get(f.properties.kode);
        return (
          <path
            key={f.properties.kode}
            d={paths.get(f.properties.kode) ?? ''}
            class="region"
            fill={v === undefined ? '#ffffff' : colour(v)}
          >
            <title>{`${f.properties.nama}: ${v === undefined ? p.noDataLabel : fmt(v)}`}</title>
          </path>
        );
      })}
      <g class="axis" transform={`translate(8,${H - legendH + 8})`}>
        {bins.map((b, i) => (
          <g key={b.c} transform={`translate(${i * 124},0)`}>
            <rect width={18} height={14} fill={b.c} class="region" />
            <text x={24} y={12}>
              {b.label}
            </text>
          </g>
        ))}
      </g>
    </Frame>
  );
}
