import type { Catalog } from '../types.ts';

/** Index structures over a catalog's tool graph. */
export interface ToolGraph {
  names: string[];
  index: Map<string, number>;
  /** succ[i] = tools i may hand off to. */
  succ: Set<number>[];
  /** Row-normalised adjacency (mean over predecessors / successors), N x N row-major: the GNN's aggregators. */
  inMean: Float32Array;
  outMean: Float32Array;
  linkCount: number;
}

/**
 * Builds the tool graph of a catalog; a link naming an unknown tool or a duplicate tool name is an
 * error naming it.
 *
 * @example
 * const g = toolGraph(catalog); g.succ[g.index.get('flight_search')!]
 */
export function toolGraph(catalog: Catalog): ToolGraph {
  const names = catalog.tools.map((t) => t.name);
  const index = new Map<string, number>();
  names.forEach((n, i) => {
    if (index.has(n)) throw new Error(`catalog: duplicate tool name "${n}"`);
    index.set(n, i);
  });
  const N = names.length;
  const succ = names.map(() => new Set<number>());
  const pred = names.map(() => new Set<number>());
  for (const l of catalog.links) {
    const s = index.get(l.source), t = index.get(l.target);
    if (s === undefined) throw new Error(`catalog: link ${l.source} -> ${l.target} names unknown tool "${l.source}"`);
    if (t === undefined) throw new Error(`catalog: link ${l.source} -> ${l.target} names unknown tool "${l.target}"`);
    succ[s].add(t);
    pred[t].add(s);
  }
  const inMean = new Float32Array(N * N), outMean = new Float32Array(N * N);
  for (let i = 0; i < N; i++) {
    for (const j of pred[i]) inMean[i * N + j] = 1 / pred[i].size;
    for (const j of succ[i]) outMean[i * N + j] = 1 / succ[i].size;
  }
  let linkCount = 0;
  for (const s of succ) linkCount += s.size;
  return { names, index, succ, inMean, outMean, linkCount };
}

/**
 * The text a tool is known by: its name split into words plus its description and types. Unseen
 * tools become scorable through exactly this text.
 *
 * @example
 * toolText({ name: 'clock_alarm_cancel', description: 'Cancel an alarm' }) // 'clock_alarm_cancel Cancel an alarm'
 */
export function toolText(t: { name: string; description: string; inputType?: string[]; outputType?: string[] }): string {
  return [t.name, t.description, ...(t.inputType ?? []), ...(t.outputType ?? [])].join(' ');
}
