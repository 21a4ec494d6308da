import type { HistoryEvent } from '../../machines/history/events.ts';
import { escapeXml } from './svg.ts';
import { FONT, textWidth } from './layout.ts';

/**
 * A run's timeline, computed from its history alone: one row per step, one bar per attempt,
 * the waits between attempts (backoff and approval timers), durations and costs. The viewer
 * page and `orchestai show --format svg` draw the same model.
 */

export interface TimelineAttempt {
  attempt: number;
  /** ms since the run started */
  start: number;
  end?: number;
  status: 'running' | 'succeeded' | 'failed';
  durationMs?: number;
  cost?: number;
  input?: unknown;
  output?: unknown;
  error?: { name: string; message: string; retryable: boolean };
  startSeq: number;
  endSeq?: number;
  worker?: string;
}

export interface TimelineWait {
  kind: 'backoff' | 'approval' | 'timer';
  start: number;
  end?: number;
  /** How the wait ended. */
  outcome: 'fired' | 'cancelled' | 'pending' | 'received';
  timerId?: string;
}

export interface TimelineRow {
  step: string;
  attempts: TimelineAttempt[];
  waits: TimelineWait[];
  /** Sum of attempt durations. */
  durationMs: number;
  cost: number;
  status: 'pending' | 'running' | 'waiting' | 'succeeded' | 'failed';
}

export interface Timeline {
  runId?: string;
  workflowId?: string;
  startedAt?: number;
  /** ms from start to finish (or to the last event for a run still going). */
  spanMs: number;
  finished: boolean;
  status?: 'succeeded' | 'failed' | 'cancelled' | 'running';
  cost: number;
  rows: TimelineRow[];
  events: number;
}

/**
 * Builds the timeline model from a history.
 *
 * @example
 * const tl = buildTimeline(history);
 * tl.rows[0]; // { step: 'fetch', attempts: [{ attempt: 1, status: 'failed', ... }, ...], waits: [...] }
 */
export function buildTimeline(history: readonly HistoryEvent[]): Timeline {
  const first = history[0];
  const t0 = first ? first.t : 0;
  const rows = new Map<string, TimelineRow>();
  const row = (step: string) => {
    let r = rows.get(step);
    if (!r) rows.set(step, (r = { step, attempts: [], waits: [], durationMs: 0, cost: 0, status: 'pending' }));
    return r;
  };
  const timers = new Map<string, { row: TimelineRow; wait: TimelineWait }>();
  const tl: Timeline = { spanMs: 0, finished: false, cost: 0, rows: [], events: history.length, status: 'running' };
  for (const e of history) {
    const at = e.t - t0;
    switch (e.type) {
      case 'run.started':
        tl.runId = e.runId;
        tl.workflowId = e.workflowId;
        tl.startedAt = e.t;
        break;
      case 'step.started': {
        const r = row(e.step);
        r.attempts.push({ attempt: e.attempt, start: at, status: 'running', input: e.input, startSeq: e.seq, worker: e.worker });
        r.status = 'running';
        break;
      }
      case 'step.succeeded':
      case 'step.failed': {
        const r = row(e.step);
        let a = [...r.attempts].reverse().find((x) => x.attempt === e.attempt && x.status === 'running');
        if (!a) {
          a = { attempt: e.attempt, start: Math.max(0, at - e.durationMs), status: 'running', startSeq: e.seq };
          r.attempts.push(a);
        }
        a.end = at;
        a.endSeq = e.seq;
        a.durationMs = e.durationMs;
        r.durationMs += e.durationMs;
        if (e.type === 'step.succeeded') {
          a.status = 'succeeded';
          a.output = e.output;
          a.cost = e.cost;
          r.cost += e.cost ?? 0;
          r.status = 'succeeded';
        } else {
          a.status = 'failed';
          a.error = e.error;
          r.status = 'failed';
        }
        break;
      }
      case 'timer.set': {
        if (!e.step || e.purpose === 'timeout') break;
        const r = row(e.step);
        const wait: TimelineWait = { kind: e.purpose === 'backoff' ? 'backoff' : e.purpose === 'approval' ? 'approval' : 'timer', start: at, end: undefined, outcome: 'pending', timerId: e.id };
        r.waits.push(wait);
        if (wait.kind === 'backoff') r.status = 'waiting';
        timers.set(e.id, { row: r, wait });
        break;
      }
      case 'timer.fired':
      case 'timer.cancelled': {
        const w = timers.get(e.id);
        if (w && w.wait.outcome === 'pending') {
          w.wait.end = at;
          w.wait.outcome = e.type === 'timer.fired' ? 'fired' : 'cancelled';
        }
        break;
      }
      case 'approval.received': {
        const r = row(e.step);
        const w = [...r.waits].reverse().find((x) => x.kind === 'approval' && x.outcome === 'pending');
        if (w) {
          w.end = at;
          w.outcome = 'received';
        } else {
          r.waits.push({ kind: 'approval', start: at, end: at, outcome: 'received' });
        }
        r.status = e.approved ? 'succeeded' : 'failed';
        break;
      }
      case 'run.finished':
        tl.finished = true;
        tl.status = e.status;
        tl.cost = e.cost;
        break;
      case 'run.cancelled':
        tl.status = 'cancelled';
        break;
      default:
        break;
    }
    tl.spanMs = Math.max(tl.spanMs, at);
  }
  if (!tl.finished) tl.cost = [...rows.values()].reduce((s, r) => s + r.cost, 0);
  tl.rows = [...rows.values()];
  return tl;
}

/**
 * Formats milliseconds for labels.
 *
 * @example
 * formatDuration(850);    // '850ms'
 * formatDuration(1234);   // '1.23s'
 * formatDuration(65_000); // '1m 05s'
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  if (ms > 0 && ms < 10 && !Number.isInteger(ms)) return `${ms.toFixed(1)}ms`;
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)}s`;
  const m = Math.floor(ms / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  return `${m}m ${String(s).padStart(2, '0')}s`;
}

function niceStep(span: number, target: number): number {
  const raw = span / target;
  const mag = 10 ** Math.floor(Math.log10(raw || 1));
  for (const m of [1, 2, 5, 10]) if (raw <= m * mag) return m * mag;
  return 10 * mag;
}

const C = { succeeded: '#2f9e44', failed: '#e03131', running: '#f59f00', backoff: '#adb5bd', approval: '#9775fa', timer: '#74c0fc' };

/**
 * Renders a run's history as a standalone SVG timeline (what `orchestai show <runId> --format svg` writes).
 *
 * @example
 * const svg = renderTimelineSvg(await store.readHistory(runId));
 * fs.writeFileSync('run.svg', svg);
 */
export function renderTimelineSvg(history: readonly HistoryEvent[], options: { width?: number; highlightSeq?: number; now?: number } = {}): string {
  const tl = buildTimeline(history);
  // A run still going: stretch the axis to `now` so in-flight attempts and waits grow as time passes.
  if (!tl.finished && options.now !== undefined && history.length) tl.spanMs = Math.max(tl.spanMs, options.now - history[0].t);
  const labelW = Math.max(90, ...tl.rows.map((r) => Math.ceil(textWidth(r.step) * 1.1) + 24)); // step names are bold: wider than the estimate
  const summaryW = 150;
  const width = Math.max(options.width ?? 900, labelW + summaryW + 200);
  const plotW = width - labelW - summaryW - 10;
  const rowH = 30;
  const top = 40;
  const height = top + Math.max(1, tl.rows.length) * rowH + 30;
  const span = Math.max(tl.spanMs, 1);
  const x = (ms: number) => labelW + (ms / span) * plotW;
  const n = (v: number) => Math.round(v * 10) / 10;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" class="oa-timeline" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family='${FONT.family}' font-size="${FONT.size}">`);
  out.push(`<title>${escapeXml(`timeline of run ${tl.runId ?? '?'} (${tl.workflowId ?? '?'})`)}</title>`);
  out.push(`<defs><pattern id="oa-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#f1f3f5"/><line x1="0" y1="0" x2="0" y2="6" stroke="${C.backoff}" stroke-width="3"/></pattern></defs>`);
  out.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`);
  const head = `${tl.workflowId ?? ''} ${tl.runId ?? ''} — ${tl.status ?? 'running'} — ${formatDuration(tl.spanMs)} — cost ${fmtCost(tl.cost)} — ${tl.events} events`;
  out.push(`<text x="8" y="18" font-weight="600">${escapeXml(head.trim())}</text>`);
  // Axis ticks.
  const step = niceStep(span, 8);
  for (let t = 0; t <= span + 1e-9; t += step) {
    out.push(`<line x1="${n(x(t))}" y1="${top - 6}" x2="${n(x(t))}" y2="${height - 24}" stroke="#e9ecef"/>`);
    out.push(`<text x="${n(x(t))}" y="${height - 10}" font-size="${FONT.small}" fill="#868e96" text-anchor="middle">${escapeXml(formatDuration(t))}</text>`);
  }
  if (tl.rows.length === 0) out.push(`<text x="${labelW}" y="${top + 18}" fill="#868e96">no steps started yet</text>`);
  tl.rows.forEach((r, i) => {
    const y = top + i * rowH;
    out.push(`<g class="row" data-step="${escapeXml(r.step)}" data-status="${r.status}">`);
    out.push(`<text x="8" y="${y + 19}" font-weight="600">${escapeXml(r.step)}</text>`);
    for (const w of r.waits) {
      const end = w.end ?? tl.spanMs;
      const color = w.kind === 'backoff' ? 'url(#oa-hatch)' : w.kind === 'approval' ? C.approval : C.timer;
      out.push(`<rect class="wait ${w.kind}" x="${n(x(w.start))}" y="${y + 9}" width="${n(Math.max(1, x(end) - x(w.start)))}" height="12" fill="${color}" fill-opacity="${w.kind === 'backoff' ? 1 : 0.35}"><title>${escapeXml(`${w.kind} wait ${formatDuration(end - w.start)} (${w.outcome})`)}</title></rect>`);
    }
    for (const a of r.attempts) {
      const end = a.end ?? tl.spanMs;
      const wpx = Math.max(2, x(end) - x(a.start));
      const tip = `${r.step} attempt ${a.attempt}: ${a.status}${a.durationMs !== undefined ? `, ${formatDuration(a.durationMs)}` : ''}${a.cost !== undefined ? `, cost ${fmtCost(a.cost)}` : ''}${a.error ? ` — ${a.error.name}: ${a.error.message}` : ''}`;
      out.push(`<rect class="attempt ${a.status}" data-attempt="${a.attempt}" data-seq="${a.startSeq}" x="${n(x(a.start))}" y="${y + 5}" width="${n(wpx)}" height="20" rx="3" fill="${C[a.status]}"><title>${escapeXml(tip)}</title></rect>`);
      const text = `#${a.attempt} ${a.durationMs !== undefined ? formatDuration(a.durationMs) : '…'}`;
      if (textWidth(text, true) + 6 < wpx) out.push(`<text x="${n(x(a.start) + 4)}" y="${y + 19}" font-size="${FONT.small}" fill="#ffffff">${escapeXml(text)}</text>`);
    }
    out.push(`<text x="${width - summaryW + 4}" y="${y + 19}" font-size="${FONT.small}" fill="#495057">${escapeXml(`${r.attempts.length} att · ${formatDuration(r.durationMs)} · ${fmtCost(r.cost)}`)}</text>`);
    out.push('</g>');
  });
  if (options.highlightSeq !== undefined) {
    const e = history.find((h) => h.seq === options.highlightSeq);
    if (e) out.push(`<line class="cursor" x1="${n(x(e.t - (history[0]?.t ?? 0)))}" y1="${top - 8}" x2="${n(x(e.t - (history[0]?.t ?? 0)))}" y2="${height - 24}" stroke="#1c7ed6" stroke-width="2"/>`);
  }
  out.push('</svg>');
  return out.join('\n');
}

function fmtCost(c: number): string {
  return c === 0 ? '0' : String(Number(c.toPrecision(3)));
}
