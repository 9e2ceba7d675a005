// Development keys: made once on first start under data/keys.json (never a fixed secret in the
// code), and handed to every process of the local stack through its environment. In
// production set AUTH_JWT_SECRET (or AUTH_JWKS_URL) and PERSONAL_DATA_KEY yourself.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ROOT } from './root.mjs';

export const KEYS_FILE = process.env.RCSC_KEYS_FILE ?? join(ROOT, 'data', 'keys.json');

export function loadKeys() {
  if (process.env.AUTH_JWT_SECRET || process.env.AUTH_JWKS_URL) {
    return { AUTH_JWT_SECRET: process.env.AUTH_JWT_SECRET, PERSONAL_DATA_KEY: process.env.PERSONAL_DATA_KEY };
  }
  if (!existsSync(KEYS_FILE)) {
    mkdirSync(dirname(KEYS_FILE), { recursive: true });
    const keys = { AUTH_JWT_SECRET: randomBytes(32).toString('base64'), PERSONAL_DATA_KEY: randomBytes(32).toString('base64') };
    writeFileSync(KEYS_FILE, JSON.stringify(keys, null, 2), { mode: 0o600 });
  }
  return JSON.parse(readFileSync(KEYS_FILE, 'utf8'));
}
