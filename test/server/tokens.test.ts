import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { neededRole } from '../../src/server/auth.ts';
import { roleAllows, TokenStore } from '../../src/server/tokens.ts';
import { cli } from '../support/cli.ts';

/** Role tokens: stored hashed in a 0600 file, checked, revoked; the `orchestai token` and `server` commands. */

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'oa-tokens-'));

test('TokenStore: a secret verifies to its token; the file holds only its hash, mode 0600', () => {
  const root = tmp();
  const tokens = new TokenStore(root);
  const a = tokens.create('operator', 'ci');
  const b = tokens.create('viewer');
  assert.match(a.secret, new RegExp(`^oa_${a.id}_[\\w-]{43}$`));
  assert.equal(tokens.verify(a.secret), { id: a.id, role: 'operator', name: 'ci', created: a.created });
  assert.is(tokens.verify(b.secret)?.role, 'viewer');
  assert.is(tokens.verify(a.secret + 'x'), undefined);
  assert.is(tokens.verify(''), undefined);
  assert.is(tokens.verify(undefined), undefined);
  const text = fs.readFileSync(path.join(root, 'tokens.json'), 'utf8');
  // The random part is base64url, which may itself hold '_': take all of it after the id, not a split piece.
  const random = a.secret.slice(`oa_${a.id}_`.length);
  assert.is(random.length, 43);
  assert.not.ok(text.includes(a.secret) || text.includes(random), 'no secret in clear');
  assert.is(fs.statSync(path.join(root, 'tokens.json')).mode & 0o777, 0o600);
  assert.ok(tokens.has('operator') && !tokens.has('admin'));
  assert.ok(tokens.revoke(a.id));
  assert.not.ok(tokens.revoke(a.id));
  assert.is(tokens.verify(a.secret), undefined);
  assert.throws(() => tokens.create('root' as any), /unknown role "root"/);
});

test('roles: each includes the ones below; routes need viewer to read, operator to act, admin for tokens and prune', () => {
  assert.ok(roleAllows('admin', 'viewer') && roleAllows('operator', 'operator') && !roleAllows('viewer', 'operator') && !roleAllows('operator', 'admin'));
  assert.is(neededRole('GET', '/api/runs'), 'viewer');
  assert.is(neededRole('HEAD', '/'), 'viewer');
  assert.is(neededRole('POST', '/api/runs'), 'operator');
  assert.is(neededRole('POST', '/api/runs/x/approve'), 'operator');
  assert.is(neededRole('GET', '/api/tokens'), 'admin');
  assert.is(neededRole('DELETE', '/api/tokens/ab'), 'admin');
  assert.is(neededRole('POST', '/api/prune'), 'admin');
});

test('a broken tokens.json is an error naming the file, not an open door', () => {
  const root = tmp();
  fs.writeFileSync(path.join(root, 'tokens.json'), '{not json');
  assert.throws(() => new TokenStore(root).verify('oa_x_y'), /tokens\.json: not JSON/);
});

test('orchestai token create/list/revoke', async () => {
  const home = tmp();
  const made = await cli(['token', 'create', '--role', 'operator', '--name', 'ci'], home);
  assert.is(made.code, 0, made.err);
  const secret = made.out.trim();
  assert.match(secret, /^oa_[0-9a-f]{12}_/);
  assert.match(made.err, /shown only this once/);
  const stored = fs.readFileSync(path.join(home, 'tokens.json'), 'utf8');
  assert.not.ok(stored.includes(secret.slice(20)), 'the secret is not in tokens.json in clear');
  assert.ok(new TokenStore(home).verify(secret));

  const json = await cli(['token', 'create', '--role', 'admin', '--json'], home);
  const admin = JSON.parse(json.out);
  assert.equal([admin.role, typeof admin.secret], ['admin', 'string']);

  const list = await cli(['token', 'list'], home);
  assert.is(list.code, 0);
  assert.match(list.out, /^[0-9a-f]{12}  operator  \S+  ci$/m);
  assert.match(list.out, new RegExp(`^${admin.id}  admin `, 'm'));
  assert.not.ok(list.out.includes(secret) || list.out.includes(admin.secret));
  const listed = JSON.parse((await cli(['token', 'list', '--json'], home)).out).tokens;
  assert.is(listed.length, 2);
  assert.not.ok('hash' in listed[0]);

  const id = secret.split('_')[1];
  const revoked = await cli(['token', 'revoke', id], home);
  assert.is(revoked.code, 0, revoked.err);
  assert.is(new TokenStore(home).verify(secret), undefined);
  const again = await cli(['token', 'revoke', id], home);
  assert.is(again.code, 1);
  assert.match(again.err, `no token "${id}"`);
  assert.match((await cli(['token', 'create'], home)).err, /token create needs --role viewer\|operator\|admin/);
  assert.match((await cli(['token', 'create', '--role', 'root'], home)).err, /--role/);
  assert.match((await cli(['token', 'mint'], home)).err, /unknown token action "mint"/);
});

test('orchestai server refuses to start without an admin token and says how to make one', async () => {
  const home = tmp();
  await cli(['token', 'create', '--role', 'operator'], home);
  const r = await cli(['server', '--port', '0'], home);
  assert.is(r.code, 1);
  assert.match(r.err, /no admin token in .*tokens\.json: create one with `orchestai token create --role admin`/);
});

test.run();
