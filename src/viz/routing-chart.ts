import { FONT, textWidth } from './layout.ts';
import { escapeXml } from './svg.ts';
import { formatDuration } from './timeline.ts';

/**
 * The routing charts of one capability, as standalone SVG (laid out here, like the timeline, so
 * the page needs no layout code): bars of each candidate's success rate, mean cost and p50
 * latency; and a strip of the choices over time (x: run start, one row per candidate, colour:
 * the policy version that chose, filled / ring / dashed: succeeded / failed / no outcome yet).
 */

/** What the charts read of a candidate (structurally the viewer's `CandidateStats`). */
export interface ChartCandidate {
  worker: string;
  attempts: number;
  successRate: number | null;
  meanCost: number | null;
  p50LatencyMs: number | null;
}

/** What the strip reads of a decision (structurally the viewer's `RoutingChoice`). */
export interface ChartChoice {
  runId: string;
  runStartedAt: number;
  step: string;
  attempt: number;
  worker: string;
  policy: string;
  version: string;
  outcome: 'succeeded' | 'failed' | 'unfinished';
}

export interface ChartCapability {
  capability: string;
  candidates: readonly ChartCandidate[];
  choices: readonly ChartChoice[];
  policies: readonly { policy: string; version: string; decisions: number; firstRunAt: number }[];
}

const COLOR = { success: '#2f9e44', cost: '#e67700', latency: '#1c7ed6', track: '#f1f3f5', grid: '#e9ecef', muted: '#868e96', text: '#212529' };
/** One colour per policy version, in the order they first decided (cycled past nine). */
const PALETTE = ['#1c7ed6', '#e8590c', '#2f9e44', '#9c36b5', '#0c8599', '#c2255c', '#5c940d', '#495057', '#f08c00'];
const n = (v: number) => Math.round(v * 10) / 10;

/** `0.00213` → `0.00213`, `12.3456` → `12.3`: three significant digits. */
function fmtCost(c: number): string {
  return c === 0 ? '0' : String(Number(c.toPrecision(3)));
}

function open(cls: string, width: number, height: number, title: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" class="${cls}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family='${FONT.family}' font-size="${FONT.size}"><title>${escapeXml(title)}</title><rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`;
}

/** The candidate label column: wide enough for the names (bold) and their attempt counts, within bounds. */
function labelWidth(candidates: readonly { worker: string }[]): number {
  return Math.min(240, Math.max(120, ...candidates.map((c) => Math.ceil(textWidth(c.worker) * 1.1) + 64)));
}

/** A name cut to fit `px` of bold 12 px text, with an ellipsis. */
function fit(name: string, px: number): string {
  const max = Math.floor(px / (FONT.charW * 1.1));
  return name.length <= max ? name : `${name.slice(0, Math.max(1, max - 1))}…`;
}

/**
 * Bars per candidate: success rate (0–100%), mean cost and p50 latency (each from 0 to the
 * largest candidate's value), with the value written at the end of each bar.
 *
 * @example
 * const svg = renderRoutingBarsSvg(report.capabilities[0], { width: 1200 });
 */
export function renderRoutingBarsSvg(cap: ChartCapability, options: { width?: number } = {}): string {
  const width = Math.max(600, Math.round(options.width ?? 900));
  const labelW = labelWidth(cap.candidates);
  const gap = 24;
  const panelW = (width - labelW - 2 * gap - 8) / 3;
  const rowH = 28;
  const top = 28;
  const height = top + Math.max(1, cap.candidates.length) * rowH + 8;
  const maxCost = Math.max(0, ...cap.candidates.map((c) => c.meanCost ?? 0));
  const maxLatency = Math.max(0, ...cap.candidates.map((c) => c.p50LatencyMs ?? 0));
  const metrics = [
    { key: 'success', title: 'success rate', color: COLOR.success, value: (c: ChartCandidate) => c.successRate, frac: (v: number) => v, label: (v: number) => `${Math.round(v * 100)}%` },
    { key: 'cost', title: 'mean cost', color: COLOR.cost, value: (c: ChartCandidate) => c.meanCost, frac: (v: number) => (maxCost ? v / maxCost : 0), label: fmtCost },
    { key: 'latency', title: 'p50 latency', color: COLOR.latency, value: (c: ChartCandidate) => c.p50LatencyMs, frac: (v: number) => (maxLatency ? v / maxLatency : 0), label: formatDuration },
  ];
  const valueRoom = 62; // right of the longest bar, for its value
  const out = [open('oa-routing-bars', width, height, `routing of ${cap.capability}: success rate, mean cost and p50 latency per candidate`)];
  metrics.forEach((m, k) => {
    const x0 = labelW + k * (panelW + gap);
    out.push(`<text x="${n(x0)}" y="16" font-weight="600" fill="${m.color}">${escapeXml(m.title)}</text>`);
  });
  cap.candidates.forEach((c, i) => {
    const y = top + i * rowH;
    out.push(`<g class="candidate" data-worker="${escapeXml(c.worker)}"><title>${escapeXml(`${c.worker}: chosen ${c.attempts} time${c.attempts === 1 ? '' : 's'}`)}</title>`);
    out.push(`<text x="8" y="${y + 18}" font-weight="600">${escapeXml(fit(c.worker, labelW - 64))}</text>`);
    out.push(`<text x="${labelW - 10}" y="${y + 18}" font-size="${FONT.small}" fill="${COLOR.muted}" text-anchor="end">n=${c.attempts}</text>`);
    metrics.forEach((m, k) => {
      const x0 = labelW + k * (panelW + gap);
      const barMax = panelW - valueRoom;
      const v = m.value(c);
      out.push(`<rect x="${n(x0)}" y="${y + 6}" width="${n(barMax)}" height="16" rx="3" fill="${COLOR.track}"/>`);
      if (v === null) {
        out.push(`<text class="value none" x="${n(x0 + 6)}" y="${y + 18}" font-size="${FONT.small}" fill="${COLOR.muted}">no data</text>`);
        return;
      }
      const w = Math.max(v > 0 ? 2 : 0, m.frac(v) * barMax);
      out.push(`<rect class="bar ${m.key}" data-value="${v}" x="${n(x0)}" y="${y + 6}" width="${n(w)}" height="16" rx="3" fill="${m.color}"/>`);
      out.push(`<text class="value ${m.key}" x="${n(x0 + w + 5)}" y="${y + 18}" font-size="${FONT.small}" fill="${COLOR.text}">${escapeXml(m.label(v))}</text>`);
    });
    out.push('</g>');
  });
  out.push('</svg>');
  return out.join('\n');
}

/** A tick spacing for a time span: the first of these that gives at most `target` ticks. */
const TICKS = [1e3, 5e3, 15e3, 6e4, 3e5, 9e5, 18e5, 36e5, 3 * 36e5, 6 * 36e5, 12 * 36e5, 864e5, 2 * 864e5, 3 * 864e5, 7 * 864e5, 30 * 864e5, 365 * 864e5];

/** A clock label for a tick: the date when the axis spans days, seconds when ticks are that close. */
function tickLabel(t: number, spanMs: number, stepMs: number): string {
  const iso = new Date(t).toISOString();
  if (spanMs >= 864e5) return `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
  return stepMs < 6e4 ? iso.slice(11, 19) : iso.slice(11, 16);
}

/** Where the legend's items go, wrapping at the chart's width. */
function legendItems(labels: string[], width: number, x0: number): { x: number; y: number }[] {
  let x = x0;
  let y = 16;
  return labels.map((l) => {
    const w = textWidth(l, true) + 28;
    if (x > x0 && x + w > width - 8) {
      x = x0;
      y += 18;
    }
    const at = { x, y };
    x += w;
    return at;
  });
}

/**
 * The choices over time: one dot per decision at its run's start, on its candidate's row,
 * coloured by the policy version that made it; a dashed line where a new version took over.
 *
 * @example
 * const svg = renderRoutingChoicesSvg(report.capabilities[0], { width: 1200 });
 */
export function renderRoutingChoicesSvg(cap: ChartCapability, options: { width?: number } = {}): string {
  const width = Math.max(600, Math.round(options.width ?? 900));
  const labelW = labelWidth(cap.candidates);
  const versionKey = (p: { policy: string; version: string }) => `${p.policy}\u0000${p.version}`;
  const colors = new Map(cap.policies.map((p, i) => [versionKey(p), PALETTE[i % PALETTE.length]]));
  const names = cap.policies.map((p) => `${p.policy} v${p.version} (${p.decisions})`);
  const outcomeNames = ['succeeded', 'failed', 'no outcome yet'];
  const places = legendItems([...names, ...outcomeNames], width, 8);
  const top = places.length ? places[places.length - 1].y + 18 : 16;
  const rowH = 26;
  const rows = new Map(cap.candidates.map((c, i) => [c.worker, i]));
  const plotTop = top + 4;
  const height = plotTop + Math.max(1, cap.candidates.length) * rowH + 36;
  const plotL = labelW + 12;
  const plotR = width - 16;
  const starts = cap.choices.map((c) => c.runStartedAt);
  const t0 = starts.length ? Math.min(...starts) : 0;
  const t1 = starts.length ? Math.max(...starts) : 0;
  const span = t1 - t0;
  const x = (t: number) => (span ? plotL + ((t - t0) / span) * (plotR - plotL) : (plotL + plotR) / 2);
  const out = [open('oa-routing-choices', width, height, `routing of ${cap.capability}: the candidate chosen at each run, by policy version`)];

  // Legend: policy versions (colour), then outcomes (shape).
  places.forEach((p, i) => {
    const cy = p.y - 4;
    if (i < names.length) {
      out.push(`<g class="legend version" data-version="${escapeXml(cap.policies[i].version)}"><circle cx="${n(p.x + 6)}" cy="${cy}" r="5" fill="${colors.get(versionKey(cap.policies[i]))}"/><text x="${n(p.x + 16)}" y="${p.y}" font-size="${FONT.small}">${escapeXml(names[i])}</text></g>`);
    } else {
      const o = ['succeeded', 'failed', 'unfinished'][i - names.length] as ChartChoice['outcome'];
      out.push(`<g class="legend outcome">${dot(p.x + 6, cy, COLOR.muted, o)}<text x="${n(p.x + 16)}" y="${p.y}" font-size="${FONT.small}" fill="${COLOR.muted}">${escapeXml(outcomeNames[i - names.length])}</text></g>`);
    }
  });

  // Rows and time ticks.
  const plotBottom = plotTop + Math.max(1, cap.candidates.length) * rowH;
  cap.candidates.forEach((c, i) => {
    const y = plotTop + i * rowH;
    out.push(`<rect x="${plotL - 8}" y="${y + 2}" width="${n(plotR - plotL + 16)}" height="${rowH - 4}" fill="${i % 2 ? '#ffffff' : '#f8f9fa'}"/>`);
    out.push(`<text x="8" y="${y + 17}" font-weight="600">${escapeXml(fit(c.worker, labelW - 20))}</text>`);
  });
  const stepMs = TICKS.find((s) => span / s <= Math.max(2, Math.floor((plotR - plotL) / 110))) ?? TICKS[TICKS.length - 1];
  if (span) {
    for (let t = Math.ceil(t0 / stepMs) * stepMs; t <= t1; t += stepMs) {
      out.push(`<line x1="${n(x(t))}" y1="${plotTop}" x2="${n(x(t))}" y2="${plotBottom + 4}" stroke="${COLOR.grid}"/>`);
      out.push(`<text x="${n(x(t))}" y="${plotBottom + 18}" font-size="${FONT.small}" fill="${COLOR.muted}" text-anchor="middle">${escapeXml(tickLabel(t, span, stepMs))}</text>`);
    }
  } else if (starts.length) {
    out.push(`<text x="${n(x(t0))}" y="${plotBottom + 18}" font-size="${FONT.small}" fill="${COLOR.muted}" text-anchor="middle">${escapeXml(new Date(t0).toISOString().slice(0, 16).replace('T', ' '))}</text>`);
  }
  out.push(`<text x="${plotR}" y="${plotBottom + 32}" font-size="${FONT.small}" fill="${COLOR.muted}" text-anchor="end">run start (UTC) →</text>`);

  // Where a later policy version took over.
  cap.policies.slice(1).forEach((p) => {
    const px = x(p.firstRunAt);
    out.push(`<g class="version-change" data-version="${escapeXml(p.version)}"><line x1="${n(px)}" y1="${plotTop}" x2="${n(px)}" y2="${plotBottom}" stroke="${colors.get(versionKey(p))}" stroke-width="1.2" stroke-dasharray="4 3"/></g>`);
  });

  for (const c of cap.choices) {
    const row = rows.get(c.worker);
    if (row === undefined) continue;
    const cy = plotTop + row * rowH + rowH / 2;
    const tip = `${c.runId} · ${c.step} #${c.attempt} → ${c.worker} · ${c.policy} v${c.version} · ${c.outcome}`;
    out.push(`<g class="choice ${c.outcome}" data-run="${escapeXml(c.runId)}" data-worker="${escapeXml(c.worker)}" data-version="${escapeXml(c.version)}"><title>${escapeXml(tip)}</title>${dot(x(c.runStartedAt), cy, colors.get(versionKey(c)) ?? COLOR.muted, c.outcome)}</g>`);
  }
  out.push('</svg>');
  return out.join('\n');
}

/** A decision's mark: filled when it succeeded, a ring when it failed, a dashed ring without an outcome. */
function dot(cx: number, cy: number, color: string, outcome: ChartChoice['outcome']): string {
  if (outcome === 'succeeded') return `<circle cx="${n(cx)}" cy="${n(cy)}" r="5" fill="${color}" fill-opacity="0.85"/>`;
  if (outcome === 'failed') return `<circle cx="${n(cx)}" cy="${n(cy)}" r="4.5" fill="#ffffff" stroke="${color}" stroke-width="2"/>`;
  return `<circle cx="${n(cx)}" cy="${n(cy)}" r="4.5" fill="none" stroke="${color}" stroke-width="1.5" stroke-dasharray="2 2"/>`;
}
