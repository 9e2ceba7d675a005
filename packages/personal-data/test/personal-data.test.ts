import { randomBytes } from 'node:crypto';
import { PersonalDataVault, isValidIdNumber, maskIdNumber, maskPhone, withCheckDigit } from '../src';

describe('personal data', () => {
  const vault = new PersonalDataVault(randomBytes(32));
  const id = withCheckDigit('33010619850312123');

  it('masks identity numbers and phones', () => {
    expect(maskIdNumber('330106198503121234')).toBe('3301**********1234');
    expect(maskPhone('13812345678')).toBe('138****5678');
  });

  it('checks the GB 11643 check digit', () => {
    expect(isValidIdNumber(id)).toBe(true);
    expect(isValidIdNumber(id.slice(0, 17) + (id[17] === '0' ? '1' : '0'))).toBe(false);
    expect(isValidIdNumber('12345')).toBe(false);
  });

  it('hashes equal values equally (spaces and case aside) and encrypts with a fresh IV each time', () => {
    const a = vault.protect(id, 'idNumber');
    const b = vault.protect(` ${id.toLowerCase()} `, 'idNumber');
    expect(a.hash).toBe(b.hash);
    expect(a.cipher).not.toBe(b.cipher);
    expect(a.cipher).not.toContain(id);
    expect(vault.reveal(a)).toBe(id);
    expect(a.masked).toBe(maskIdNumber(id));
  });

  it('never gives the same IV twice, across refills of its pool of nonces', () => {
    const ivs = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      const p = vault.protect(id, 'idNumber');
      ivs.add(Buffer.from(p.cipher, 'base64').subarray(0, 12).toString('hex'));
      if (i % 997 === 0) expect(vault.reveal(p)).toBe(id);
    }
    expect(ivs.size).toBe(5000);
  });

  it('cannot be read or matched with another key, and detects tampering', () => {
    const other = new PersonalDataVault(randomBytes(32));
    const p = vault.protect(id, 'idNumber');
    expect(other.hash(id)).not.toBe(p.hash);
    expect(() => other.reveal(p)).toThrow();
    const raw = Buffer.from(p.cipher, 'base64');
    raw[raw.length - 1] ^= 1;
    expect(() => vault.reveal({ cipher: raw.toString('base64') })).toThrow();
  });

  it('reads its key from the environment and refuses a bad one', () => {
    const key = PersonalDataVault.generateKey();
    const v1 = PersonalDataVault.fromEnv({ PERSONAL_DATA_KEY: key });
    const v2 = PersonalDataVault.fromEnv({ PERSONAL_DATA_KEY: key });
    expect(v1.hash(id)).toBe(v2.hash(id));
    expect(() => PersonalDataVault.fromEnv({ PERSONAL_DATA_KEY: 'short' })).toThrow(/32 bytes/);
    expect(() => PersonalDataVault.fromEnv({}, { required: true })).toThrow(/PERSONAL_DATA_KEY/);
  });
});
