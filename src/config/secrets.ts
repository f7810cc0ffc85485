import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { AppConfig } from './config.schema.js';

export interface Secrets {
  /** Key id → 32-byte key; `current` encrypts, every key decrypts. */
  encryptionKeys: Map<string, Buffer>;
  currentKeyId: string;
  sessionSecret: string;
}

/**
 * Reads keys from the environment. Outside production, missing keys are generated once and kept in
 * `DATA_DIR/secrets.json` so an embedded demo keeps working across restarts without committed secrets.
 */
export function resolveSecrets(config: AppConfig): Secrets {
  let stored: { encryptionKey?: string; sessionSecret?: string } = {};
  const file = resolve(config.DATA_DIR, 'secrets.json');
  if (!config.DATA_ENCRYPTION_KEY || !config.SESSION_SECRET) {
    if (existsSync(file)) stored = JSON.parse(readFileSync(file, 'utf8'));
    if (!stored.encryptionKey || !stored.sessionSecret) {
      stored = {
        encryptionKey: stored.encryptionKey ?? randomBytes(32).toString('base64'),
        sessionSecret: stored.sessionSecret ?? randomBytes(32).toString('base64url'),
      };
      mkdirSync(resolve(config.DATA_DIR), { recursive: true });
      writeFileSync(file, JSON.stringify(stored, null, 2), { mode: 0o600 });
    }
  }
  const encryptionKeys = new Map<string, Buffer>();
  for (const entry of (config.DATA_ENCRYPTION_OLD_KEYS ?? '').split(',').filter(Boolean)) {
    const [id, key] = entry.split(':');
    encryptionKeys.set(id, Buffer.from(key, 'base64'));
  }
  const currentKey = Buffer.from(config.DATA_ENCRYPTION_KEY ?? stored.encryptionKey!, 'base64');
  const currentKeyId = `k${encryptionKeys.size + 1}`;
  encryptionKeys.set(currentKeyId, currentKey);
  return { encryptionKeys, currentKeyId, sessionSecret: config.SESSION_SECRET ?? stored.sessionSecret! };
}
