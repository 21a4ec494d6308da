import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { historyStateAt } from '../../src/ui/state.ts';
import { isLoopbackHost, tokenMatches } from '../../src/ui/auth.ts';
import { finishedShopRun } from './histories.ts';

test('historyStateAt: active leaves from the last transition, outputs so far, status', () => {
  const h = finishedShopRun('r1');
  const waiting = h.find((e) => e.type === 'transition' && e.to[0] === 'fetch.waiting')!.seq;
  const s = historyStateAt(h, waiting);
  assert.equal(s.active, ['fetch.waiting']);
  assert.equal((s.context as any).outputs, {});
  assert.is(s.status, 'running');
  assert.is(s.via, 'history');
  const end = historyStateAt(h, 10_000);
  assert.is(end.seq, h.length);
  assert.equal(end.active, ['succeeded']);
  assert.is(end.status, 'succeeded');
  assert.equal(Object.keys((end.context as any).outputs), ['fetch', 'summarize', 'publish']);
  assert.equal(historyStateAt(h, 0).active, []);
});

test('loopback detection and token comparison', () => {
  for (const h of ['127.0.0.1', 'localhost', '::1', '[::1]', '127.1.2.3']) assert.ok(isLoopbackHost(h), h);
  for (const h of ['0.0.0.0', '::', '192.168.1.4', 'example.com', '128.0.0.1']) assert.not.ok(isLoopbackHost(h), h);
  assert.ok(tokenMatches('secret-123', 'secret-123'));
  assert.not.ok(tokenMatches('secret-123', 'secret-124'));
  assert.not.ok(tokenMatches('secret-123', 'secret'));
  assert.not.ok(tokenMatches('secret-123', undefined));
});

test.run();
