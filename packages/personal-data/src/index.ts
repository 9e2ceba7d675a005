import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/**
 * How a personal identifier (identity number, phone) is stored: a keyed hash to find duplicates
 * without the value, the value encrypted (AES-256-GCM), and a masked form for display.
 */
export interface ProtectedValue {
  hash: string;
  cipher: string;
  masked: string;
}

export type MaskKind = 'idNumber' | 'phone' | 'email' | 'text';

/** 3301**********1234: the region prefix and the last four stay visible. */
export function maskIdNumber(value: string): string {
  const v = value.trim();
  if (v.length <= 8) return '*'.repeat(v.length);
  return `${v.slice(0, 4)}${'*'.repeat(v.length - 8)}${v.slice(-4)}`;
}

/** 138****5678 */
export function maskPhone(value: string): string {
  const v = value.replace(/\s+/g, '');
  if (v.length <= 7) return '*'.repeat(v.length);
  return `${v.slice(0, 3)}${'*'.repeat(v.length - 7)}${v.slice(-4)}`;
}

/** w***@example.org */
export function maskEmail(value: string): string {
  const [user, domain] = value.trim().split('@');
  if (!domain) return '*'.repeat(value.length);
  return `${user.slice(0, 1)}***@${domain}`;
}

export function mask(value: string, kind: MaskKind): string {
  if (kind === 'idNumber') return maskIdNumber(value);
  if (kind === 'phone') return maskPhone(value);
  if (kind === 'email') return maskEmail(value);
  return value.length <= 2 ? '*'.repeat(value.length) : `${value[0]}${'*'.repeat(value.length - 1)}`;
}

/** Identity numbers compare without spaces and with an upper-case check letter (X). */
export function normalize(value: string): string {
  return value.replace(/\s+/g, '').toUpperCase();
}

/** A mainland resident identity number: 18 characters with a valid GB 11643 check digit. */
export function isValidIdNumber(value: string): boolean {
  const v = normalize(value);
  if (!/^\d{17}[\dX]$/.test(v)) return false;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((acc, w, i) => acc + w * Number(v[i]), 0);
  return '10X98765432'[sum % 11] === v[17];
}

/** Appends the GB 11643 check character to 17 digits (used by the dataset generator). */
export function withCheckDigit(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((acc, w, i) => acc + w * Number(first17[i]), 0);
  return first17 + '10X98765432'[sum % 11];
}

/**
 * A fresh random 12-byte GCM nonce, never given twice: drawn from a pool filled 1,024 at a time
 * (one randomBytes call per nonce was a tenth of the generator's time in a national load).
 */
const IV_BYTES = 12;
let ivPool = Buffer.alloc(0);
let ivAt = 0;
function nextIv(): Buffer {
  if (ivAt + IV_BYTES > ivPool.length) {
    ivPool = randomBytes(IV_BYTES * 1024);
    ivAt = 0;
  }
  return ivPool.subarray(ivAt, (ivAt += IV_BYTES));
}

/**
 * Keys for personal data, derived from one 32-byte master key (PERSONAL_DATA_KEY, base64):
 * one for the duplicate-finding hash, one for encryption, so neither reveals the other.
 */
export class PersonalDataVault {
  private readonly hashKey: Buffer;
  private readonly encKey: Buffer;

  constructor(masterKey: Buffer) {
    if (masterKey.length !== 32) throw new Error('The personal-data key must be 32 bytes (base64 in PERSONAL_DATA_KEY)');
    this.hashKey = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'rcsc personal-data hash', 32));
    this.encKey = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'rcsc personal-data encryption', 32));
  }

  /** From PERSONAL_DATA_KEY; without it a random key (fine for tests, lost at exit) unless required. */
  static fromEnv(env: NodeJS.ProcessEnv = process.env, { required = false } = {}): PersonalDataVault {
    const raw = env.PERSONAL_DATA_KEY;
    if (!raw) {
      if (required) throw new Error('PERSONAL_DATA_KEY is not set: personal data cannot be stored without a key');
      return new PersonalDataVault(randomBytes(32));
    }
    const key = Buffer.from(raw, 'base64');
    if (key.length !== 32) throw new Error('PERSONAL_DATA_KEY must be 32 bytes, base64-encoded');
    return new PersonalDataVault(key);
  }

  static generateKey(): string {
    return randomBytes(32).toString('base64');
  }

  /** The keyed hash used to find duplicates (same value, same hash) without storing the value. */
  hash(value: string): string {
    return createHmac('sha256', this.hashKey).update(normalize(value)).digest('base64url');
  }

  protect(value: string, kind: MaskKind): ProtectedValue {
    const iv = nextIv();
    const cipher = createCipheriv('aes-256-gcm', this.encKey, iv);
    const body = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
    return {
      hash: this.hash(value),
      cipher: Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64'),
      masked: mask(value, kind),
    };
  }

  /** The value itself; callers must check the viewer may see it and audit the reveal. */
  reveal(p: Pick<ProtectedValue, 'cipher'>): string {
    const raw = Buffer.from(p.cipher, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.encKey, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  }
}
