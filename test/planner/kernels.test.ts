import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { KernelArena, kernelModuleBytes, lanes } from '../../planner/model/kernels.ts';
import { seededRandom } from '../../planner/data/split.ts';

const close = (a: ArrayLike<number>, b: ArrayLike<number>, what: string) => {
  for (let i = 0; i < b.length; i++) assert.ok(Math.abs(a[i] - b[i]) < 1e-5 * (1 + Math.abs(b[i])), `${what}[${i}]: ${a[i]} vs ${b[i]}`);
};

test('the assembled SIMD module validates', () => {
  assert.ok(WebAssembly.validate(kernelModuleBytes()));
});

test('axpy, gather and dots compute their products (zero coefficients skipped, repeated rows summed)', () => {
  const rand = seededRandom(1);
  const A = 7, B = 12;
  const arena = new KernelArena(4 * A * B);
  const W = arena.alloc(A * B), x = arena.alloc(A), y = arena.alloc(B), idx = arena.alloc(5), out = arena.alloc(A), v = arena.alloc(B);
  const Wv = arena.view(W, A * B).map(() => rand() - 0.5), xv = arena.view(x, A).map((_, i) => (i % 3 === 1 ? 0 : rand()));
  arena.view(W, A * B).set(Wv); arena.view(x, A).set(xv);
  arena.axpy(y, x, A, W, B);
  close(arena.view(y, B), Array.from({ length: B }, (_, j) => xv.reduce((t, xi, i) => t + xi * Wv[i * B + j], 0)), 'axpy');
  const rows = [6, 0, 6, 3, 2];
  arena.ints(idx, 5).set(rows);
  const g = arena.alloc(B);
  arena.gather(g, idx, x, 5, W, B);
  close(arena.view(g, B), Array.from({ length: B }, (_, j) => rows.reduce((t, r, i) => t + xv[i] * Wv[r * B + j], 0)), 'gather');
  const vv = arena.view(v, B).map((_, k) => k - 4);
  arena.view(v, B).set(vv);
  arena.dots(out, v, W, B, idx, 5);
  const want = new Array(A).fill(0);
  for (const r of rows) for (let k = 0; k < B; k++) want[r] += vv[k] * Wv[r * B + k];
  close(arena.view(out, A), want, 'dots');
});

test('the arena pads to whole lanes and refuses to overflow', () => {
  assert.is(lanes(10), 12);
  const arena = new KernelArena(8);
  arena.alloc(5);
  assert.throws(() => arena.alloc(1), /out of space/);
});

test.run();
