/**
 * The run shapes measured for every engine. A chain of N steps runs N workers one
 * after another; a fan-out of width W runs `src`, then W workers in parallel, then
 * `sink` once all W are done: W + 2 workers.
 */
export type Shape =
  | { kind: 'chain'; size: number; label: string; units: number }
  | { kind: 'fanout'; size: number; label: string; units: number };

/**
 * Builds a chain shape of `n` steps.
 *
 * @example
 * chain(100).units // 100
 */
export function chain(n: number): Shape {
  return { kind: 'chain', size: n, label: `chain N=${n}`, units: n };
}

/**
 * Builds a fan-out/fan-in shape of width `w` (w + 2 nodes).
 *
 * @example
 * fanout(100).units // 102
 */
export function fanout(w: number): Shape {
  return { kind: 'fanout', size: w, label: `fan-out W=${w}`, units: w + 2 };
}

/** An engine under test: builds a runner for a shape once, then the runner is timed. */
export interface Engine {
  /** Stable key used in the JSON output. */
  id: string;
  /** Column header in the printed table. */
  title: string;
  /** One-line description of exactly what is run. */
  describe: string;
  /**
   * Builds whatever the engine compiles once per shape (machine, graph, workflow) and
   * returns the timed run plus an untimed cleanup between runs.
   */
  prepare(shape: Shape): Promise<Runner>;
  /** Untimed teardown after all shapes (e.g. removing temp directories). */
  dispose?(): Promise<void>;
}

export interface Runner {
  run(): Promise<void>;
  /** Untimed, after each run (e.g. dropping a checkpointer thread). */
  after?(): Promise<void>;
  /** Untimed, after the cell; returns extra facts to record (e.g. history events per run). */
  finish?(): Promise<Record<string, unknown>>;
}
