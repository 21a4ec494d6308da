import type { Catalog, Example } from '../types.ts';

/**
 * A small deterministic PRNG (mulberry32): the same seed gives the same splits on every machine.
 *
 * @example
 * const rand = seededRandom(7); rand(); // a number in [0, 1)
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Fisher-Yates shuffle of a copy, driven by `seededRandom(seed)`.
 *
 * @example
 * shuffled([1, 2, 3], 1) // a fixed permutation of [1, 2, 3]
 */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const rand = seededRandom(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/**
 * Carves a dev split out of the TRAINING ids (never the test ids): early stopping and threshold
 * calibration look only at dev.
 *
 * @example
 * const { train, dev } = carveDevSplit(trainIds, 0.1, 42);
 */
export function carveDevSplit(trainIds: readonly string[], fraction: number, seed: number): { train: string[]; dev: string[] } {
  if (!(fraction > 0 && fraction < 1)) throw new Error(`carveDevSplit: fraction must be in (0, 1), got ${fraction}`);
  const order = shuffled([...trainIds].sort(), seed);
  const nDev = Math.max(1, Math.round(order.length * fraction));
  return { dev: order.slice(0, nDev).sort(), train: order.slice(nDev).sort() };
}

/**
 * Tool-held-out split: hold out `fraction` of the catalog's tools (fixed seed) and every example that
 * uses any of them. The seen side gets a catalog without the held-out tools (and their links), so a
 * model trained there has never heard of them.
 *
 * @example
 * const split = holdOutTools(catalog, examples, 0.2, 42);
 * split.seenCatalog.tools.length; // 80% of the tools
 */
export function holdOutTools(catalog: Catalog, examples: readonly Example[], fraction: number, seed: number): {
  heldOutTools: string[]; seenCatalog: Catalog; seenExamples: Example[]; heldOutExamples: Example[];
} {
  const names = catalog.tools.map((t) => t.name).sort();
  const nOut = Math.round(names.length * fraction);
  const held = new Set(shuffled(names, seed).slice(0, nOut));
  const seenCatalog: Catalog = {
    tools: catalog.tools.filter((t) => !held.has(t.name)),
    links: catalog.links.filter((l) => !held.has(l.source) && !held.has(l.target)),
  };
  const uses = (e: Example) => e.nodes.some((n) => held.has(n));
  return {
    heldOutTools: [...held].sort(),
    seenCatalog,
    seenExamples: examples.filter((e) => !uses(e)),
    heldOutExamples: examples.filter(uses),
  };
}
