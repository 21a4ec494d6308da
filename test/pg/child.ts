/**
 * A separate process for the process-level tests (lifecycle.test.ts), by mode:
 * - `store <url>`: uses every part of a store that holds a connection or a timer, closes it, and
 *   must then exit on its own;
 * - `server <exit|kill|signal>`: starts a Postgres, prints `<pid> <dataDir>`, then ends without
 *   stopping it (exits, waits to be SIGKILLed, or waits for SIGTERM): no server may outlive it;
 * - `require <names>`: registers a test behind requireServices and runs it.
 */
import fs from 'node:fs';
import { test } from 'uvu';
import { createPgStore } from '../../src/history/pg/index.ts';
import { requireServices, startPostgres } from '../support/services.ts';
import { started } from './helpers.ts';

const [mode, arg] = process.argv.slice(2);

if (mode === 'store') {
  const store = await createPgStore(arg, { schema: process.env.PG_SCHEMA, leaseMs: 1_000, orphanPollMs: 100 });
  await store.submit('exit1', { workflowId: 'wf' }, {});
  const stopFollow = store.follow('exit1', 0, () => undefined);
  store.onOrphan(() => undefined); // never unsubscribed: close() must end it
  const channel = store.controlChannel();
  channel.watch(() => ['exit1'], () => undefined);
  const { writer } = (await store.claim('exit1', 'hub-child'))!;
  writer.append(started('exit1'));
  await writer.flush();
  await new Promise((r) => setTimeout(r, 100));
  void stopFollow;
  await store.close();
  console.log('closed');
} else if (mode === 'server') {
  const pg = await startPostgres();
  console.log(`${pg.pid} ${pg.dataDir}`);
  if (arg === 'exit') process.exit(0);
  setInterval(() => undefined, 1_000); // wait for SIGKILL or SIGTERM
} else if (mode === 'require') {
  const it = requireServices(test, arg.split(',') as ('postgres' | 'redis')[]);
  it('needs the services', () => {
    console.log('ran the real test');
  });
  test.run();
}

