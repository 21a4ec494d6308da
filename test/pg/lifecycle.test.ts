import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { requireServices } from '../support/services.ts';
import { alive, child, eventually, pgFixture } from './helpers.ts';

/** Process-level behaviour: a closed store lets its process exit; no test server outlives its test process. */
const it = requireServices(test, ['postgres']);


it('a store that was claimed, followed, watched and closed lets its process exit', async () => {
  const fx = await pgFixture('exit');
  try {
    await fx.open(); // creates the schema
    const started = Date.now();
    const ran = await child(['store', fx.url], { env: { PG_SCHEMA: fx.schema }, ms: 15_000 });
    assert.is(ran.code, 0, ran.out);
    assert.match(ran.out, /closed/);
    assert.ok(Date.now() - started < 10_000);
    const [row] = await fx.sql(`SELECT last_seq FROM $schema.runs WHERE id = 'exit1'`);
    assert.is(row.last_seq, 1);
  } finally {
    await fx.end();
  }
});

it('requireServices: a missing server skips with one line, but fails under CI', async () => {
  const noRedis = { PATH: '/nonexistent', CI: '' };
  const skipped = await child(['require', 'redis'], { env: noRedis });
  assert.is(skipped.code, 0, skipped.out);
  assert.match(skipped.out, /skipped: redis not installed/);
  assert.not.match(skipped.out, /ran the real test/);
  const underCi = await child(['require', 'redis'], { env: { ...noRedis, CI: 'true' } });
  assert.is(underCi.code, 1, underCi.out);
  const present = await child(['require', 'postgres'], { env: noRedis }); // found in /usr/lib/postgresql/*/bin
  assert.is(present.code, 0, present.out);
  assert.match(present.out, /ran the real test/);
});

test.run();
