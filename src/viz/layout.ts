import ElkModule from 'elkjs/lib/elk.bundled.js';
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api.js';

// elkjs is CommonJS: under NodeNext its default import is the module object, whose `default` is the class.
const ELK: typeof import('elkjs/lib/elk-api.js').default = (ElkModule as any).default ?? ElkModule;
import { readChart, type Chart, type ChartState, type ChartTransition } from './chart.ts';
import { candidatesLine } from '../../machines/export.ts';

/**
 * Lays out a machine config with ELK's layered algorithm, hierarchically: compound states
 * contain their children and edges are routed across levels. All coordinates in the result
 * are absolute (ELK gives them relative to each container), so the SVG writer and the page
 * never need to know about containers.
 */

export interface Point {
  x: number;
  y: number;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface LaidOutState extends Box {
  state: ChartState;
  /** Text lines drawn in the box: the key, then entry actions for atomic states. */
  lines: string[];
}

export interface LaidOutTransition {
  transition: ChartTransition;
  /** One polyline per target (start, bends, end). */
  paths: Point[][];
  /** Where ELK placed the label (absolute). */
  labelBox?: Box;
}

export interface LaidOutInitial {
  /** Parent state path whose initial child this marker points at. */
  parent: string;
  dot: Box;
  path: Point[];
}

export interface ChartLayout {
  chart: Chart;
  width: number;
  height: number;
  states: LaidOutState[];
  transitions: LaidOutTransition[];
  initials: LaidOutInitial[];
}

/** Approximate text metrics for the fonts the SVG uses (no font files: widths are estimated). */
// `small` (edge labels, entry actions) is 11 px: charts are shown at their natural size (they
// scroll rather than shrink), so this is the size on screen too, and smaller is hard to read.
export const FONT = { size: 12, small: 11, charW: 6.9, smallCharW: 6.2, family: 'system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif' };

let shared: InstanceType<typeof ELK> | undefined;
/** One ELK instance per process: creating it (and its first layout) is the slow part. */
function elk(): InstanceType<typeof ELK> {
  shared ??= new ELK();
  return shared;
}

/**
 * Runs one tiny layout so the first real chart does not pay ELK's start-up (~0.5 s).
 *
 * @example
 * void warmUpLayout(); // at server start, not awaited
 */
export async function warmUpLayout(): Promise<void> {
  await layoutMachine({ id: 'warm-up', initial: 'a', states: { a: { on: { GO: 'b' } }, b: { type: 'final' } } });
}

const HEADER = 24;
const LINE = 15;

/**
 * Estimated rendered width of a label (the SVG embeds no font, so boxes are sized from this).
 *
 * @example
 * textWidth('running'); // 49
 */
export function textWidth(text: string, small = false): number {
  return Math.ceil(text.length * (small ? FONT.smallCharW : FONT.charW));
}

/**
 * Lays out a plain-JSON XState machine config.
 *
 * @example
 * const layout = await layoutMachine({ id: 'm', initial: 'a', states: { a: { on: { GO: 'b' } }, b: { type: 'final' } } });
 * layout.states.map((s) => s.state.path); // ['m', 'm.a', 'm.b']
 */
export async function layoutMachine(config: unknown, options: { direction?: 'RIGHT' | 'DOWN' } = {}): Promise<ChartLayout> {
  const chart = readChart(config);
  return layoutChart(chart, options);
}

/**
 * Lays out an already-read chart (see `readChart`).
 *
 * @example
 * const layout = await layoutChart(readChart(config));
 */
export async function layoutChart(chart: Chart, options: { direction?: 'RIGHT' | 'DOWN' } = {}): Promise<ChartLayout> {
  const direction = options.direction ?? 'RIGHT';
  const children = new Map<string, ChartState[]>();
  for (const s of chart.states) if (s.parent) children.set(s.parent, [...(children.get(s.parent) ?? []), s]);
  const linesOf = (s: ChartState): string[] => {
    if (s.kind !== 'atomic' && s.kind !== 'final') return [s.key];
    // A routed step's running state names its candidate workers under its actions.
    const candidates = candidatesLine(s.meta);
    return candidates ? [s.key, ...s.entry, candidates] : [s.key, ...s.entry];
  };

  const elkNode = (s: ChartState): ElkNode => {
    const kids = children.get(s.path) ?? [];
    const lines = linesOf(s);
    if (kids.length === 0) {
      const w = Math.max(textWidth(lines[0]) + 24, ...lines.slice(1).map((l) => textWidth(l, true) + 20), 64);
      return { id: s.path, width: w, height: 14 + LINE * lines.length };
    }
    const nodes: ElkNode[] = kids.map(elkNode);
    if (s.initial && kids.some((k) => k.key === s.initial)) nodes.unshift({ id: `${s.path}::initial`, width: 10, height: 10 });
    const parallel = s.kind === 'parallel' || (s.kind === 'root' && kids.every((k) => k.region));
    return {
      id: s.path,
      layoutOptions: {
        'elk.padding': `[top=${HEADER + 8},left=12,bottom=12,right=12]`,
        // Regions of a parallel state have no edges between them; stack them so they read as lanes.
        ...(parallel ? { 'elk.direction': 'DOWN' } : {}),
        'elk.nodeSize.minimum': `(${textWidth(s.key) + 40},${HEADER + 20})`,
        'elk.nodeSize.constraints': 'MINIMUM_SIZE',
      },
      children: nodes,
    };
  };

  const root = chart.states.find((s) => s.kind === 'root')!;
  const edges: ElkExtendedEdge[] = [];
  for (const t of chart.transitions) {
    const targets = t.targets.length ? t.targets : [t.source];
    targets.forEach((target, i) => {
      const label = i === 0 ? [{ id: `${t.id}::label`, text: t.label, width: textWidth(t.label, true) + 6, height: 15 }] : [];
      edges.push({ id: `${t.id}::${i}`, sources: [t.source], targets: [target], labels: label });
    });
  }
  for (const s of chart.states) {
    if (s.initial && (children.get(s.path) ?? []).some((k) => k.key === s.initial)) {
      edges.push({ id: `${s.path}::initial-edge`, sources: [`${s.path}::initial`], targets: [`${s.path}.${s.initial}`] });
    }
  }

  const graph: ElkNode = {
    id: '::graph',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': direction,
      'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
      'elk.edgeRouting': 'ORTHOGONAL',
      'elk.layered.spacing.nodeNodeBetweenLayers': '46',
      'elk.spacing.nodeNode': '26',
      'elk.spacing.edgeLabel': '3',
      'elk.spacing.edgeNode': '14',
      'elk.edgeLabels.inline': 'false',
      'elk.layered.edgeLabels.sideSelection': 'ALWAYS_UP',
      'elk.padding': '[top=8,left=8,bottom=8,right=8]',
    },
    children: [elkNode(root)],
    edges,
  };

  const out = await elk().layout(graph);

  const abs = new Map<string, Point>();
  const states: LaidOutState[] = [];
  const initialDots = new Map<string, Box>();
  const byPath = new Map(chart.states.map((s) => [s.path, s]));
  abs.set('::graph', { x: 0, y: 0 });
  const walk = (n: ElkNode, origin: Point) => {
    const p = { x: origin.x + (n.x ?? 0), y: origin.y + (n.y ?? 0) };
    abs.set(n.id, p);
    const s = byPath.get(n.id);
    if (s) states.push({ state: s, lines: linesOf(s), x: p.x, y: p.y, width: n.width ?? 0, height: n.height ?? 0 });
    else if (n.id.endsWith('::initial')) initialDots.set(n.id.slice(0, -'::initial'.length), { x: p.x, y: p.y, width: n.width ?? 0, height: n.height ?? 0 });
    for (const c of n.children ?? []) walk(c, p);
  };
  for (const c of out.children ?? []) walk(c, { x: 0, y: 0 });

  const collectEdges = (n: ElkNode, acc: ElkExtendedEdge[]) => {
    acc.push(...(n.edges ?? []));
    for (const c of n.children ?? []) collectEdges(c, acc);
    return acc;
  };
  const laidEdges = collectEdges(out, []);
  const pathOf = (e: ElkExtendedEdge): Point[] => {
    const o = abs.get((e as any).container ?? '::graph') ?? { x: 0, y: 0 };
    const sec = e.sections?.[0];
    if (!sec) return [];
    return [sec.startPoint, ...(sec.bendPoints ?? []), sec.endPoint].map((q) => ({ x: q.x + o.x, y: q.y + o.y }));
  };
  const byId = new Map(laidEdges.map((e) => [e.id, e]));
  const transitions: LaidOutTransition[] = chart.transitions.map((t) => {
    const n = Math.max(1, t.targets.length);
    const paths: Point[][] = [];
    let labelBox: Box | undefined;
    for (let i = 0; i < n; i++) {
      const e = byId.get(`${t.id}::${i}`);
      if (!e) continue;
      paths.push(pathOf(e));
      const l = e.labels?.[0];
      if (l) {
        const o = abs.get((e as any).container ?? '::graph') ?? { x: 0, y: 0 };
        labelBox = { x: (l.x ?? 0) + o.x, y: (l.y ?? 0) + o.y, width: l.width ?? 0, height: l.height ?? 0 };
      }
    }
    return { transition: t, paths, labelBox };
  });
  const initials: LaidOutInitial[] = [];
  for (const [parent, dot] of initialDots) {
    const e = byId.get(`${parent}::initial-edge`);
    initials.push({ parent, dot, path: e ? pathOf(e) : [] });
  }
  return { chart, width: Math.ceil(out.width ?? 0), height: Math.ceil(out.height ?? 0), states, transitions, initials };
}
