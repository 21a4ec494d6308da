import { test } from 'uvu';
import * as assert from 'uvu/assert';
import wabtInit from 'wabt';
import { assembleWat, WatError } from '../../planner/model/wat.ts';
import { KERNELS_WAT } from '../../planner/model/kernels.ts';

/** wabt's bytes for the same text: the reference assembler (a devDependency; async, hence not used at run time). */
async function wabtBytes(text: string): Promise<Uint8Array> {
  const wabt = await wabtInit();
  const module = wabt.parseWat('test.wat', text, { simd: true });
  try {
    module.resolveNames();
    module.validate();
    return module.toBinary({}).buffer;
  } finally {
    module.destroy();
  }
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** The error `assembleWat` throws for `text`. */
function errorFor(text: string): WatError {
  try {
    assembleWat(text);
  } catch (e) {
    if (e instanceof WatError) return e;
    throw e;
  }
  throw new Error('assembleWat accepted the text');
}

test('the kernels\' WAT assembles to the same bytes as wabt', async () => {
  assert.is(hex(assembleWat(KERNELS_WAT)), hex(await wabtBytes(KERNELS_WAT)));
});

// Every form the assembler reads, beyond what the kernels happen to use: flat and folded
// instructions, numeric locals and branch depths, memargs, literal edge cases, if/else, comments.
const EVERY_FORM = `(module $m
  (import "env" "memory" (memory $mem 2 10)) ;; with a maximum
  (func (param i32 f32) (param $p v128)
    (local $a i32) (local $b i32) (local f32 f32) (local $v v128) (local $c i32)
    (; a block comment (; nested ;) over
       two lines ;)
    i32.const 7 local.set $a
    i32.const 0 local.get 0 i32.add local.set 3
    (local.set $a (i32.const -1))
    (local.set $a (i32.const 64))
    (local.set $a (i32.const -65))
    (local.set $a (i32.const 2147483647))
    (local.set $a (i32.const -2147483648))
    (local.set $a (i32.const 0xffffffff))
    (local.set $a (i32.const 0x10))
    (local.set 5 (f32.const -0))
    (local.set 5 (f32.const 1.5))
    (local.set 5 (f32.const 3.4e38))
    (local.set 6 (f32.const 0.1))
    (local.set $a (i32.load offset=1000 align=1 (i32.const 0)))
    (local.set $b (i32.load offset=128 align=2 (local.get $a)))
    (f32.store offset=4 (i32.const 0) (f32.const 2.25))
    (local.set $v (v128.load align=4 (i32.const 16)))
    (v128.store offset=32 align=16 (i32.const 0) (local.get $v))
    (f32.store (i32.const 8) (f32x4.extract_lane 3 (local.get $p)))
    (block $outer
      (loop
        (br_if 1 (i32.lt_u (local.get $a) (local.get $b)))
        (if $check (f32.ne (local.get 1) (f32.const 0))
          (then (br $check))
          (else (br_if $outer (i32.ge_u (local.get $c) (i32.const 3))) (br 1)))
        (if (local.get $c) (then))))
    (local.set $v (f32x4.add (local.get $v) (f32x4.mul (local.get $p) (f32x4.splat (f32.add (local.get 1) (f32.const 1))))))
    (local.set $c (i32.mul (i32.shl (local.get $c) (i32.const 2)) (i32.const 3)))
    (br 0))
  (func $second (export "second") (export "alias"))
  (func $third (export "third") (param i32 f32) (param $q v128)))
`;

test('every supported form assembles to the same bytes as wabt', async () => {
  assert.is(hex(assembleWat(EVERY_FORM)), hex(await wabtBytes(EVERY_FORM)));
  assert.ok(WebAssembly.validate(assembleWat(EVERY_FORM)));
});

test('an unknown instruction is an error naming its line and column', () => {
  const e = errorFor('(module\n  (func (param $x i32)\n    (local.set $x (i32.frob (local.get $x)))))');
  assert.is(e.message, 'WAT line 3, column 20: unknown instruction "i32.frob"');
  assert.equal([e.line, e.column], [3, 20]);
  // Lines are counted through comments too.
  assert.is(errorFor('(module (; one\ntwo ;) ;; three\n\n  (func\ti32.frob))').message, 'WAT line 4, column 9: unknown instruction "i32.frob"');
});

test('an unknown local or label is an error naming its line and column', () => {
  assert.is(errorFor('(module (func (param $x i32)\n  (local.set $y (i32.const 1))))').message, 'WAT line 2, column 14: unknown local $y');
  assert.is(errorFor('(module (func (local i32)\n  local.get 1))').message, 'WAT line 2, column 13: local index 1 is out of range (the function has 1)');
  assert.is(errorFor('(module (func (block $a (br $b))))').message, 'WAT line 1, column 29: unknown label $b');
});

test('unbalanced parentheses are errors naming where', () => {
  assert.is(errorFor('(module\n  (func (param $x i32)\n    (local.set $x (i32.const 1)))').message, 'WAT line 1, column 1: unbalanced "(": it is never closed');
  assert.is(errorFor('(module (func))\n)').message, 'WAT line 2, column 1: unbalanced ")": no "(" is open here');
});

test('other text it does not read is a one-line error with a position', () => {
  const cases: [string, RegExp][] = [
    ['(module (func (param $x i64)))', /^WAT line 1, column 25: unknown value type "i64"/],
    ['(module (func (param $x i32) (param $x i32)))', /column 37: duplicate local \$x/],
    ['(module (func (f32x4.extract_lane (local.get 0))))', /column 35: f32x4.extract_lane expects a lane index/],
    ['(module (func (local i32) (local.set 0 (i32.const 1.5))))', /column 51: expected an i32 literal, got "1.5"/],
    ['(module (func (local f32) (local.set 0 (f32.const nan))))', /column 51: expected a decimal f32 literal/],
    ['(module (func (i32.load align=3 (i32.const 0))))', /column 25: align=3 is not a power of two/],
    ['(module (func (i32.load align=4 offset=8 (i32.const 0))))', /column 33: unexpected "offset=8": the operands of \(i32.load \.\.\.\) go in parentheses/],
    ['(module (func block end))', /column 15: write "block" folded/],
    ['(module (func (if (i32.const 1))))', /column 15: \(if \.\.\.\) has no \(then \.\.\.\)/],
    ['(module (global i32))', /column 9: unsupported module field "global"/],
    ['(module (import "env" "f" (func)))', /column 27: only memory imports are supported/],
    ['(func)', /column 1: expected "\(module \.\.\.\)"/],
    ['(module (func (export "a\\n")))', /column 23: escape sequences in strings are not supported/],
    ['(module (; never closed', /column 9: block comment "\(;" is never closed/],
  ];
  for (const [text, message] of cases) {
    const e = errorFor(text);
    assert.match(e.message, message, text);
    assert.not.match(e.message, /\n/);
  }
});

test('the source name given is in the message', () => {
  assert.match(errorFor('(module (func foo))').message, /^WAT line 1/);
  try {
    assembleWat('(module (func foo))', 'kernels');
    assert.unreachable();
  } catch (e) {
    assert.is((e as Error).message, 'kernels line 1, column 15: unknown instruction "foo"');
  }
});

test.run();
