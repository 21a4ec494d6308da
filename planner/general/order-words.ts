import type { CatalogView } from './catalog-view.ts';

/**
 * Which of two tools comes first, read from the words of their texts: a table, learned from the
 * training plans, of how often a tool with word x came before a tool with word y (the words one
 * text has and the other lacks), as log-odds keyed "x y" by stem. It is keyed by words, never by
 * tools, so it reads a new catalog through the words it shares with the training one ("search"
 * before "book", "book" before "send"). It is meant only for pairs nothing else orders: the graph
 * links them both ways (or neither) and the request names them in one clause with no word apart.
 * Of such gold pairs of UltraTool's nested splits (scripts/general/nested-errors.ts), the planner
 * ordered 742 of 1,523 right; a table of every word pair seen, where it had one to read, 861 of
 * 1,356 (a scratch count). Used so (order.ts, `reorderByEvidence`), it moved zero-shot link F1 on
 * the nested splits from 32.84 to 33.20 and on the held-out tools of bench/planner-zero-shot.ts from
 * 27.81 to 28.28, with the same tools (docs/planner.md, "Order from the tools' words"). As a term
 * of the decoder's pairwise order it cost 0.1 to 0.2 NF and 0.5 to 1.2 LF zero-shot, and up to 1.5
 * NF few-shot: it then sways which tools are chosen, where it knows nothing of the request.
 * Keys of one word (no space) hold single words' lateness (`lateOrder`), read only where no word
 * pair leans far enough.
 */
export type OrderWords = Record<string, number>;

/**
 * Word pairs seen fewer times than this (either way) are left out of the table. On the nested
 * splits 3, 5, 10 and 20 order about as well (link F1 33.18, 33.20, 33.18, 33.16); at 10 one pair
 * of the school catalog's development half, left with fewer word pairs to average, leaned the wrong
 * way (LF 38.10 -> 36.67), at 3 and 5 none moved. Fitted on all of UltraTool the table is 86 kB at
 * 3, 53 kB at 5 and 31 kB at 10.
 */
const MIN_SEEN = 5;

/** The stems of a tool's name and description. */
function stemsOf(view: CatalogView, t: number): Set<string> {
  return new Set([...view.nameStems[t], ...view.descStems[t]]);
}

/** Each pair of a word one tool's text has and the other's lacks, `visit(x, y)` with x from `a`. */
function eachWordPair(view: CatalogView, a: number, b: number, visit: (x: string, y: string) => void): void {
  const sa = stemsOf(view, a), sb = stemsOf(view, b);
  for (const x of sa) if (!sb.has(x)) for (const y of sb) if (!sa.has(y)) visit(x, y);
}

/**
 * The table from gold plans (tool indices of `view` in plan order): word pairs, then single words.
 * One pass over each plan's ordered pairs counts both, each tool's stems read once.
 *
 * @example
 * fitOrderWords(view, [[search, book], [search, book, remind]]) // { search: -1.3, 'search book': 1.6, ... }
 */
export function fitOrderWords(view: CatalogView, plans: readonly (readonly number[])[]): OrderWords {
  const stems = view.names.map((_, t) => stemsOf(view, t));
  const before = new Map<string, number>(), later = new Map<string, number>(), earlier = new Map<string, number>();
  const add = (m: Map<string, number>, key: string) => m.set(key, (m.get(key) ?? 0) + 1);
  for (const plan of plans) {
    if (new Set(plan).size !== plan.length) continue;
    for (let i = 0; i < plan.length; i++) for (let j = i + 1; j < plan.length; j++) {
      const sa = stems[plan[i]], sb = stems[plan[j]];
      const onlyA = [...sa].filter((x) => !sb.has(x)), onlyB = [...sb].filter((y) => !sa.has(y));
      for (const x of onlyA) for (const y of onlyB) add(before, `${x} ${y}`);
      for (const y of onlyB) add(later, y);
      for (const x of onlyA) add(earlier, x);
    }
  }
  const table: OrderWords = {};
  for (const x of [...new Set([...later.keys(), ...earlier.keys()])].sort()) {
    const l = later.get(x) ?? 0, e = earlier.get(x) ?? 0;
    if (l + e >= MIN_SEEN_ONE) table[x] = logOdds(l, e);
  }
  for (const [key, ahead] of [...before].sort((p, q) => (p[0] < q[0] ? -1 : 1))) {
    const [x, y] = key.split(' ');
    const behind = before.get(`${y} ${x}`) ?? 0;
    if (ahead + behind < MIN_SEEN || ahead <= behind) continue; // one entry per pair: the way it leans
    table[key] = logOdds(ahead, behind);
  }
  return table;
}

/** Smoothed log-odds of `yes` against `no`, to two decimals (as the model file keeps them). */
const logOdds = (yes: number, no: number) => Number(Math.log((yes + 0.5) / (no + 0.5)).toFixed(2));

/**
 * Single words are kept from this many ordered pairs of tools of which one has the word and the
 * other lacks it. On UltraTool's nested splits 5, 10, 20 and 40 gave zero-shot link F1 33.94,
 * 34.17, 33.39 and 33.39 (lean over 0.3, see order.ts); 10 was the first tried. A word's entry is
 * the log-odds that a tool whose text has it came later in a plan than a tool whose text lacks it
 * (in the shipped model "send" 3.32 and "book" 0.90 lean late, "search" -1.30 and "find" -1.43
 * early).
 */
const MIN_SEEN_ONE = 10;

/**
 * The table's mean log-odds that tool `a` comes before tool `b`, over the word pairs it knows; 0
 * when it knows none.
 *
 * @example
 * wordOrder(view, table, search, book) // > 0: a search comes first
 */
export function wordOrder(view: CatalogView, table: OrderWords, a: number, b: number): number {
  let sum = 0, n = 0;
  eachWordPair(view, a, b, (x, y) => {
    const ahead = table[`${x} ${y}`], behind = table[`${y} ${x}`];
    if (ahead !== undefined) { sum += ahead; n++; } else if (behind !== undefined) { sum -= behind; n++; }
  });
  return n === 0 ? 0 : sum / n;
}

/**
 * The single words' say on which of two tools comes first (their lateness, see `MIN_SEEN_ONE`): the mean lateness of the
 * words `b` has and `a` lacks, minus that of the words `a` has and `b` lacks; > 0 when `a` comes
 * first, 0 when the table knows none of them.
 *
 * @example
 * lateOrder(view, table, search, cancel) // > 0: a search comes before a cancellation
 */
export function lateOrder(view: CatalogView, table: OrderWords, a: number, b: number): number {
  const sa = stemsOf(view, a), sb = stemsOf(view, b);
  const mean = (s: Set<string>, o: Set<string>) => {
    let sum = 0, n = 0;
    for (const x of s) if (!o.has(x) && table[x] !== undefined) { sum += table[x]; n++; }
    return n === 0 ? 0 : sum / n;
  };
  return mean(sb, sa) - mean(sa, sb);
}
