/**
 * The inference network's three hot loops as a WebAssembly SIMD module, assembled here from its
 * instructions (no toolchain, no binary file). Why: planning is a few hundred small
 * vector-matrix products per instruction and member; plain JavaScript runs them one scalar at a
 * time through doubles, f32x4 runs four lanes at once. On the UltraTool test split
 * (`npm run bench:planner`) the 3-member ensemble's p50 went from 4.10 to 1.76 ms, with the same plans.
 *
 * Every pointer is a byte offset into the arena's memory and every row stride is a multiple of
 * four floats (callers lay rows out with padded strides, see `lanes`), so the loops need no scalar tail.
 */

/** Unsigned LEB128. */
function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const name = (s: string): number[] => vec([...s].map((c) => [c.charCodeAt(0)]));
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];

const I32 = 0x7f, F32 = 0x7d, V128 = 0x7b;

// The instructions the kernels use (binary opcodes from the WebAssembly core and SIMD specs).
const get = (i: number) => [0x20, i];
const set = (i: number) => [0x21, i];
const i32c = (n: number) => [0x41, ...uleb(n)]; // small non-negative constants only (uleb = sleb below 64)
const add = [0x6a], mul = [0x6c], shl = [0x74], ltU = [0x49], geU = [0x4f];
const f32Ne = [0x5c], f32Add = [0x92];
const i32Load = [0x28, 2, 0], f32Load = [0x2a, 2, 0], f32Store = [0x38, 2, 0];
const vLoad = [0xfd, 0x00, 4, 0], vStore = [0xfd, 0x0b, 4, 0];
const vSplat = [0xfd, 0x13], vAdd = [0xfd, 0xe4, 0x01], vMul = [0xfd, 0xe6, 0x01];
const lane = (l: number) => [0xfd, 0x1f, l];
const f32Zero = [0x43, 0, 0, 0, 0];
const block = [0x02, 0x40], loop = [0x03, 0x40], ifThen = [0x04, 0x40], end = [0x0b];
const br = (d: number) => [0x0c, d], brIf = (d: number) => [0x0d, d];
/** local += n (bytes). */
const bump = (l: number, n: number) => [...get(l), ...i32c(n), ...add, ...set(l)];

/**
 * y[0..B) += sum_i x_i W[row_i], over rows given by an index list (`gather`) or 0..n-1 (`axpy`).
 * Zero coefficients are skipped (ReLU outputs are about half zeros).
 */
function accumulateRows(indexed: boolean): { params: number[]; locals: number[][]; body: number[] } {
  // params: y, [idx,] coef, n, W, B ; locals after them
  const [y, idx, coef, n, W, B] = indexed ? [0, 1, 2, 3, 4, 5] : [0, -1, 1, 2, 3, 4];
  const base = indexed ? 6 : 5;
  const i = base, xv = base + 1, v = base + 2, wp = base + 3, yp = base + 4, yend = base + 5, rowBytes = base + 6;
  const row = indexed ? [...get(idx), ...get(i), ...i32c(2), ...shl, ...add, ...i32Load] : get(i);
  const body = [
    ...get(B), ...i32c(2), ...shl, ...set(rowBytes),
    ...block, ...loop,
    ...get(i), ...get(n), ...geU, ...brIf(1),
    ...get(coef), ...get(i), ...i32c(2), ...shl, ...add, ...f32Load, ...set(xv),
    ...get(xv), ...f32Zero, ...f32Ne, ...ifThen,
    ...get(xv), ...vSplat, ...set(v),
    ...get(W), ...row, ...get(rowBytes), ...mul, ...add, ...set(wp),
    ...get(y), ...set(yp),
    ...get(y), ...get(rowBytes), ...add, ...set(yend),
    ...block, ...loop,
    ...get(yp), ...get(yp), ...vLoad, ...get(v), ...get(wp), ...vLoad, ...vMul, ...vAdd, ...vStore,
    ...bump(yp, 16), ...bump(wp, 16),
    ...get(yp), ...get(yend), ...ltU, ...brIf(0),
    ...end, ...end,
    ...end,
    ...bump(i, 1),
    ...br(0),
    ...end, ...end,
  ];
  const params = indexed ? [I32, I32, I32, I32, I32, I32] : [I32, I32, I32, I32, I32];
  return { params, locals: [[1, I32], [1, F32], [1, V128], [4, I32]], body };
}

/** out[at_i] += v . rows[at_i] for i < n (rows of H floats). */
function rowDots(): { params: number[]; locals: number[][]; body: number[] } {
  const out = 0, v = 1, rows = 2, H = 3, at = 4, n = 5;
  const i = 6, j = 7, rp = 8, vp = 9, vend = 10, rowBytes = 11, acc = 12, op = 13;
  const body = [
    ...get(H), ...i32c(2), ...shl, ...set(rowBytes),
    ...block, ...loop,
    ...get(i), ...get(n), ...geU, ...brIf(1),
    ...get(at), ...get(i), ...i32c(2), ...shl, ...add, ...i32Load, ...set(j),
    ...get(rows), ...get(j), ...get(rowBytes), ...mul, ...add, ...set(rp),
    ...get(v), ...set(vp),
    ...get(v), ...get(rowBytes), ...add, ...set(vend),
    ...f32Zero, ...vSplat, ...set(acc),
    ...block, ...loop,
    ...get(acc), ...get(vp), ...vLoad, ...get(rp), ...vLoad, ...vMul, ...vAdd, ...set(acc),
    ...bump(vp, 16), ...bump(rp, 16),
    ...get(vp), ...get(vend), ...ltU, ...brIf(0),
    ...end, ...end,
    ...get(out), ...get(j), ...i32c(2), ...shl, ...add, ...set(op),
    ...get(op),
    ...get(op), ...f32Load,
    ...get(acc), ...lane(0), ...get(acc), ...lane(1), ...f32Add, ...get(acc), ...lane(2), ...f32Add, ...get(acc), ...lane(3), ...f32Add,
    ...f32Add, ...f32Store,
    ...bump(i, 1),
    ...br(0),
    ...end, ...end,
  ];
  return { params: [I32, I32, I32, I32, I32, I32], locals: [[6, I32], [1, V128], [1, I32]], body };
}

const EXPORTS = ['axpy', 'gather', 'dots'] as const;

/** The module's bytes: memory imported as env.memory, the three kernels exported. */
function moduleBytes(): Uint8Array {
  const fns = [accumulateRows(false), accumulateRows(true), rowDots()];
  const types = fns.map((f) => [0x60, ...vec(f.params.map((p) => [p])), 0x00]);
  const codes = fns.map((f) => {
    const code = [...vec(f.locals.map(([count, type]) => [...uleb(count), type])), ...f.body, ...end];
    return [...uleb(code.length), ...code];
  });
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)),
    ...section(2, vec([[...name('env'), ...name('memory'), 0x02, 0x00, 0x01]])),
    ...section(3, vec(fns.map((_, k) => uleb(k)))),
    ...section(7, vec(EXPORTS.map((e, k) => [...name(e), 0x00, ...uleb(k)]))),
    ...section(10, vec(codes)),
  ]);
}

let compiled: WebAssembly.Module | undefined;

/** Rounds a float count up to whole f32x4 lanes. */
export const lanes = (n: number): number => Math.ceil(n / 4) * 4;

/**
 * A fixed-size block of WebAssembly memory holding one network's matrices and scratch vectors,
 * with the kernels bound to it. Its size is fixed at construction, so views into it stay valid.
 *
 * @example
 * const a = new KernelArena(1024); const W = a.alloc(16), x = a.alloc(4), y = a.alloc(4);
 * a.axpy(y, x, 4, W, 4); // y += x W for a [4, 4] W
 */
export class KernelArena {
  private readonly memory: WebAssembly.Memory;
  private readonly fns: { axpy: (...a: number[]) => void; gather: (...a: number[]) => void; dots: (...a: number[]) => void };
  private readonly f32: Float32Array;
  private readonly i32: Int32Array;
  private top = 0;
  private readonly bytes: number;

  /** `floats`: the capacity; every `alloc` is rounded up to whole lanes. */
  constructor(floats: number) {
    this.bytes = lanes(floats) * 4;
    this.memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(this.bytes / 65536)) });
    compiled ??= new WebAssembly.Module(moduleBytes());
    const exports = new WebAssembly.Instance(compiled, { env: { memory: this.memory } }).exports;
    this.fns = Object.fromEntries(EXPORTS.map((e) => [e, exports[e]])) as KernelArena['fns'];
    this.f32 = new Float32Array(this.memory.buffer);
    this.i32 = new Int32Array(this.memory.buffer);
  }

  /** A zeroed block of `n` floats (rounded up to whole lanes); returns its byte offset. */
  alloc(n: number): number {
    const size = lanes(n) * 4;
    if (this.top + size > this.bytes) throw new Error(`KernelArena: out of space (${this.bytes} bytes, asked for ${size} more at ${this.top})`);
    const at = this.top;
    this.top += size;
    return at;
  }

  /** A Float32Array view of `n` floats at byte offset `at`. */
  view(at: number, n: number): Float32Array {
    return this.f32.subarray(at >> 2, (at >> 2) + n);
  }

  /** An Int32Array view of `n` ints at byte offset `at`. */
  ints(at: number, n: number): Int32Array {
    return this.i32.subarray(at >> 2, (at >> 2) + n);
  }

  /** y[0..B) += sum_{i<n} x[i] W[i] (W row-major with row stride B floats, B a multiple of 4). */
  axpy(y: number, x: number, n: number, W: number, B: number): void {
    this.fns.axpy(y, x, n, W, B);
  }

  /** y[0..B) += sum_{i<n} coef[i] W[idx[i]] (idx: int32 row numbers). */
  gather(y: number, idx: number, coef: number, n: number, W: number, B: number): void {
    this.fns.gather(y, idx, coef, n, W, B);
  }

  /** out[at[i]] += v . rows[at[i]] for i < n (rows of H floats, H a multiple of 4). */
  dots(out: number, v: number, rows: number, H: number, at: number, n: number): void {
    this.fns.dots(out, v, rows, H, at, n);
  }
}

/** Exposed for tests: the assembled module validates. */
export const kernelModuleBytes = moduleBytes;
