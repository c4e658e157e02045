import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Encryption at rest for secrets the app must read back (webhook signing keys): AES-256-GCM under a key derived
 * (HKDF) from COVEY_SECRET_KEY, or else from the token secret. Stored as `v1:<iv>:<tag>:<ciphertext>` (base64url).
 */
export type SecretBox = { seal(plain: string): string; open(sealed: string): string };

export function secretBox(material: string): SecretBox {
  const key = Buffer.from(hkdfSync('sha256', material, 'covey', 'covey secret box v1', 32));
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return ['v1', iv, cipher.getAuthTag(), data].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join(':');
    },
    open(sealed) {
      // Values written before encryption at rest existed are kept as they were.
      if (!sealed.startsWith('v1:')) return sealed;
      const [, iv, tag, data] = sealed.split(':');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv!, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag!, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(data!, 'base64url')), decipher.final()]).toString('utf8');
    },
  };
}
