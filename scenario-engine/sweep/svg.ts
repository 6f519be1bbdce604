// Charts as standalone SVG files, drawn here (no plotting library): a line chart (one line per
// series), a histogram (bars as a step outline per series) and a CDF (a step line per
// series). Each has a white background, a title, axes with ticks and tick labels, axis
// labels with their unit and a legend, in plain SVG 1.1 text any browser or image viewer
// shows. The text is the same for the same data: numbers are printed with fixed rules, and
// nothing depends on the clock or the machine.

import { xmlAttribute } from '../../sim/text/xml';

/** One line (or bar series) of a chart. */
export interface Series {
  name: string;
  /** [x, y] in data units; a null y is a gap in the line. */
  points: [number, number | null][];
}

export interface LineChart {
  title: string;
  /** A second line under the title (what is held fixed). */
  subtitle?: string;
  xLabel: string;
  yLabel: string;
  /** 'log2': x on a base-2 log scale, ticks at the data's x values (payload sizes, buffer counts). */
  xScale: 'linear' | 'log2';
  series: Series[];
}

const WIDTH = 800;
const HEIGHT = 460;
const LEFT = 84;
const RIGHT = 220;
const TOP = 64;
const BOTTOM = 64;
const PLOT_W = WIDTH - LEFT - RIGHT;
const PLOT_H = HEIGHT - TOP - BOTTOM;
/** Colours distinguishable in print and for the common colour-vision deficiencies (Okabe & Ito's palette). */
const COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442'];
const DASHES = ['', '6 3', '2 3', '8 3 2 3'];

/** A number for a tick label or a coordinate: at most 3 decimals, no trailing zeros, no "-0". */
export function num(v: number): string {
  const text = (Math.round(v * 1000) / 1000).toFixed(3).replace(/\.?0+$/, '');
  return text === '-0' ? '0' : text;
}

/** Ticks of a linear axis from lo to hi: about 5, at 1-2-5 multiples, the range widened to whole ticks. */
export function niceTicks(lo: number, hi: number): number[] {
  if (!(hi > lo)) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    return niceTicks(lo - pad, hi + pad);
  }
  const raw = (hi - lo) / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  const first = Math.floor(lo / step + 1e-9);
  const last = Math.ceil(hi / step - 1e-9);
  const ticks: number[] = [];
  for (let i = first; i <= last; i++) ticks.push(Number((i * step).toPrecision(12)));
  return ticks;
}

/** A unit for durations given in ns: the largest in which the largest value is at least 1. */
export function timeUnit(maxNs: number): { unit: string; scale: number } {
  if (maxNs >= 1e9) return { unit: 's', scale: 1e9 };
  if (maxNs >= 1e6) return { unit: 'ms', scale: 1e6 };
  if (maxNs >= 1e3) return { unit: 'µs', scale: 1e3 };
  return { unit: 'ns', scale: 1 };
}

/** A prefix for a rate: k, M, G per 10^3 while the largest value is at least 1000 of it. */
export function ratePrefix(max: number): { prefix: string; scale: number } {
  if (max >= 1e9) return { prefix: 'G', scale: 1e9 };
  if (max >= 1e6) return { prefix: 'M', scale: 1e6 };
  if (max >= 1e3) return { prefix: 'k', scale: 1e3 };
  return { prefix: '', scale: 1 };
}

interface Frame {
  x: (v: number) => number;
  y: (v: number) => number;
  xTicks: number[];
  yTicks: number[];
}

/** A line of text centred on the picture, squeezed (textLength) when it would pass its edges at 12 px per 0.6 em a character. */
function centred(cls: string, y: number, size: number, text: string, extra: string): string {
  const estimate = text.length * size * 0.6;
  const fit = estimate > WIDTH - 24 ? ` textLength="${WIDTH - 24}" lengthAdjust="spacingAndGlyphs"` : '';
  return `<text class="${cls}" x="${WIDTH / 2}" y="${y}" text-anchor="middle" font-size="${size}"${extra}${fit}>${xmlAttribute(text)}</text>`;
}

function header(title: string, subtitle: string | undefined, label: string): string[] {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${xmlAttribute(label)}" font-family="Helvetica, Arial, sans-serif" font-size="12" fill="#222">`,
    `<title>${xmlAttribute(title)}</title>`,
    `<rect x="0" y="0" width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    centred('title', 26, 16, title, ' font-weight="bold"'),
    ...(subtitle === undefined ? [] : [centred('subtitle', 46, 12, subtitle, ' fill="#555"')]),
  ];
}

function axes(frame: Frame, xLabel: string, yLabel: string, xTickText: (v: number) => string, yTickText: (v: number) => string): string[] {
  const out: string[] = ['<g class="grid" stroke="#e4e4e4" stroke-width="1">'];
  for (const t of frame.yTicks) out.push(`<line x1="${LEFT}" y1="${num(frame.y(t))}" x2="${LEFT + PLOT_W}" y2="${num(frame.y(t))}"/>`);
  out.push('</g>');
  out.push(`<g class="axis x-axis"><line x1="${LEFT}" y1="${TOP + PLOT_H}" x2="${LEFT + PLOT_W}" y2="${TOP + PLOT_H}" stroke="#222" stroke-width="1"/>`);
  for (const t of frame.xTicks) {
    const x = num(frame.x(t));
    out.push(`<line x1="${x}" y1="${TOP + PLOT_H}" x2="${x}" y2="${TOP + PLOT_H + 5}" stroke="#222"/>`);
    out.push(`<text class="tick" x="${x}" y="${TOP + PLOT_H + 19}" text-anchor="middle">${xmlAttribute(xTickText(t))}</text>`);
  }
  out.push(`<text class="axis-label" x="${LEFT + PLOT_W / 2}" y="${HEIGHT - 16}" text-anchor="middle" font-size="13">${xmlAttribute(xLabel)}</text></g>`);
  out.push(`<g class="axis y-axis"><line x1="${LEFT}" y1="${TOP}" x2="${LEFT}" y2="${TOP + PLOT_H}" stroke="#222" stroke-width="1"/>`);
  for (const t of frame.yTicks) {
    const y = num(frame.y(t));
    out.push(`<line x1="${LEFT - 5}" y1="${y}" x2="${LEFT}" y2="${y}" stroke="#222"/>`);
    out.push(`<text class="tick" x="${LEFT - 8}" y="${num(frame.y(t) + 4)}" text-anchor="end">${xmlAttribute(yTickText(t))}</text>`);
  }
  const cy = TOP + PLOT_H / 2;
  out.push(`<text class="axis-label" x="20" y="${cy}" text-anchor="middle" font-size="13" transform="rotate(-90 20 ${cy})">${xmlAttribute(yLabel)}</text></g>`);
  return out;
}

function legend(series: readonly { name: string }[], mark: 'line' | 'box'): string[] {
  const x = LEFT + PLOT_W + 16;
  const out = [`<g class="legend"><text x="${x}" y="${TOP + 4}" font-weight="bold">Legend</text>`];
  series.forEach((s, i) => {
    const y = TOP + 24 + i * 20;
    const colour = COLOURS[i % COLOURS.length]!;
    const dash = DASHES[Math.floor(i / COLOURS.length) % DASHES.length]!;
    out.push(
      mark === 'line'
        ? `<line x1="${x}" y1="${y - 4}" x2="${x + 24}" y2="${y - 4}" stroke="${colour}" stroke-width="2"${dash === '' ? '' : ` stroke-dasharray="${dash}"`}/>`
        : `<rect x="${x}" y="${y - 10}" width="24" height="12" fill="${colour}" fill-opacity="0.35" stroke="${colour}" stroke-width="1.5"/>`,
    );
    out.push(`<text x="${x + 30}" y="${y}">${xmlAttribute(s.name)}</text>`);
  });
  out.push('</g>');
  return out;
}

function linear(lo: number, hi: number, from: number, to: number): (v: number) => number {
  return (v) => from + ((v - lo) / (hi - lo)) * (to - from);
}

function noData(out: string[]): void {
  out.push(`<text class="no-data" x="${LEFT + PLOT_W / 2}" y="${TOP + PLOT_H / 2}" text-anchor="middle" font-size="14" fill="#555">no data: no point of this chart ran</text>`);
}

/** A line chart: one polyline with markers per series. */
export function lineChartSvg(chart: LineChart): string {
  const out = header(chart.title, chart.subtitle, chart.title);
  const xs = [...new Set(chart.series.flatMap((s) => s.points.map((p) => p[0])))].sort((a, b) => a - b);
  const ys = chart.series.flatMap((s) => s.points.map((p) => p[1]).filter((v): v is number => v !== null));
  const yTicks = niceTicks(Math.min(0, ...ys), ys.length === 0 ? 1 : Math.max(...ys));
  let x: (v: number) => number;
  let xTicks: number[];
  if (chart.xScale === 'log2' && xs.length > 0 && xs[0]! > 0) {
    const lo = Math.log2(xs[0]!);
    const hi = Math.log2(xs[xs.length - 1]!);
    const pad = hi > lo ? (hi - lo) * 0.05 : 1;
    const to = linear(lo - pad, hi + pad, LEFT, LEFT + PLOT_W);
    x = (v) => to(Math.log2(v));
    xTicks = xs;
  } else {
    xTicks = niceTicks(xs.length === 0 ? 0 : xs[0]!, xs.length === 0 ? 1 : xs[xs.length - 1]!);
    x = linear(xTicks[0]!, xTicks[xTicks.length - 1]!, LEFT, LEFT + PLOT_W);
  }
  const y = linear(yTicks[0]!, yTicks[yTicks.length - 1]!, TOP + PLOT_H, TOP);
  out.push(...axes({ x, y, xTicks, yTicks }, chart.xLabel, chart.yLabel, num, num));
  if (ys.length === 0) noData(out);
  out.push('<g class="series">');
  chart.series.forEach((s, i) => {
    const colour = COLOURS[i % COLOURS.length]!;
    const dash = DASHES[Math.floor(i / COLOURS.length) % DASHES.length]!;
    const runs: [number, number][][] = [[]];
    for (const [px, py] of [...s.points].sort((a, b) => a[0] - b[0])) {
      if (py === null) runs.push([]);
      else runs[runs.length - 1]!.push([px, py]);
    }
    out.push(`<g class="line" stroke="${colour}" fill="${colour}"><title>${xmlAttribute(s.name)}</title>`);
    for (const run of runs.filter((r) => r.length > 1)) {
      out.push(`<polyline fill="none" stroke-width="2"${dash === '' ? '' : ` stroke-dasharray="${dash}"`} points="${run.map(([px, py]) => `${num(x(px))},${num(y(py))}`).join(' ')}"/>`);
    }
    for (const [px, py] of runs.flat()) out.push(`<circle cx="${num(x(px))}" cy="${num(y(py))}" r="3"><title>${xmlAttribute(`${s.name}: ${num(px)}, ${num(py)}`)}</title></circle>`);
    out.push('</g>');
  });
  out.push('</g>', ...legend(chart.series, 'line'), '</svg>', '');
  return out.join('\n');
}

/** A histogram of one series: bin edges and counts. */
export interface HistogramSeries {
  name: string;
  edges: number[];
  counts: number[];
}

function histogramFrame(series: readonly HistogramSeries[], yMax: number): { frame: Frame; scale: { unit: string; scale: number } } | null {
  const edges = series.flatMap((s) => s.edges);
  if (edges.length === 0) return null;
  const scale = timeUnit(Math.max(...edges));
  const xTicks = niceTicks(Math.min(...edges) / scale.scale, Math.max(...edges) / scale.scale);
  const yTicks = niceTicks(0, yMax);
  return {
    frame: {
      x: linear(xTicks[0]! * scale.scale, xTicks[xTicks.length - 1]! * scale.scale, LEFT, LEFT + PLOT_W),
      y: linear(yTicks[0]!, yTicks[yTicks.length - 1]!, TOP + PLOT_H, TOP),
      xTicks: xTicks.map((t) => t * scale.scale),
      yTicks,
    },
    scale,
  };
}

/**
 * A chart of latency distributions (histograms, edges in ns): the frame, the axes (latency in
 * the unit that suits the data; `yLabel` up to `yMax`) or "no data", one path per series from
 * `path`, and the legend; what the histogram and the CDF share.
 */
function distributionSvg(title: string, subtitle: string, series: readonly HistogramSeries[], yMax: number, yLabel: string, legendKind: 'box' | 'line', path: (s: HistogramSeries, i: number, frame: Frame) => string): string {
  const out = header(title, subtitle, title);
  const made = histogramFrame(series, yMax);
  if (made === null) {
    out.push(...axes({ x: linear(0, 1, LEFT, LEFT + PLOT_W), y: linear(0, 1, TOP + PLOT_H, TOP), xTicks: [0, 1], yTicks: [0, 1] }, 'latency (ns)', yLabel, num, num));
    noData(out);
  } else {
    const { frame, scale } = made;
    out.push(...axes(frame, `latency (${scale.unit})`, yLabel, (v) => num(v / scale.scale), num));
    out.push('<g class="series">');
    series.forEach((s, i) => {
      if (s.edges.length > 0) out.push(path(s, i, frame));
    });
    out.push('</g>');
  }
  out.push(...legend(series, legendKind), '</svg>', '');
  return out.join('\n');
}

/** Histograms (edges in ns) as step outlines filled lightly, one per series. */
export function histogramSvg(title: string, subtitle: string, series: readonly HistogramSeries[]): string {
  const yMax = Math.max(1, ...series.flatMap((s) => s.counts));
  return distributionSvg(title, subtitle, series, yMax, 'values per bin (count)', 'box', (s, i, frame) => {
    const colour = COLOURS[i % COLOURS.length]!;
    const base = num(frame.y(0));
    const path = [`M${num(frame.x(s.edges[0]!))},${base}`];
    s.counts.forEach((c, j) => path.push(`V${num(frame.y(c))}`, `H${num(frame.x(s.edges[j + 1]!))}`));
    path.push(`V${base}`, 'Z');
    return `<path class="bars" d="${path.join(' ')}" fill="${colour}" fill-opacity="0.35" stroke="${colour}" stroke-width="1.5"><title>${xmlAttribute(s.name)}</title></path>`;
  });
}

/** Cumulative distributions from histograms (edges in ns): the fraction of values up to each bin's upper edge. */
export function cdfSvg(title: string, subtitle: string, series: readonly HistogramSeries[]): string {
  return distributionSvg(title, subtitle, series, 1, 'fraction at or below (0 to 1)', 'line', (s, i, frame) => {
    const colour = COLOURS[i % COLOURS.length]!;
    const dash = DASHES[Math.floor(i / COLOURS.length) % DASHES.length]!;
    const total = s.counts.reduce((a, b) => a + b, 0);
    const path = [`M${num(frame.x(s.edges[0]!))},${num(frame.y(0))}`];
    let seen = 0;
    s.counts.forEach((c, j) => {
      seen += c;
      path.push(`H${num(frame.x(s.edges[j + 1]!))}`, `V${num(frame.y(seen / total))}`);
    });
    return `<path class="cdf" d="${path.join(' ')}" fill="none" stroke="${colour}" stroke-width="2"${dash === '' ? '' : ` stroke-dasharray="${dash}"`}><title>${xmlAttribute(s.name)}</title></path>`;
  });
}
