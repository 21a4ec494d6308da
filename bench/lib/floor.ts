import { noop } from './noop.ts';
import type { Engine } from './shapes.ts';

/**
 * The floor: what the same shapes cost with no engine at all, a plain await loop
 * and a Promise.all.
 *
 * @example
 * const r = await floorEngine.prepare(chain(10)); await r.run();
 */
export const floorEngine: Engine = {
  id: 'floor',
  title: 'await loop',
  describe: 'plain `for (step) x = await noop(x)`; fan-out: `await noop(src); await Promise.all(W x noop); await noop(sink)`',
  async prepare(shape) {
    if (shape.kind === 'chain') {
      const n = shape.size;
      return {
        async run() {
          let x: unknown = { v: 0 };
          for (let i = 0; i < n; i++) x = await noop(x);
        },
      };
    }
    const w = shape.size;
    return {
      async run() {
        const start = await noop({ v: 0 });
        const outs = await Promise.all(Array.from({ length: w }, () => noop(start)));
        await noop({ n: outs.length });
      },
    };
  },
};
