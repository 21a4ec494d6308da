/**
 * The inference network's three hot loops as a WebAssembly SIMD module, written below as
 * WebAssembly text and assembled in-process when the first arena is made (`wat.ts`; no toolchain,
 * no binary file). Why SIMD: planning is a few hundred small vector-matrix products per
 * instruction and member; plain JavaScript runs them one scalar at a time through doubles, f32x4
 * runs four lanes at once. On the UltraTool test split (`npm run bench:planner`) the 3-member
 * ensemble's p50 went from 4.10 to 1.76 ms, with the same plans.
 *
 * Every pointer is a byte offset into the arena's memory and every row stride is a multiple of
 * four floats (callers lay rows out with padded strides, see `lanes`), so the loops need no scalar tail.
 */
import { assembleWat } from './wat.ts';

/**
 * The kernels' source, in WebAssembly text. A string rather than a .wat file so that it ships in
 * the compiled JavaScript (the build copies no extra asset) and needs no file read; assembler
 * errors name its lines counted from the line with the opening backtick.
 *
 * axpy and gather differ only in which row of W the i-th coefficient multiplies: i, or idx[i].
 * Each inner loop sits in a `(block ...)` that nothing branches to: it compiles to nothing, and
 * keeping it keeps the code byte for byte that of the opcode-built module this text replaced.
 */
export const KERNELS_WAT = `(module
  (import "env" "memory" (memory 1))

  ;; y[0..B) += sum_{i<n} x[i] W[i]: W row-major, B floats a row (B a multiple of 4).
  ;; A zero x[i] skips its row (ReLU outputs are about half zeros).
  (func $axpy (export "axpy")
    (param $y i32) (param $x i32) (param $n i32) (param $W i32) (param $B i32)
    (local $i i32) (local $xi f32) (local $xi4 v128)
    (local $wp i32) (local $yp i32) (local $yend i32) (local $rowBytes i32)
    (local.set $rowBytes (i32.shl (local.get $B) (i32.const 2)))
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $xi (f32.load (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 2)))))
        (if (f32.ne (local.get $xi) (f32.const 0))
          (then
            (local.set $xi4 (f32x4.splat (local.get $xi)))
            (local.set $wp (i32.add (local.get $W) (i32.mul (local.get $i) (local.get $rowBytes))))
            (local.set $yp (local.get $y))
            (local.set $yend (i32.add (local.get $y) (local.get $rowBytes)))
            ;; y[k..k+4) += x[i] * W[i][k..k+4), for k = 0, 4, ... < B
            (block
              (loop $quad
                (v128.store (local.get $yp)
                  (f32x4.add
                    (v128.load (local.get $yp))
                    (f32x4.mul (local.get $xi4) (v128.load (local.get $wp)))))
                (local.set $yp (i32.add (local.get $yp) (i32.const 16)))
                (local.set $wp (i32.add (local.get $wp) (i32.const 16)))
                (br_if $quad (i32.lt_u (local.get $yp) (local.get $yend)))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $row))))

  ;; y[0..B) += sum_{i<n} coef[i] W[idx[i]], idx holding int32 row numbers; as axpy otherwise.
  (func $gather (export "gather")
    (param $y i32) (param $idx i32) (param $coef i32) (param $n i32) (param $W i32) (param $B i32)
    (local $i i32) (local $xi f32) (local $xi4 v128)
    (local $wp i32) (local $yp i32) (local $yend i32) (local $rowBytes i32)
    (local.set $rowBytes (i32.shl (local.get $B) (i32.const 2)))
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $xi (f32.load (i32.add (local.get $coef) (i32.shl (local.get $i) (i32.const 2)))))
        (if (f32.ne (local.get $xi) (f32.const 0))
          (then
            (local.set $xi4 (f32x4.splat (local.get $xi)))
            (local.set $wp
              (i32.add (local.get $W)
                (i32.mul
                  (i32.load (i32.add (local.get $idx) (i32.shl (local.get $i) (i32.const 2))))
                  (local.get $rowBytes))))
            (local.set $yp (local.get $y))
            (local.set $yend (i32.add (local.get $y) (local.get $rowBytes)))
            (block
              (loop $quad
                (v128.store (local.get $yp)
                  (f32x4.add
                    (v128.load (local.get $yp))
                    (f32x4.mul (local.get $xi4) (v128.load (local.get $wp)))))
                (local.set $yp (i32.add (local.get $yp) (i32.const 16)))
                (local.set $wp (i32.add (local.get $wp) (i32.const 16)))
                (br_if $quad (i32.lt_u (local.get $yp) (local.get $yend)))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $row))))

  ;; out[at[i]] += v . rows[at[i]] for i < n: rows of H floats (H a multiple of 4).
  (func $dots (export "dots")
    (param $out i32) (param $v i32) (param $rows i32) (param $H i32) (param $at i32) (param $n i32)
    (local $i i32) (local $j i32) (local $rp i32) (local $vp i32) (local $vend i32) (local $rowBytes i32)
    (local $acc v128) (local $op i32)
    (local.set $rowBytes (i32.shl (local.get $H) (i32.const 2)))
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $j (i32.load (i32.add (local.get $at) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $rp (i32.add (local.get $rows) (i32.mul (local.get $j) (local.get $rowBytes))))
        (local.set $vp (local.get $v))
        (local.set $vend (i32.add (local.get $v) (local.get $rowBytes)))
        ;; acc = four partial sums of v . rows[j]
        (local.set $acc (f32x4.splat (f32.const 0)))
        (block
          (loop $quad
            (local.set $acc
              (f32x4.add (local.get $acc) (f32x4.mul (v128.load (local.get $vp)) (v128.load (local.get $rp)))))
            (local.set $vp (i32.add (local.get $vp) (i32.const 16)))
            (local.set $rp (i32.add (local.get $rp) (i32.const 16)))
            (br_if $quad (i32.lt_u (local.get $vp) (local.get $vend)))))
        ;; out[j] += ((acc[0] + acc[1]) + acc[2]) + acc[3]
        (local.set $op (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 2))))
        (f32.store (local.get $op)
          (f32.add
            (f32.load (local.get $op))
            (f32.add
              (f32.add
                (f32.add (f32x4.extract_lane 0 (local.get $acc)) (f32x4.extract_lane 1 (local.get $acc)))
                (f32x4.extract_lane 2 (local.get $acc)))
              (f32x4.extract_lane 3 (local.get $acc)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $row))))
)
`;

const EXPORTS = ['axpy', 'gather', 'dots'] as const;

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
    compiled ??= new WebAssembly.Module(kernelModuleBytes());
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

/**
 * The kernels' module: `KERNELS_WAT` assembled, memory imported as env.memory, the three kernels exported.
 *
 * @example
 * WebAssembly.validate(kernelModuleBytes()) // true
 */
export function kernelModuleBytes(): Uint8Array {
  return assembleWat(KERNELS_WAT, 'KERNELS_WAT (planner/model/kernels.ts)');
}
