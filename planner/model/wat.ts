/**
 * A WebAssembly text (WAT) assembler for the small subset the planner's SIMD kernels are written
 * in (`kernels.ts`): one module importing its memory, functions with named params and locals,
 * inline exports, the i32/f32/v128 instructions in `INSTRUCTIONS`, and block/loop/if/br/br_if.
 *
 * Why hand-written rather than wabt: the planner builds its kernels synchronously when a model
 * loads (`new KernelArena` inside a synchronous constructor), and wabt's text parser is an
 * Emscripten build (a 690 kB script in a 5.5 MB package) that only comes up asynchronously
 * (`await wabt()`); it would also be a runtime dependency for about 600 bytes of output. wabt stays
 * a devDependency: the tests check that this assembler's bytes are wabt's bytes for the same text.
 *
 * What it checks: syntax, names (locals, labels, value types, instructions) and immediates, each
 * failure a one-line `WatError` naming the line and column. What it leaves to the engine: type
 * checking the instructions' operands, which `new WebAssembly.Module` does anyway.
 *
 * Instructions can be written folded, `(i32.add (local.get $a) (i32.const 1))`, or flat,
 * `local.get $a i32.const 1 i32.add`; block, loop and if only folded, so every label's extent is
 * its parentheses.
 */

/** Where a token starts: 1-based line and column (in UTF-16 code units) of the text. */
interface Pos {
  readonly source: string;
  readonly line: number;
  readonly column: number;
}

type Node =
  | { readonly kind: 'atom'; readonly text: string; readonly at: Pos }
  | { readonly kind: 'string'; readonly text: string; readonly at: Pos }
  | { readonly kind: 'list'; readonly items: Node[]; readonly at: Pos };
type List = Extract<Node, { kind: 'list' }>;
type Atom = Extract<Node, { kind: 'atom' }>;
type Token = Exclude<Node, List> | { readonly kind: '('; readonly at: Pos } | { readonly kind: ')'; readonly at: Pos };

/**
 * Text the assembler does not understand, with where it is.
 *
 * @example
 * try { assembleWat('(module (func i32.frob))'); } catch (e) { (e as WatError).message } // 'WAT line 1, column 15: unknown instruction "i32.frob"'
 */
export class WatError extends Error {
  override name = 'WatError';
  readonly line: number;
  readonly column: number;

  constructor(at: Pos, readonly reason: string) {
    super(`${at.source} line ${at.line}, column ${at.column}: ${reason}`);
    this.line = at.line;
    this.column = at.column;
  }
}

const fail = (at: Pos, reason: string): never => {
  throw new WatError(at, reason);
};

// ---------------------------------------------------------------------------------------------
// Text -> tokens -> S-expressions

/**
 * One token or blank stretch at a time, by a sticky regular expression (the regex engine scans
 * faster than a loop over characters, and this runs cold, once per process): blank (whitespace,
 * a `;;` comment), `(;` opening a block comment, a paren, a string, an atom.
 */
const TOKEN = /(\s+|;;[^\n]*)|(\(;)|([()])|("[^"\n]*"?)|([^\s()";]+)/y;

/** Splits WAT text into parens, atoms and strings, skipping whitespace and `;;`/`(; ;)` comments. */
function scanTokens(text: string, source: string): Token[] {
  const out: Token[] = [];
  let line = 1, lineStart = 0;
  for (let i = 0; i < text.length; ) {
    const at: Pos = { source, line, column: i - lineStart + 1 };
    TOKEN.lastIndex = i;
    const m = TOKEN.exec(text);
    if (!m) return fail(at, `unexpected "${text[i]}"`);
    const end = m[2] ? blockCommentEnd(text, i, at) : TOKEN.lastIndex;
    if (m[3]) out.push(m[3] === '(' ? { kind: '(', at } : { kind: ')', at });
    else if (m[4]) out.push({ kind: 'string', text: stringBody(m[4], at), at });
    else if (m[5]) out.push({ kind: 'atom', text: m[5], at });
    else {
      // Only blanks and block comments span lines.
      const skipped = m[1] ?? text.slice(i, end);
      for (let k = skipped.indexOf('\n'); k >= 0; k = skipped.indexOf('\n', k + 1)) {
        line++;
        lineStart = i + k + 1;
      }
    }
    i = end;
  }
  return out;
}

/** Where the block comment `(; ... ;)` starting at `from` ends; they nest. */
function blockCommentEnd(text: string, from: number, at: Pos): number {
  const delimiter = /\(;|;\)/g;
  delimiter.lastIndex = from;
  for (let depth = 0, m = delimiter.exec(text); m; m = delimiter.exec(text)) {
    depth += m[0] === '(;' ? 1 : -1;
    if (depth === 0) return delimiter.lastIndex;
  }
  return fail(at, 'block comment "(;" is never closed');
}

/** A string's characters; escapes are not needed by the kernels' names, so they are refused. */
function stringBody(quoted: string, at: Pos): string {
  if (quoted.length < 2 || !quoted.endsWith('"')) fail(at, 'string is never closed');
  if (quoted.includes('\\')) fail(at, 'escape sequences in strings are not supported');
  return quoted.slice(1, -1);
}

/** Nests tokens into lists by their parentheses. */
function buildTree(tokens: Token[], source: string): Node[] {
  const root: List = { kind: 'list', items: [], at: { source, line: 1, column: 1 } };
  const open: List[] = [root];
  for (const t of tokens) {
    const top = open[open.length - 1];
    if (t.kind === '(') {
      const list: List = { kind: 'list', items: [], at: t.at };
      top.items.push(list);
      open.push(list);
    } else if (t.kind === ')') {
      if (open.length === 1) fail(t.at, 'unbalanced ")": no "(" is open here');
      open.pop();
    } else top.items.push(t);
  }
  if (open.length > 1) fail(open[open.length - 1].at, 'unbalanced "(": it is never closed');
  return root.items;
}

/** Reads a list's items one by one. */
class Cursor {
  constructor(private readonly items: Node[], private i = 0) {}
  get done(): boolean {
    return this.i >= this.items.length;
  }
  peek(): Node | undefined {
    return this.items[this.i];
  }
  next(): Node {
    return this.items[this.i++];
  }
  rest(): Node[] {
    return this.items.slice(this.i);
  }
}

const isAtom = (n: Node | undefined): n is Atom => n?.kind === 'atom';
/** `(head ...)` with that head keyword. */
const isForm = (n: Node | undefined, head: string): n is List => n?.kind === 'list' && isAtom(n.items[0]) && n.items[0].text === head;
const describe = (n: Node): string => (n.kind === 'list' ? '"("' : `"${n.text}"`);
/** A list's first item, or the node itself. */
const headOf = (n: Node): Node => (n.kind === 'list' && n.items[0]) || n;

// ---------------------------------------------------------------------------------------------
// S-expressions -> a module description

const VALUE_TYPES: Record<string, number> = { i32: 0x7f, f32: 0x7d, v128: 0x7b };

interface Func {
  exports: string[];
  params: number[];
  locals: number[];
  /** Params then locals, by `$name`. */
  names: Map<string, number>;
  body: Node[];
}

interface MemoryImport {
  module: string;
  field: string;
  min: number;
  max?: number;
}

interface Module {
  memory?: MemoryImport;
  funcs: Func[];
}

function readModule(top: Node[], source: string): Module {
  const [mod, extra] = top;
  if (!isForm(mod, 'module')) return fail(mod?.at ?? { source, line: 1, column: 1 }, 'expected "(module ...)"');
  if (extra) fail(extra.at, 'unexpected text after "(module ...)"');
  const fields = new Cursor(mod.items, 1);
  if (isAtom(fields.peek()) && (fields.peek() as Atom).text.startsWith('$')) fields.next();
  const module: Module = { funcs: [] };
  while (!fields.done) {
    const field = fields.next();
    if (isForm(field, 'import')) {
      if (module.memory) fail(field.at, 'only one memory import is supported');
      module.memory = readMemoryImport(field);
    } else if (isForm(field, 'func')) module.funcs.push(readFunc(field));
    else fail(field.at, `unsupported module field ${describe(headOf(field))}`);
  }
  return module;
}

/** `(import "env" "memory" (memory $id? min max?))` */
function readMemoryImport(list: List): MemoryImport {
  const [, module, field, desc] = list.items;
  if (module?.kind !== 'string' || field?.kind !== 'string') return fail(list.at, 'expected (import "module" "name" (memory ...))');
  if (!isForm(desc, 'memory')) return fail(desc?.at ?? list.at, 'only memory imports are supported: (memory min max?)');
  if (list.items.length > 4) fail(list.items[4].at, `unexpected ${describe(list.items[4])}`);
  const limits = desc.items.slice(1).filter((n) => !(isAtom(n) && n.text.startsWith('$')));
  if (limits.length < 1 || limits.length > 2) fail(desc.at, 'expected (memory min max?)');
  const [min, max] = limits.map((n) => readUnsigned(n, 'a page count'));
  return { module: module.text, field: field.text, min, max };
}

/** `(func $id? (export "name")* (param ...)* (local ...)* instruction*)` */
function readFunc(list: List): Func {
  const c = new Cursor(list.items, 1);
  const func: Func = { exports: [], params: [], locals: [], names: new Map(), body: [] };
  if (isAtom(c.peek()) && (c.peek() as Atom).text.startsWith('$')) c.next();
  while (isForm(c.peek(), 'export')) func.exports.push(readExportName(c.next() as List));
  while (isForm(c.peek(), 'param')) readDeclaration(c.next() as List, func, func.params);
  while (isForm(c.peek(), 'local')) readDeclaration(c.next() as List, func, func.locals);
  func.body = c.rest();
  return func;
}

function readExportName(list: List): string {
  const [, name, extra] = list.items;
  if (name?.kind !== 'string') return fail(name?.at ?? list.at, 'expected (export "name")');
  if (extra) fail(extra.at, `unexpected ${describe(extra)}`);
  return name.text;
}

/** `(param $name type)` or `(param type*)`, the same for `local`; names go to `func.names`. */
function readDeclaration(list: List, func: Func, into: number[]): void {
  const items = list.items.slice(1);
  const first = items[0];
  if (isAtom(first) && first.text.startsWith('$')) {
    if (items.length !== 2) fail(list.at, `expected (${(list.items[0] as Atom).text} $name type)`);
    if (func.names.has(first.text)) fail(first.at, `duplicate local ${first.text}`);
    func.names.set(first.text, func.params.length + func.locals.length);
    into.push(readValueType(items[1]));
  } else for (const t of items) into.push(readValueType(t));
}

function readValueType(n: Node): number {
  const type = isAtom(n) ? VALUE_TYPES[n.text] : undefined;
  return type ?? fail(n.at, `unknown value type ${describe(n)} (expected ${Object.keys(VALUE_TYPES).join(', ')})`);
}

/** A u32 (indices, page counts, offsets), decimal or hex. */
function readUnsigned(n: Node, what: string): number {
  const value = isAtom(n) && /^(\d+|0x[0-9a-f]+)$/i.test(n.text) ? Number(n.text) : NaN;
  return value <= 0xffffffff ? value : fail(n.at, `expected ${what}, got ${describe(n)}`);
}

// ---------------------------------------------------------------------------------------------
// Instructions -> bytes

/** What follows an instruction's opcode. */
type Immediate = 'none' | 'local' | 'label' | 'i32' | 'f32' | 'lane' | 'memarg';

interface Instruction {
  readonly op: number[];
  readonly imm: Immediate;
  /** memarg instructions: the natural alignment in bytes, the default for `align=`. */
  readonly align?: number;
}

/** SIMD opcodes are the 0xfd prefix then the spec's number as an unsigned LEB128. */
const simd = (n: number): number[] => [0xfd, ...uleb(n)];

/** The instructions the kernels use; opcodes from the WebAssembly core and SIMD specs. */
const INSTRUCTIONS: Record<string, Instruction> = {
  br: { op: [0x0c], imm: 'label' },
  br_if: { op: [0x0d], imm: 'label' },
  'local.get': { op: [0x20], imm: 'local' },
  'local.set': { op: [0x21], imm: 'local' },
  'i32.load': { op: [0x28], imm: 'memarg', align: 4 },
  'f32.load': { op: [0x2a], imm: 'memarg', align: 4 },
  'f32.store': { op: [0x38], imm: 'memarg', align: 4 },
  'i32.const': { op: [0x41], imm: 'i32' },
  'f32.const': { op: [0x43], imm: 'f32' },
  'i32.lt_u': { op: [0x49], imm: 'none' },
  'i32.ge_u': { op: [0x4f], imm: 'none' },
  'f32.ne': { op: [0x5c], imm: 'none' },
  'i32.add': { op: [0x6a], imm: 'none' },
  'i32.mul': { op: [0x6c], imm: 'none' },
  'i32.shl': { op: [0x74], imm: 'none' },
  'f32.add': { op: [0x92], imm: 'none' },
  'v128.load': { op: simd(0), imm: 'memarg', align: 16 },
  'v128.store': { op: simd(11), imm: 'memarg', align: 16 },
  'f32x4.splat': { op: simd(19), imm: 'none' },
  'f32x4.extract_lane': { op: simd(31), imm: 'lane' },
  'f32x4.add': { op: simd(228), imm: 'none' },
  'f32x4.mul': { op: simd(230), imm: 'none' },
};

const BLOCKS: Record<string, number> = { block: 0x02, loop: 0x03, if: 0x04 };
const ELSE = 0x05, END = 0x0b, NO_RESULT = 0x40;
const isBlock = (op: Atom): boolean => Object.hasOwn(BLOCKS, op.text);

/** What names mean inside one function body. */
interface Scope {
  readonly func: Func;
  /** Enclosing blocks, innermost last: their `$label` or undefined. */
  readonly labels: (string | undefined)[];
}

/** A sequence of instructions, folded or flat. */
function encodeSequence(items: Node[], scope: Scope, out: number[]): void {
  const c = new Cursor(items);
  while (!c.done) {
    const n = c.next();
    if (n.kind === 'list') encodeFolded(n, scope, out);
    else if (n.kind === 'atom') encodeFlat(n, c, scope, out);
    else fail(n.at, `unexpected string "${n.text}"`);
  }
}

/** `op immediates...`, the immediates read from the atoms after it. */
function encodeFlat(op: Atom, rest: Cursor, scope: Scope, out: number[]): void {
  if (isBlock(op) || op.text === 'else' || op.text === 'end') fail(op.at, `write "${op.text}" folded: (block ...), (loop ...), (if ... (then ...) (else ...))`);
  const ins = lookup(op);
  out.push(...ins.op, ...readImmediate(ins, op, rest, scope));
}

/** `(op immediates... operands...)`: the operands' code, then the instruction. */
function encodeFolded(list: List, scope: Scope, out: number[]): void {
  const op = list.items[0];
  if (!isAtom(op)) return fail(op?.at ?? list.at, 'expected an instruction after "("');
  if (isBlock(op)) return encodeBlock(list, op, scope, out);
  const c = new Cursor(list.items, 1);
  const ins = lookup(op);
  const imm = readImmediate(ins, op, c, scope);
  while (!c.done) {
    const operand = c.next();
    if (operand.kind !== 'list') fail(operand.at, `unexpected ${describe(operand)}: the operands of (${op.text} ...) go in parentheses`);
    else encodeFolded(operand, scope, out);
  }
  out.push(...ins.op, ...imm);
}

/** `(block $l? ...)`, `(loop $l? ...)` or `(if $l? condition... (then ...) (else ...)?)`; no results. */
function encodeBlock(list: List, op: Atom, scope: Scope, out: number[]): void {
  const c = new Cursor(list.items, 1);
  const label = isAtom(c.peek()) && (c.peek() as Atom).text.startsWith('$') ? (c.next() as Atom).text : undefined;
  if (op.text !== 'if') {
    out.push(BLOCKS[op.text], NO_RESULT);
    inLabel(scope, label, () => encodeSequence(c.rest(), scope, out));
    out.push(END);
    return;
  }
  while (!c.done && !isForm(c.peek(), 'then')) {
    const n = c.next();
    if (n.kind !== 'list') fail(n.at, `unexpected ${describe(n)}: an if's condition goes in parentheses, then (then ...)`);
    else encodeFolded(n, scope, out);
  }
  if (c.done) fail(list.at, '(if ...) has no (then ...)');
  const then = c.next() as List;
  const otherwise = isForm(c.peek(), 'else') ? (c.next() as List) : undefined;
  if (!c.done) fail(c.peek()!.at, `unexpected ${describe(c.peek()!)} after (then ...)${otherwise ? ' (else ...)' : ''}`);
  out.push(BLOCKS.if, NO_RESULT);
  inLabel(scope, label, () => {
    encodeSequence(then.items.slice(1), scope, out);
    if (otherwise) {
      out.push(ELSE);
      encodeSequence(otherwise.items.slice(1), scope, out);
    }
  });
  out.push(END);
}

function inLabel(scope: Scope, label: string | undefined, body: () => void): void {
  scope.labels.push(label);
  body();
  scope.labels.pop();
}

function lookup(op: Atom): Instruction {
  return Object.hasOwn(INSTRUCTIONS, op.text) ? INSTRUCTIONS[op.text] : fail(op.at, `unknown instruction "${op.text}"`);
}

function readImmediate(ins: Instruction, op: Atom, c: Cursor, scope: Scope): number[] {
  if (ins.imm === 'none') return [];
  if (ins.imm === 'memarg') return readMemarg(c, ins.align!);
  const what = { local: 'a local ($name or index)', label: 'a label ($name or depth)', i32: 'an i32 literal', f32: 'an f32 literal', lane: 'a lane index' }[ins.imm];
  const arg = c.peek();
  if (!isAtom(arg)) return fail(arg?.at ?? op.at, `${op.text} expects ${what}`);
  c.next();
  if (ins.imm === 'local') return uleb(resolveLocal(arg, scope.func));
  if (ins.imm === 'label') return uleb(resolveLabel(arg, scope.labels));
  if (ins.imm === 'i32') return sleb(readI32(arg));
  if (ins.imm === 'f32') return f32Bytes(readF32(arg));
  const lane = readUnsigned(arg, what);
  return lane < 256 ? [lane] : fail(arg.at, `lane index ${lane} is out of range`);
}

function resolveLocal(arg: Atom, func: Func): number {
  const count = func.params.length + func.locals.length;
  if (arg.text.startsWith('$')) return func.names.get(arg.text) ?? fail(arg.at, `unknown local ${arg.text}`);
  const index = readUnsigned(arg, 'a local ($name or index)');
  return index < count ? index : fail(arg.at, `local index ${index} is out of range (the function has ${count})`);
}

/** A label's branch depth: 0 is the innermost enclosing block; `labels.length` is the function body. */
function resolveLabel(arg: Atom, labels: (string | undefined)[]): number {
  if (arg.text.startsWith('$')) {
    const i = labels.lastIndexOf(arg.text);
    return i >= 0 ? labels.length - 1 - i : fail(arg.at, `unknown label ${arg.text}`);
  }
  const depth = readUnsigned(arg, 'a label ($name or depth)');
  return depth <= labels.length ? depth : fail(arg.at, `branch depth ${depth} is out of range (${labels.length} blocks enclose it)`);
}

/** `offset=N? align=N?` (in that order, as the spec has it); alignment in bytes, encoded as its log2. */
function readMemarg(c: Cursor, natural: number): number[] {
  const offset = readMemargField(c, 'offset') ?? 0;
  const align = readMemargField(c, 'align') ?? natural;
  return [...uleb(Math.log2(align)), ...uleb(offset)];
}

function readMemargField(c: Cursor, key: 'offset' | 'align'): number | undefined {
  const n = c.peek();
  if (!isAtom(n) || !n.text.startsWith(`${key}=`)) return undefined;
  c.next();
  const value = readUnsigned({ ...n, text: n.text.slice(key.length + 1) }, `a number after ${key}=`);
  if (key === 'align' && (value === 0 || (value & (value - 1)) !== 0)) fail(n.at, `${n.text} is not a power of two`);
  return value;
}

/** Decimal or hex, signed or not; stored as the i32 with the same bits (so 0xffffffff is -1). */
function readI32(n: Atom): number {
  const m = /^([+-]?)(\d+|0x[0-9a-f]+)$/i.exec(n.text);
  const value = m ? (m[1] === '-' ? -Number(m[2]) : Number(m[2])) : NaN;
  if (!(value >= -(2 ** 31) && value < 2 ** 32)) fail(n.at, `expected an i32 literal, got "${n.text}"`);
  return value | 0;
}

/**
 * Decimal literals only (no hex floats, nan or inf: the kernels need 0). Rounded via the double
 * nearest the text, which can differ from rounding the decimal straight to f32 in the last bit for
 * a literal with more digits than an f32 holds; write such constants exactly.
 */
function readF32(n: Atom): number {
  if (!/^[+-]?\d+(\.\d*)?([eE][+-]?\d+)?$/.test(n.text)) fail(n.at, `expected a decimal f32 literal, got "${n.text}"`);
  const value = Math.fround(Number(n.text));
  return Number.isFinite(value) ? value : fail(n.at, `f32 literal "${n.text}" is out of range`);
}

// ---------------------------------------------------------------------------------------------
// The binary format

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

/** Signed LEB128 of an i32. */
function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    const last = (n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0);
    out.push(last ? b : b | 0x80);
    if (last) return out;
  }
}

function f32Bytes(x: number): number[] {
  const view = new DataView(new ArrayBuffer(4));
  view.setFloat32(0, x, true);
  return [...new Uint8Array(view.buffer)];
}

const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const utf8 = (s: string): number[] => vec([...new TextEncoder().encode(s)].map((b) => [b]));
/** A section, or nothing when it has no entries (as wabt leaves empty sections out). */
const section = (id: number, entries: number[][]): number[] => {
  if (entries.length === 0) return [];
  const body = vec(entries);
  return [id, ...uleb(body.length), ...body];
};

/** The locals as (count, type) runs of equal types. */
function localRuns(types: number[]): number[][] {
  const runs: [number, number][] = [];
  for (const t of types) {
    const last = runs[runs.length - 1];
    if (last && last[1] === t) last[0]++;
    else runs.push([1, t]);
  }
  return runs.map(([count, type]) => [...uleb(count), type]);
}

function encodeCode(func: Func): number[] {
  const code = [...vec(localRuns(func.locals))];
  encodeSequence(func.body, { func, labels: [] }, code);
  code.push(END);
  return [...uleb(code.length), ...code];
}

function encodeModule(module: Module): Uint8Array {
  // One type per distinct signature, in order of first use (as wabt does for inline params).
  const types = new Map<string, number[]>();
  const typeOf = module.funcs.map((f) => {
    const type = [0x60, ...vec(f.params.map((p) => [p])), ...vec([])];
    const key = type.join();
    if (!types.has(key)) types.set(key, type);
    return [...types.keys()].indexOf(key);
  });
  const memory = module.memory;
  const limits = (m: MemoryImport) => (m.max === undefined ? [0x00, ...uleb(m.min)] : [0x01, ...uleb(m.min), ...uleb(m.max)]);
  const exports = module.funcs.flatMap((f, k) => f.exports.map((e) => [...utf8(e), 0x00, ...uleb(k)]));
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [...types.values()]),
    ...section(2, memory ? [[...utf8(memory.module), ...utf8(memory.field), 0x02, ...limits(memory)]] : []),
    ...section(3, typeOf.map(uleb)),
    ...section(7, exports),
    ...section(10, module.funcs.map(encodeCode)),
  ]);
}

/**
 * Assembles WAT text (the subset described at the top of this file) into a WebAssembly binary,
 * synchronously. `source` names the text in error messages.
 *
 * @example
 * const bytes = assembleWat('(module (func (export "one") (param $x i32) (local.set $x (i32.const 1))))');
 * new WebAssembly.Module(bytes); // validates
 */
export function assembleWat(text: string, source = 'WAT'): Uint8Array {
  return encodeModule(readModule(buildTree(scanTokens(text, source), source), source));
}
