import { z } from 'zod';
import { defineWorker } from '../../machines/worker.ts';
import { artifactDir, writeArtifact } from '../lib/artifacts.ts';
import { escapeHtml } from '../lib/markdown.ts';
import { slug } from '../lib/text.ts';

const Cell = z.union([z.number(), z.string(), z.boolean(), z.null()]);
const Column = z.object({ name: z.string(), type: z.string() }).loose();

/**
 * Round tick step for a range: 1, 2 or 5 times a power of ten, giving about `target` ticks.
 *
 * @example
 * niceStep(0, 87, 5) // 20
 */
export function niceStep(min: number, max: number, target: number): number {
  const raw = (max - min) / Math.max(1, target);
  if (!(raw > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(raw));
  const f = raw / p;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
}

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(Math.abs(n) < 1 ? 3 : 2).replace(/0+$/, '').replace(/\.$/, ''));

/**
 * A horizontal bar chart as SVG: one bar per row (up to `maxBars`), labelled by
 * `labels`, drawn from a zero line so negative values extend left, with round ticks.
 *
 * @example
 * barChartSvg('Temp', ['Leeds', 'York'], [11, 13]) // '<svg xmlns=...>...</svg>'
 */
export function barChartSvg(title: string, labels: string[], values: number[]): string {
  const W = 720, left = 170, right = 40, top = 48, bar = 22, gap = 8;
  const H = top + values.length * (bar + gap) + 40;
  const lo = Math.min(0, ...values), hi = Math.max(0, ...values);
  const step = niceStep(lo, hi, 5);
  const min = Math.floor(lo / step) * step, max = Math.ceil(hi / step) * step || step;
  const x = (v: number) => left + ((v - min) / (max - min)) * (W - left - right);
  const e = escapeHtml;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12" role="img" aria-label="${e(title)}">`,
    `<title>${e(title)}</title>`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text x="${W / 2}" y="26" text-anchor="middle" font-size="16" font-weight="bold">${e(title)}</text>`,
  ];
  for (let t = min; t <= max + step / 2; t += step) {
    const tx = x(t).toFixed(1);
    out.push(`<line x1="${tx}" y1="${top - 6}" x2="${tx}" y2="${H - 34}" stroke="#e3e3e3"/>`, `<text x="${tx}" y="${H - 18}" text-anchor="middle" fill="#555">${fmt(t)}</text>`);
  }
  values.forEach((v, i) => {
    const y = top + i * (bar + gap);
    const x0 = x(Math.min(0, v)), w = Math.abs(x(v) - x(0));
    const label = labels[i].length > 24 ? `${labels[i].slice(0, 23)}…` : labels[i];
    out.push(
      `<text x="${left - 8}" y="${y + bar / 2 + 4}" text-anchor="end">${e(label)}</text>`,
      `<rect x="${x0.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${bar}" fill="${v < 0 ? '#c0504d' : '#4f81bd'}"><title>${e(`${labels[i]}: ${fmt(v)}`)}</title></rect>`,
      `<text x="${(v < 0 ? x0 - 4 : x0 + w + 4).toFixed(1)}" y="${y + bar / 2 + 4}" text-anchor="${v < 0 ? 'end' : 'start'}" fill="#333">${fmt(v)}</text>`,
    );
  });
  out.push(`<line x1="${x(0).toFixed(1)}" y1="${top - 6}" x2="${x(0).toFixed(1)}" y2="${H - 34}" stroke="#333"/>`, '</svg>');
  return out.join('\n') + '\n';
}

/**
 * Draws a bar chart of one numeric column of a table and writes it as an SVG file.
 *
 * @example
 * await renderChartWorker.run({ columns, rows, column: 'temp' }, ctx) // { path: '.../chart-temp.svg', bytes: 2048 }
 */
export const renderChartWorker = defineWorker({
  name: 'render-chart',
  description: 'Draws a bar chart (SVG file) of a numeric column of a table, one bar per row labelled by a text column.',
  input: z.object({
    columns: z.array(Column).min(1),
    rows: z.array(z.record(z.string(), Cell)),
    column: z.string().optional(),
    labelColumn: z.string().optional(),
    title: z.string().optional(),
    maxBars: z.number().int().min(1).max(500).default(40),
    outDir: z.string().optional(),
  }),
  output: z.object({ path: z.string(), bytes: z.number().int() }),
  retry: { maxAttempts: 2, initialDelayMs: 100 },
  async run({ columns, rows, column, labelColumn, title, maxBars, outDir }, ctx) {
    const numeric = columns.filter((c) => c.type === 'number').map((c) => c.name);
    const col = column ?? numeric[0];
    if (col === undefined) throw new Error(`render-chart: no numeric column to plot (columns: ${columns.map((c) => `${c.name}:${c.type}`).join(', ')})`);
    if (!columns.some((c) => c.name === col)) throw new Error(`render-chart: column ${JSON.stringify(col)} is not in the table (columns: ${columns.map((c) => c.name).join(', ')})`);
    const labelCol = labelColumn ?? columns.find((c) => c.type === 'string')?.name;
    const points = rows
      .map((r, i) => ({ label: labelCol !== undefined && r[labelCol] !== null && r[labelCol] !== undefined ? String(r[labelCol]) : `Row ${i + 1}`, value: r[col] }))
      .filter((p): p is { label: string; value: number } => typeof p.value === 'number')
      .slice(0, maxBars);
    if (points.length === 0) throw new Error(`render-chart: column ${JSON.stringify(col)} has no numeric values`);
    const svg = barChartSvg(title ?? `${col}${labelCol ? ` by ${labelCol}` : ''}`, points.map((p) => p.label), points.map((p) => p.value));
    return writeArtifact(artifactDir(ctx.runId, outDir), `chart-${slug(col)}.svg`, svg);
  },
});
