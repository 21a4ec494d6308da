import { setMaxListeners } from 'node:events';
import { noop } from './noop.ts';
import type { Engine, Shape } from './shapes.ts';

/**
 * LangGraph.js engines, loaded lazily: importing @langchain/langgraph switches on
 * AsyncLocalStorage (promise hooks), which slows every promise in the process, so
 * the bench imports it only after all other engines have been measured.
 *
 * @example
 * const [plain, saved] = await loadLangGraphEngines();
 */
export async function loadLangGraphEngines(): Promise<Engine[]> {
  // LangGraph hangs one abort listener per task on the run's signal; at fan-out widths Node would
  // print a MaxListenersExceededWarning per run, and that printing would be billed to LangGraph.
  setMaxListeners(0);
  const lg = await import('@langchain/langgraph');
  const { StateGraph, Annotation, START, END, MemorySaver } = lg;

  const State = Annotation.Root({
    v: Annotation<number>(),
    // The fan-in: every worker appends its result; the sink reads them all.
    acc: Annotation<number[]>({ reducer: (left, right) => left.concat(right), default: () => [] }),
  });

  function build(shape: Shape) {
    const g: any = new StateGraph(State);
    if (shape.kind === 'chain') {
      const n = shape.size;
      for (let i = 0; i < n; i++) g.addNode(`n${i}`, async (s: typeof State.State) => noop({ v: s.v + 1 }));
      g.addEdge(START, 'n0');
      for (let i = 0; i + 1 < n; i++) g.addEdge(`n${i}`, `n${i + 1}`);
      g.addEdge(`n${n - 1}`, END);
    } else {
      const w = shape.size;
      const workers = Array.from({ length: w }, (_, i) => `w${i}`);
      g.addNode('src', async (s: typeof State.State) => noop({ v: s.v }));
      for (const [i, id] of workers.entries()) g.addNode(id, async () => noop({ acc: [i] }));
      g.addNode('sink', async (s: typeof State.State) => noop({ v: s.acc.length }));
      g.addEdge(START, 'src');
      for (const id of workers) g.addEdge('src', id);
      g.addEdge(workers, 'sink'); // waits for all of them
      g.addEdge('sink', END);
    }
    return g;
  }

  /** Chain: one superstep per node; fan-out: three supersteps. */
  const recursionLimitFor = (shape: Shape) => (shape.kind === 'chain' ? shape.size + 10 : 100);

  const check = (shape: Shape, out: any) => {
    const ok = shape.kind === 'chain' ? out.v === shape.size : out.v === shape.size && out.acc.length === shape.size;
    if (!ok) throw new Error(`langgraph ${shape.label}: unexpected final state v=${out.v} acc=${out.acc?.length}`);
  };

  const plain: Engine = {
    id: 'langgraph',
    title: 'LangGraph',
    describe: `@langchain/langgraph StateGraph, no checkpointer; chain of N nodes; fan-out: src -> W nodes -> sink (addEdge([w...], sink)) with a concat reducer channel`,
    async prepare(shape) {
      const graph = build(shape).compile();
      const recursionLimit = recursionLimitFor(shape);
      return {
        async run() {
          check(shape, await graph.invoke({ v: 0 }, { recursionLimit }));
        },
      };
    },
  };

  const saved: Engine = {
    id: 'langgraph-memorysaver',
    title: 'LangGraph+MemSaver',
    describe: 'same graphs compiled with { checkpointer: new MemorySaver() }; one new thread_id per run (deleted, untimed, after the run)',
    async prepare(shape) {
      const saver = new MemorySaver();
      const graph = build(shape).compile({ checkpointer: saver });
      const recursionLimit = recursionLimitFor(shape);
      let thread = 0;
      return {
        async run() {
          thread++;
          check(shape, await graph.invoke({ v: 0 }, { recursionLimit, configurable: { thread_id: `t${thread}` } }));
        },
        async after() {
          await saver.deleteThread(`t${thread}`);
        },
      };
    },
  };
  return [plain, saved];
}
