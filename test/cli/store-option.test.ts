import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { redisSpec, storeSpec } from '../../src/cli/store-option.ts';
import { loadConfigFile } from '../../src/project/config.ts';

const project = (config: string) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'orchestai-store-option-'));
  fs.writeFileSync(path.join(dir, 'orchestai.config.mjs'), config);
  return dir;
};

test('the store and the Redis: --store/--redis, else the environment, else orchestai.config', async () => {
  const cwd = project("export default { store: 'postgres://app@db:5432/runs', redis: 'redis://queue:6379' };\n");
  assert.is(await storeSpec(undefined, { env: {}, cwd }), 'postgres://app@db:5432/runs');
  assert.is(await storeSpec(undefined, { env: { ORCHESTAI_STORE: 'postgres://env/x' }, cwd }), 'postgres://env/x');
  assert.is(await storeSpec('postgres://flag/x', { env: { ORCHESTAI_STORE: 'postgres://env/x' }, cwd }), 'postgres://flag/x');
  assert.is(await redisSpec(undefined, { env: {}, cwd }), 'redis://queue:6379');
  assert.is(await redisSpec(undefined, { env: { ORCHESTAI_REDIS: 'redis://env:1' }, cwd }), 'redis://env:1');
  assert.is(await storeSpec(undefined, { env: {}, cwd: fs.mkdtempSync(path.join(os.tmpdir(), 'orchestai-none-')) }), undefined);
});

test('a store in the config that is not a postgres:// URL is an error naming the file and the field', async () => {
  const cwd = project("export default { store: 'mysql://db/x' };\n");
  try {
    await loadConfigFile(path.join(cwd, 'orchestai.config.mjs'));
    assert.unreachable();
  } catch (e) {
    assert.match((e as Error).message, /orchestai\.config\.mjs: .*store.*postgres:\/\//);
  }
});

test.run();
