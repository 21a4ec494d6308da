/**
 * Gold DAGs for the default catalog. A scenario names the workers it needs and the hand-offs
 * between them; `finishDag` orders the nodes for execution and checks every hand-off against
 * the type-derived tool graph, so a typo in the grammar cannot produce an impossible plan.
 */

/** The default catalog's type tags (issue 3, fixed), in catalog order. */
export const DEFAULT_TYPES: ReadonlyArray<readonly [name: string, inputs: readonly string[], outputs: readonly string[]]> = [
  ['read-file', ['path'], ['document']],
  ['extract-text', ['document'], ['text', 'sections']],
  ['summarise', ['text', 'sections'], ['summary']],
  ['extract-figures', ['sections', 'text'], ['figures']],
  ['extract-keywords', ['text'], ['keywords']],
  ['structure-slides', ['summary', 'figures', 'sections', 'keywords'], ['slides']],
  ['render-deck', ['slides'], ['file']],
  ['product-manager', ['brief'], ['spec']],
  ['coder', ['spec', 'review'], ['site']],
  ['reviewer', ['site', 'spec'], ['review']],
  ['write-files', ['site', 'files'], ['paths']],
  ['csv-stats', ['csv'], ['table']],
  ['render-chart', ['table'], ['chart']],
  ['sentiment', ['text'], ['sentiment']],
  ['text-stats', ['text'], ['stats']],
  ['markdown-to-html', ['markdown', 'text'], ['html']],
  ['compose-report', ['summary', 'keywords', 'stats', 'sentiment', 'table', 'chart'], ['report']],
];

const RANK = new Map(DEFAULT_TYPES.map(([name], i) => [name, i]));

/** `a -> b` is allowed when an output type of `a` is an input type of `b`.
 *
 * @example
 * allowedHandOff('extract-text', 'summarise') // true
 */
export function allowedHandOff(source: string, target: string): boolean {
  const a = DEFAULT_TYPES.find(([n]) => n === source);
  const b = DEFAULT_TYPES.find(([n]) => n === target);
  if (!a || !b) return false;
  return a[2].some((t) => b[1].includes(t));
}

export interface Link {
  source: string;
  target: string;
}

export interface GoldDag {
  nodes: string[];
  links: Link[];
}

/**
 * Orders `nodes` topologically (ties broken by catalog order, so the same DAG always
 * serialises the same way) and validates the links.
 *
 * @example
 * finishDag(['summarise', 'read-file', 'extract-text'], [
 *   { source: 'read-file', target: 'extract-text' }, { source: 'extract-text', target: 'summarise' }]);
 * // { nodes: ['read-file', 'extract-text', 'summarise'], links: [...] }
 */
export function finishDag(nodes: readonly string[], links: readonly Link[]): GoldDag {
  const set = new Set(nodes);
  if (set.size !== nodes.length) throw new Error(`duplicate node in ${nodes.join(',')}`);
  for (const n of nodes) if (!RANK.has(n)) throw new Error(`unknown worker ${n}`);
  const seen = new Set<string>();
  for (const l of links) {
    if (!set.has(l.source) || !set.has(l.target)) throw new Error(`link ${l.source}->${l.target} leaves the plan`);
    if (!allowedHandOff(l.source, l.target)) throw new Error(`link ${l.source}->${l.target} is not a hand-off in the tool graph`);
    const key = `${l.source}->${l.target}`;
    if (seen.has(key)) throw new Error(`duplicate link ${key}`);
    seen.add(key);
  }
  const indeg = new Map(nodes.map((n) => [n, 0]));
  for (const l of links) indeg.set(l.target, (indeg.get(l.target) ?? 0) + 1);
  const order: string[] = [];
  const ready = nodes.filter((n) => indeg.get(n) === 0);
  while (ready.length) {
    ready.sort((a, b) => (RANK.get(a) ?? 0) - (RANK.get(b) ?? 0));
    const n = ready.shift() as string;
    order.push(n);
    for (const l of links) {
      if (l.source !== n) continue;
      const d = (indeg.get(l.target) ?? 0) - 1;
      indeg.set(l.target, d);
      if (d === 0) ready.push(l.target);
    }
  }
  if (order.length !== nodes.length) throw new Error(`cycle in ${nodes.join(',')}`);
  const pos = new Map(order.map((n, i) => [n, i]));
  const sorted = links.slice().sort((a, b) => (pos.get(a.source)! - pos.get(b.source)!) || (pos.get(a.target)! - pos.get(b.target)!));
  return { nodes: order, links: sorted.map((l) => ({ source: l.source, target: l.target })) };
}
