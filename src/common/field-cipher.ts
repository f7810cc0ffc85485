import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import type { Secrets } from '../config/secrets.js';

/**
 * Encrypts sensitive fields (national ID, phone) with AES-256-GCM as `keyId:base64(iv|tag|data)`,
 * and gives a keyed hash for exact lookups without decrypting.
 */
export class FieldCipher {
  private readonly lookupKey: Buffer;

  constructor(private readonly secrets: Pick<Secrets, 'encryptionKeys' | 'currentKeyId'>) {
    const current = secrets.encryptionKeys.get(secrets.currentKeyId)!;
    this.lookupKey = Buffer.from(hkdfSync('sha256', current, Buffer.alloc(0), 'tgp-lookup-hash', 32));
  }

  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.secrets.encryptionKeys.get(this.secrets.currentKeyId)!, iv);
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${this.secrets.currentKeyId}:${Buffer.concat([iv, cipher.getAuthTag(), data]).toString('base64')}`;
  }

  decrypt(stored: string): string {
    const [keyId, payload] = stored.split(':');
    const key = this.secrets.encryptionKeys.get(keyId);
    if (!key || !payload) throw new Error(`No key ${keyId} to decrypt a stored field`);
    const raw = Buffer.from(payload, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  }

  lookupHash(plain: string): string {
    return createHmac('sha256', this.lookupKey).update(plain).digest('base64url');
  }
}
