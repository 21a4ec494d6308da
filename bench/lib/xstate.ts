import { createActor, fromPromise, setup, toPromise } from 'xstate';
import { noop } from './noop.ts';
import type { Engine, Shape } from './shapes.ts';

const base = setup({
  actors: { noop: fromPromise(({ input }: { input: unknown }) => noop(input)) },
});

/**
 * A chain machine: one state per step, each invoking the promise actor; the last
 * step's onDone goes to a top-level final state.
 *
 * @example
 * await toPromise(createActor(chainMachine(10)).start());
 */
export function chainMachine(n: number) {
  const states: Record<string, any> = {};
  for (let i = 0; i < n; i++) {
    states[`s${i}`] = {
      invoke: { src: 'noop', input: ({ event }: any) => event.output ?? { v: 0 }, onDone: { target: i + 1 < n ? `s${i + 1}` : 'done' } },
    };
  }
  states.done = { type: 'final' };
  return base.createMachine({ id: `chain${n}`, initial: 's0', states });
}

/**
 * A fan-out machine: `src` invokes, then a parallel state with one region per worker
 * (each region invokes and reaches its own final), whose onDone (the join) goes to
 * `sink`, which invokes and then reaches the top-level final.
 *
 * @example
 * await toPromise(createActor(fanoutMachine(100)).start());
 */
export function fanoutMachine(w: number) {
  const regions: Record<string, any> = {};
  for (let i = 0; i < w; i++) {
    regions[`w${i}`] = {
      initial: 'running',
      states: { running: { invoke: { src: 'noop', input: { v: i }, onDone: { target: 'done' } } }, done: { type: 'final' } },
    };
  }
  return base.createMachine({
    id: `fanout${w}`,
    initial: 'src',
    states: {
      src: { invoke: { src: 'noop', input: { v: 0 }, onDone: { target: 'work' } } },
      work: { type: 'parallel', states: regions, onDone: { target: 'sink' } },
      sink: { invoke: { src: 'noop', input: { v: w }, onDone: { target: 'done' } } },
      done: { type: 'final' },
    },
  });
}

function machineFor(shape: Shape) {
  return shape.kind === 'chain' ? chainMachine(shape.size) : fanoutMachine(shape.size);
}

/**
 * Raw XState v5: the machine is built once per shape; each run is
 * `toPromise(createActor(machine).start())`.
 *
 * @example
 * const r = await xstateEngine.prepare(fanout(100)); await r.run();
 */
export const xstateEngine: Engine = {
  id: 'xstate',
  title: 'raw XState v5',
  describe: 'one state per step invoking fromPromise(noop), createActor(machine).start() + toPromise; fan-out: parallel state with one region per node, join = parallel onDone -> sink',
  async prepare(shape) {
    const machine = machineFor(shape);
    return {
      async run() {
        await toPromise(createActor(machine).start());
      },
    };
  },
};
