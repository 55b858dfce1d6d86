/**
 * The simulator's two charts as one standalone SVG document: the latency CDF of every
 * policy, and attempts over time. Plain strings, no DOM: the CLI writes it to a file and a
 * webview can show it as it is.
 */
import type { SimulationResult } from './simulate.js';

const WIDTH = 760;
const CHART_HEIGHT = 300;
const MARGIN = { left: 64, right: 180, top: 36, bottom: 44 };
const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

interface Series {
  readonly name: string;
  readonly points: readonly (readonly [number, number])[];
}

interface Axis {
  readonly label: string;
  readonly max: number;
  readonly format: (value: number) => string;
  /** Logarithmic from `min` (x axis only). */
  readonly logFrom?: number;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function round(value: number): string {
  return (Math.round(value * 10) / 10).toString();
}

function niceTicks(max: number, count: number): number[] {
  if (!(max > 0)) return [0];
  const rough = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((factor) => factor * magnitude).find((candidate) => candidate >= rough) ?? rough;
  const ticks: number[] = [];
  for (let tick = 0; tick <= max + step / 1e6; tick += step) ticks.push(tick);
  return ticks;
}

function logTicks(min: number, max: number): number[] {
  const ticks: number[] = [];
  for (let power = Math.floor(Math.log10(min)); 10 ** power <= max * 1.0001; power++) {
    if (10 ** power >= min / 1.0001) ticks.push(10 ** power);
  }
  return ticks;
}

export function formatMs(ms: number): string {
  if (ms >= 60_000) return `${round(ms / 60_000)} min`;
  if (ms >= 1000) return `${round(ms / 1000)} s`;
  return `${Math.round(ms)} ms`;
}

function chart(title: string, top: number, series: readonly Series[], x: Axis, y: Axis): string {
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = CHART_HEIGHT - MARGIN.top - MARGIN.bottom;
  const left = MARGIN.left;
  const plotTop = top + MARGIN.top;
  const logFrom = x.logFrom;
  const scaleX =
    logFrom !== undefined
      ? (value: number) => left + (Math.log10(Math.max(value, logFrom) / logFrom) / Math.log10(x.max / logFrom)) * plotWidth
      : (value: number) => left + (x.max > 0 ? value / x.max : 0) * plotWidth;
  const scaleY = (value: number) => plotTop + plotHeight - (y.max > 0 ? value / y.max : 0) * plotHeight;
  const parts: string[] = [`<text x="${left}" y="${top + 22}" class="title">${escapeXml(title)}</text>`];
  const xTicks = logFrom !== undefined ? logTicks(logFrom, x.max) : niceTicks(x.max, 6);
  for (const tick of xTicks) {
    const at = round(scaleX(tick));
    parts.push(`<line x1="${at}" y1="${plotTop}" x2="${at}" y2="${plotTop + plotHeight}" class="grid"/>`);
    parts.push(`<text x="${at}" y="${plotTop + plotHeight + 16}" class="tick" text-anchor="middle">${escapeXml(x.format(tick))}</text>`);
  }
  for (const tick of niceTicks(y.max, 5)) {
    const at = round(scaleY(tick));
    parts.push(`<line x1="${left}" y1="${at}" x2="${left + plotWidth}" y2="${at}" class="grid"/>`);
    parts.push(`<text x="${left - 6}" y="${at}" class="tick" text-anchor="end" dominant-baseline="middle">${escapeXml(y.format(tick))}</text>`);
  }
  parts.push(`<text x="${left + plotWidth / 2}" y="${plotTop + plotHeight + 34}" class="label" text-anchor="middle">${escapeXml(x.label)}</text>`);
  parts.push(`<text x="${left - 48}" y="${plotTop + plotHeight / 2}" class="label" text-anchor="middle" transform="rotate(-90 ${left - 48} ${round(plotTop + plotHeight / 2)})">${escapeXml(y.label)}</text>`);
  series.forEach((line, index) => {
    const colour = COLOURS[index % COLOURS.length];
    const points = line.points.map(([px, py]) => `${round(scaleX(px))},${round(scaleY(py))}`).join(' ');
    parts.push(`<polyline points="${points}" fill="none" stroke="${colour}" stroke-width="1.8"><title>${escapeXml(line.name)}</title></polyline>`);
    const legendY = plotTop + 6 + index * 18;
    parts.push(`<line x1="${left + plotWidth + 14}" y1="${legendY}" x2="${left + plotWidth + 34}" y2="${legendY}" stroke="${colour}" stroke-width="3"/>`);
    parts.push(`<text x="${left + plotWidth + 40}" y="${legendY}" class="tick" dominant-baseline="middle">${escapeXml(line.name)}</text>`);
  });
  return parts.join('\n');
}

/** Latency CDF (log time axis) above attempts per second over time. */
export function simulationChartsSvg(result: SimulationResult): string {
  const cdfSeries: Series[] = result.charts.map((charts) => ({
    name: charts.policy,
    points: charts.latencyCdf.map((point) => [point.ms, point.fraction * 100] as const),
  }));
  const latencies = result.charts.flatMap((charts) => charts.latencyCdf.map((point) => point.ms)).filter((ms) => ms > 0);
  const minMs = latencies.length > 0 ? 10 ** Math.floor(Math.log10(Math.min(...latencies))) : 1;
  const maxMs = latencies.length > 0 ? Math.max(...latencies, minMs * 10) : 10;
  const loadSeries: Series[] = result.charts.map((charts) => ({
    name: charts.policy,
    points: charts.load.flatMap((bin) => {
      const perSecond = (bin.attempts * 1000) / charts.loadBinMs;
      return [[bin.startMs / 1000, perSecond], [(bin.startMs + charts.loadBinMs) / 1000, perSecond]] as const;
    }),
  }));
  const maxSeconds = Math.max(1, ...loadSeries.flatMap((line) => line.points.map(([seconds]) => seconds)));
  const maxRate = Math.max(1, ...loadSeries.flatMap((line) => line.points.map(([, rate]) => rate)));
  const height = 2 * CHART_HEIGHT;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif">`,
    '<style>.title{font-size:14px;font-weight:bold}.tick{font-size:11px;fill:#333}.label{font-size:12px;fill:#333}.grid{stroke:#ddd;stroke-width:1}</style>',
    `<rect width="${WIDTH}" height="${height}" fill="#fff"/>`,
    chart(
      `Latency CDF: ${result.scenario} (seed ${result.seed})`,
      0,
      cdfSeries,
      { label: 'end-to-end latency (log scale)', max: maxMs, format: formatMs, logFrom: minMs },
      { label: 'requests done (%)', max: 100, format: (value) => `${Math.round(value)}%` },
    ),
    chart(
      'Attempts at the server over time',
      CHART_HEIGHT,
      loadSeries,
      { label: 'time (s)', max: maxSeconds, format: (value) => `${round(value)}` },
      { label: 'attempts per second', max: maxRate * 1.05, format: (value) => `${round(value)}` },
    ),
    '</svg>',
    '',
  ].join('\n');
}
