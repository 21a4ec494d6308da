import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { displayUrl } from '../../src/history/pg/index.ts';

test('displayUrl drops the password from URLs and key=value strings', () => {
  assert.is(displayUrl('postgres://app:s3cret@db.example:5432/runs'), 'postgres://app@db.example:5432/runs');
  assert.is(displayUrl('postgresql://app:p%40ss@db/runs?sslmode=require&password=other'), 'postgresql://app@db/runs?sslmode=require&password=***');
  assert.is(displayUrl('postgres://db/runs'), 'postgres://db/runs');
  assert.not.match(displayUrl('host=db user=app password=s3cret dbname=runs'), /s3cret/);
});

test.run();
