import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { NotJsonError, assertJson, assertJsonSince, deepFreeze, isJson } from '../../transformers/json.ts';
import { formatPath, getPath, type PathSegment } from '../../transformers/path.ts';

function notJson(value: unknown, where = 'v'): NotJsonError {
  try {
    assertJson(value, where);
  } catch (e) {
    assert.instance(e, NotJsonError);
    return e as NotJsonError;
  }
  throw new assert.Assertion({ message: `expected ${String(value)} to be rejected` } as any);
}

class Point {
  constructor(readonly x = 1) {}
}

const BAD: [string, unknown, RegExp][] = [
  ['undefined', undefined, /undefined/],
  ['function', () => 1, /a function/],
  ['symbol', Symbol('s'), /a symbol/],
  ['bigint', 10n, /a bigint/],
  ['NaN', NaN, /NaN/],
  ['Infinity', Infinity, /Infinity/],
  ['-Infinity', -Infinity, /-Infinity/],
  ['Date', new Date(0), /a Date/],
  ['Map', new Map(), /a Map/],
  ['Set', new Set(), /a Set/],
  ['class instance', new Point(), /instance of Point/],
  ['boxed string', new String('x'), /instance of String/],
  ['RegExp', /x/, /instance of RegExp/],
];

for (const [name, bad, reason] of BAD) {
  test(`assertJson rejects ${name} with its path`, () => {
    const e = notJson({ files: [{ size: 1 }, { name: 'a', size: bad }] }, 'outputs.coder');
    assert.is(e.path, 'outputs.coder.files[1].size');
    assert.is(e.where, 'outputs.coder');
    assert.match(e.reason, reason);
    assert.match(e.message, /^outputs\.coder\.files\[1\]\.size is .* which is not JSON$/);
    assert.is(isJson(bad), false);
  });
}

test('assertJson accepts every JSON kind, null-prototype objects and shared (non-cyclic) references', () => {
  const shared = { x: [1] };
  const bare = Object.assign(Object.create(null), { a: 1 });
  for (const v of [null, true, 0, -1.5, '', 'x', [], {}, { a: [null, { b: 'c' }] }, { p: shared, q: shared }, bare]) {
    assertJson(v, 'v');
    assert.ok(isJson(v));
  }
});

test('assertJson reports a bad root as the label itself', () => {
  assert.is(notJson(undefined, 'outputs.x').path, 'outputs.x');
});

test('assertJson catches cycles in objects and arrays', () => {
  const o: any = { a: { b: {} } };
  o.a.b.back = o;
  const e = notJson(o, 'shared');
  assert.is(e.path, 'shared.a.b.back');
  assert.match(e.reason, /circular/);
  const arr: any[] = [1];
  arr.push([arr]);
  assert.is(notJson(arr, 'r').path, 'r[1][0]');
});

test('assertJson quotes keys that are not identifiers', () => {
  assert.is(notJson({ 'content-type': { 'a.b': { '2': undefined } } }, 'o').path, 'o.content-type["a.b"]["2"]');
});

test('assertJson flags array holes (JSON would turn them into null)', () => {
  // eslint-disable-next-line no-sparse-arrays
  assert.is(notJson([1, , 3], 'a').path, 'a[1]');
});

test('assertJson reports absurd nesting instead of crashing', () => {
  let deep: any = 1;
  for (let i = 0; i < 200_000; i++) deep = [deep];
  assert.match(notJson(deep).reason, /nested too deeply/);
});

test('assertJsonSince walks only what differs from the previous value', () => {
  // A Date smuggled into `previous` breaks its precondition; that it goes unnoticed
  // proves identical subtrees are skipped rather than walked again.
  const prev = deepFreeze({ old: { when: new Date(0) as any }, list: [{ a: 1 }] });
  assertJsonSince({ ...prev, added: 1 }, prev, 'shared');
  const copied = { ...prev, old: { when: new Date(1) } };
  assert.throws(() => assertJsonSince(copied, prev, 'shared'), (e: any) => e.path === 'shared.old.when');
  const appended = { ...prev, list: [...prev.list, { a: undefined }] };
  assert.throws(() => assertJsonSince(appended, prev, 'shared'), (e: any) => e.path === 'shared.list[1].a');
  assert.throws(() => assertJsonSince({ ...prev, gone: undefined }, prev, 's'), (e: any) => e.path === 's.gone');
});

test('deepFreeze freezes every level, also below a shallow-frozen object', () => {
  const v = deepFreeze({ a: Object.freeze({ b: [{ c: 1 }] }) as any });
  assert.ok(Object.isFrozen(v.a.b) && Object.isFrozen(v.a.b[0]));
  assert.throws(() => {
    v.a.b[0].c = 2;
  }, TypeError);
  assert.is(deepFreeze(3), 3);
});

test('property: random JSON passes assertJson and survives a JSON round trip', () => {
  fc.assert(
    fc.property(fc.jsonValue(), (v) => {
      assertJson(v, 'v');
      assert.equal(JSON.parse(JSON.stringify(v)), v);
    }),
    { numRuns: 300 },
  );
});

const badLeaf = fc.constantFrom<unknown>(undefined, () => 0, Symbol('x'), 5n, NaN, Infinity, new Date(0), new Map(), new Set(), new Point());
const segment = fc.oneof(fc.string({ maxLength: 6 }), fc.nat(4)) as fc.Arbitrary<PathSegment>;
const filler = fc.jsonValue({ maxDepth: 2 });

/** Wraps `leaf` so that it sits at `segments`, surrounded by valid JSON siblings. */
function embed(leaf: unknown, segments: PathSegment[], siblings: unknown[]): unknown {
  let v = leaf;
  for (let i = segments.length - 1; i >= 0; i--) {
    const s = segments[i];
    const sib = siblings[i % siblings.length];
    if (typeof s === 'number') v = [...Array.from({ length: s }, () => sib), v, sib];
    else v = { ...(sib !== null && typeof sib === 'object' && !Array.isArray(sib) ? sib : {}), [s]: v };
  }
  return v;
}

test('property: a single bad leaf anywhere is rejected with its exact path; a good leaf there is found by getPath', () => {
  fc.assert(
    fc.property(badLeaf, fc.array(segment, { maxLength: 5 }), fc.array(filler, { minLength: 1, maxLength: 3 }), (bad, segs, sibs) => {
      const e = notJson(embed(bad, segs, sibs), 'root');
      assert.is(e.path, formatPath(segs, 'root'));
      const good = embed('LEAF', segs, sibs);
      assertJson(good, 'root');
      assert.is(getPath(good as any, segs, 'root'), 'LEAF');
    }),
    { numRuns: 300 },
  );
});

test.run();
