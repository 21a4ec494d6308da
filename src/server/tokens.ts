import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The server's API tokens: `<root>/tokens.json` (mode 0600) holds, per token, its id, role, name,
 * creation time and the SHA-256 of its secret, never the secret itself. A secret is 32 random
 * bytes, so a plain hash is enough (no dictionary to guess from); it is shown once, at creation.
 */

/** What a token may do; each role includes the ones before it. */
export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** A stored token, as listed (no secret, no hash). */
export interface TokenInfo {
  id: string;
  role: Role;
  name?: string;
  created: string;
}

interface StoredToken extends TokenInfo {
  hash: string;
}

/** Secrets look like `oa_<id>_<random>`: the id makes a leaked secret easy to find and revoke. */
const SECRET_PREFIX = 'oa_';

/**
 * Whether `role` includes `needed`.
 *
 * @example
 * roleAllows('admin', 'operator'); // true
 */
export function roleAllows(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

/**
 * The file of the tokens of a store root.
 *
 * @example
 * tokensFile('/home/me/.orchestai'); // '/home/me/.orchestai/tokens.json'
 */
export function tokensFile(root: string): string {
  return path.join(root, 'tokens.json');
}

const hashOf = (secret: string) => createHash('sha256').update(secret, 'utf8').digest('hex');

/**
 * The token file of a store root: create, list, revoke, and check a presented secret.
 *
 * @example
 * const tokens = new TokenStore('/home/me/.orchestai');
 * const { secret } = tokens.create('operator', 'ci');
 * tokens.verify(secret); // { id: '…', role: 'operator', name: 'ci', created: '…' }
 */
export class TokenStore {
  readonly file: string;

  constructor(root: string) {
    this.file = tokensFile(root);
  }

  /** Creates a token; the returned secret is not kept anywhere. */
  create(role: Role, name?: string): TokenInfo & { secret: string } {
    if (!ROLES.includes(role)) throw new Error(`unknown role ${JSON.stringify(role)}: one of ${ROLES.join(', ')}`);
    const id = randomBytes(6).toString('hex');
    const secret = `${SECRET_PREFIX}${id}_${randomBytes(32).toString('base64url')}`;
    const info: TokenInfo = { id, role, ...(name ? { name } : {}), created: new Date().toISOString() };
    this.write([...this.read(), { ...info, hash: hashOf(secret) }]);
    return { ...info, secret };
  }

  /** Every token, oldest first, without hashes. */
  list(): TokenInfo[] {
    return this.read().map(({ hash: _hash, ...info }) => info);
  }

  /** Removes a token; false when there is none with that id. */
  revoke(id: string): boolean {
    const tokens = this.read();
    const kept = tokens.filter((t) => t.id !== id);
    if (kept.length === tokens.length) return false;
    this.write(kept);
    return true;
  }

  /** The token a secret belongs to, or undefined; every stored hash is compared in constant time. */
  verify(secret: string | undefined): TokenInfo | undefined {
    if (!secret) return undefined;
    const given = Buffer.from(hashOf(secret), 'hex');
    let found: StoredToken | undefined;
    for (const t of this.read()) {
      const stored = Buffer.from(t.hash, 'hex');
      // No early exit: the time taken does not say which token (or how much of one) matched.
      if (stored.length === given.length && timingSafeEqual(stored, given) && !found) found = t;
    }
    if (!found) return undefined;
    const { hash: _hash, ...info } = found;
    return info;
  }

  /** Whether any token has this role (or a higher one). */
  has(role: Role): boolean {
    return this.read().some((t) => roleAllows(t.role, role));
  }

  /** The last parse, kept while the file is unchanged (every request checks a token). */
  private cached?: { key: string; tokens: StoredToken[] };

  private read(): StoredToken[] {
    let key: string;
    let text: string;
    try {
      const st = fs.statSync(this.file);
      key = `${st.ino}:${st.mtimeMs}:${st.size}`;
      if (this.cached?.key === key) return this.cached.tokens;
      text = fs.readFileSync(this.file, 'utf8');
    } catch (e: any) {
      if (e?.code === 'ENOENT') return [];
      throw e;
    }
    let value: any;
    try {
      value = JSON.parse(text);
    } catch (e: any) {
      throw new Error(`${this.file}: not JSON (${e?.message ?? e})`);
    }
    if (!Array.isArray(value?.tokens)) throw new Error(`${this.file}: expected { "tokens": [...] }`);
    this.cached = { key, tokens: value.tokens };
    return value.tokens;
  }

  /** Writes a temporary file with mode 0600, then renames it over the old one (no torn file, never readable by others). */
  private write(tokens: StoredToken[]): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify({ tokens }, null, 2) + '\n', { mode: 0o600 });
    fs.chmodSync(tmp, 0o600);
    fs.renameSync(tmp, this.file);
  }
}
