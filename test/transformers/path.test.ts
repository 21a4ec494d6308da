import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { MissingDataError, formatPath, getPath, parsePath, type PathSegment } from '../../transformers/path.ts';

test('parsePath: dots, indexes, quoted keys, empty path', () => {
  assert.equal(parsePath(''), []);
  assert.equal(parsePath('files[2].size'), ['files', 2, 'size']);
  assert.equal(parsePath('[0][1]'), [0, 1]);
  assert.equal(parsePath('meta["content.type"]["say \\"hi\\""]'), ['meta', 'content.type', 'say "hi"']);
  assert.equal(parsePath('steps.my-step.out'), ['steps', 'my-step', 'out']);
});

test('parsePath: malformed paths name the character', () => {
  for (const [bad, at] of [['.a', 1], ['a.', 2], ['a[', 2], ['a[-1]', 2], ['a]', 2], ['a["x]', 2]] as const) {
    assert.throws(() => parsePath(bad), new RegExp(`at character ${at}:`), bad);
  }
});

test('formatPath: identifiers dotted, the rest quoted, indexes bracketed', () => {
  assert.is(formatPath(['a', 0, 'b c', '2', ''], 'root'), 'root.a[0]["b c"]["2"][""]');
  assert.is(formatPath(['a', 'b']), 'a.b');
  assert.is(formatPath([]), '');
});

test('property: parsePath(formatPath(p)) gives p back', () => {
  const seg = fc.oneof(fc.string(), fc.nat()) as fc.Arbitrary<PathSegment>;
  fc.assert(fc.property(fc.array(seg, { maxLength: 6 }), (segs) => {
    assert.equal(parsePath(formatPath(segs)), segs);
  }), { numRuns: 500 });
});

test('getPath: arrays accept numeric keys; errors are MissingDataError with source and path', () => {
  const v = { a: [10, { b: null }] };
  assert.is(getPath(v, ['a', '0'], 'x'), 10);
  assert.is(getPath(v, ['a', 1, 'b'], 'x'), null);
  try {
    getPath(v, ['a', 1, 'b', 'c'], 'output of step "s"');
    assert.unreachable();
  } catch (e) {
    assert.instance(e, MissingDataError);
    const m = e as MissingDataError;
    assert.is(m.source, 'output of step "s"');
    assert.is(m.path, 'a[1].b.c');
    assert.is(m.message, 'output of step "s" has no a[1].b.c: a[1].b is null');
  }
  assert.throws(() => getPath(v, ['a', 'x'], 'in'), /a is an array, not an object/);
  assert.throws(() => getPath([], [0], 'in'), /it has 0 items/);
});

test.run();
