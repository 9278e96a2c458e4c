import crypto from 'node:crypto';
import type { Sql } from 'postgres';

/** Keys look like `ak_live_<prefix>_<secret>`; only a hash of the secret is stored. */
const KEY_PATTERN = /^ak_(live|test)_([a-z0-9]{8})_([A-Za-z0-9]{32})$/;

export type Environment = 'live' | 'test';

export interface ApiKeyRecord {
  id: number;
  prefix: string;
  environment: Environment;
  ownerId: number;
  scopes: string[];
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export interface IssuedKey {
  record: ApiKeyRecord;
  /** Shown once to the user; never stored. */
  plaintext: string;
}

function hashSecret(secret: string): string {
  return crypto.createHash('sha256').update(secret, 'utf8').digest('hex');
}

function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && crypto.timingSafeEqual(left, right);
}

export class ApiKeys {
  constructor(private readonly sql: Sql) {}

  async issue(ownerId: number, environment: Environment, scopes: string[]): Promise<IssuedKey> {
    if (scopes.length === 0) throw new RangeError('a key needs at least one scope');
    const prefix = crypto.randomBytes(4).toString('hex');
    const secret = crypto.randomString(32, 'alphanumeric');
    const [row] = await this.sql<ApiKeyRecord[]>`
      INSERT INTO api_keys (prefix, environment, owner_id, scopes, secret_hash)
      VALUES (${prefix}, ${environment}, ${ownerId}, ${scopes}, ${hashSecret(secret)})
      RETURNING id, prefix, environment, owner_id AS "ownerId", scopes,
                created_at AS "createdAt", last_used_at AS "lastUsedAt", revoked_at AS "revokedAt"
    `;
    return { record: row, plaintext: `ak_${environment}_${prefix}_${secret}` };
  }

  async verify(presented: string, requiredScope: string): Promise<ApiKeyRecord | null> {
    const match = KEY_PATTERN.exec(presented);
    if (!match) return null;
    const [, environment, prefix, secret] = match;
    const [row] = await this.sql<(ApiKeyRecord & { secretHash: string })[]>`
      SELECT id, prefix, environment, owner_id AS "ownerId", scopes, secret_hash AS "secretHash",
             created_at AS "createdAt", last_used_at AS "lastUsedAt", revoked_at AS "revokedAt"
      FROM api_keys
      WHERE prefix = ${prefix} AND environment = ${environment}
    `;
    if (!row || row.revokedAt || !sameHash(row.secretHash, hashSecret(secret))) return null;
    if (!row.scopes.includes(requiredScope) && !row.scopes.includes('*')) return null;
    await this.sql`UPDATE api_keys SET last_used_at = now() WHERE id = ${row.id}`;
    const { secretHash: _omit, ...record } = row;
    return record;
  }

  async revoke(id: number, ownerId: number): Promise<boolean> {
    const result = await this.sql`
      UPDATE api_keys SET revoked_at = now()
      WHERE id = ${id} AND owner_id = ${ownerId} AND revoked_at IS NULL
    `;
    return result.count === 1;
  }

  async list(ownerId: number): Promise<ApiKeyRecord[]> {
    return this.sql<ApiKeyRecord[]>`
      SELECT id, prefix, environment, owner_id AS "ownerId", scopes,
             created_at AS "createdAt", last_used_at AS "lastUsedAt", revoked_at AS "revokedAt"
      FROM api_keys WHERE owner_id = ${ownerId} ORDER BY created_at DESC
    `;
  }
}
