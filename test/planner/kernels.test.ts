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

// The kernels' arithmetic replayed in JavaScript one f32 rounding at a time, in the kernels'
// order (four lane sums in dots, added 0+1, +2, +3), so results must agree to the bit.
const f = Math.fround;
function axpyRef(y: Float32Array, coef: Float32Array, rows: ArrayLike<number>, W: Float32Array, B: number): void {
  for (let i = 0; i < rows.length; i++) {
    if (coef[i] === 0) continue;
    for (let k = 0; k < B; k++) y[k] = f(y[k] + f(coef[i] * W[rows[i] * B + k]));
  }
}
function dotsRef(out: Float32Array, v: Float32Array, rows: Float32Array, H: number, at: ArrayLike<number>): void {
  for (const j of Array.from(at)) {
    const acc = [0, 0, 0, 0];
    for (let k = 0; k < H; k++) acc[k % 4] = f(acc[k % 4] + f(v[k] * rows[j * H + k]));
    out[j] = f(out[j] + f(f(f(acc[0] + acc[1]) + acc[2]) + acc[3]));
  }
}

test('axpy, gather and dots agree to the bit with an f32 reference on random shapes', () => {
  const rand = seededRandom(7);
  const int = (n: number) => Math.floor(rand() * n);
  for (let trial = 0; trial < 40; trial++) {
    const A = 1 + int(20), B = 4 * (1 + int(12)), n = int(2 * A);
    const arena = new KernelArena(A * B + 2 * B + 2 * A + 2 * n + 64);
    const W = arena.alloc(A * B), x = arena.alloc(A), y = arena.alloc(B), g = arena.alloc(B), idx = arena.alloc(n), coef = arena.alloc(n), out = arena.alloc(A);
    arena.view(W, A * B).set(Array.from({ length: A * B }, () => rand() * 2 - 1));
    arena.view(x, A).set(Array.from({ length: A }, () => (rand() < 0.4 ? 0 : rand() * 4 - 2)));
    arena.view(coef, n).set(Array.from({ length: n }, () => (rand() < 0.4 ? 0 : rand() * 4 - 2)));
    arena.ints(idx, n).set(Array.from({ length: n }, () => int(A)));
    arena.view(y, B).set(Array.from({ length: B }, () => rand()));
    arena.view(out, A).set(Array.from({ length: A }, () => rand()));
    const Wv = arena.view(W, A * B).slice(), rows = arena.ints(idx, n).slice();
    const wantY = arena.view(y, B).slice(), wantG = arena.view(g, B).slice(), wantOut = arena.view(out, A).slice();
    axpyRef(wantY, arena.view(x, A), Array.from({ length: A }, (_, i) => i), Wv, B);
    axpyRef(wantG, arena.view(coef, n), rows, Wv, B);
    dotsRef(wantOut, arena.view(y, B).slice(0, B), Wv, B, rows); // v = y before axpy updates it
    arena.dots(out, y, W, B, idx, n);
    arena.axpy(y, x, A, W, B);
    arena.gather(g, idx, coef, n, W, B);
    assert.equal(Array.from(arena.view(y, B)), Array.from(wantY), `axpy, trial ${trial}`);
    assert.equal(Array.from(arena.view(g, B)), Array.from(wantG), `gather, trial ${trial}`);
    assert.equal(Array.from(arena.view(out, A)), Array.from(wantOut), `dots, trial ${trial}`);
  }
});

test('the arena pads to whole lanes and refuses to overflow', () => {
  assert.is(lanes(10), 12);
  const arena = new KernelArena(8);
  arena.alloc(5);
  assert.throws(() => arena.alloc(1), /out of space/);
});

test.run();
