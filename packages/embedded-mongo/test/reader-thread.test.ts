// Recovery reads the snapshot on a reader thread (scanRecords with `ahead`) while the main thread
// adopts what has been read: it must visit exactly the records, and stop exactly where, reading
// on the main thread does, across the thread's 32 MB steps, at a torn tail and at a record whose
// checksum fails in the middle of the file.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { encodeRecord, scanRecords } from '../src/journal';

function scan(file: string, ahead: boolean): { payloads: string[]; validLength: number; totalLength: number } {
  const payloads: string[] = [];
  const r = scanRecords(file, (p) => void payloads.push(p.toString('latin1', 0, 64) + p.length), { whole: true, ahead });
  return { payloads, ...r };
}

describe('scanRecords on a reader thread', () => {
  let dir: string;
  let records: Buffer;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reader-'));
    // ~57 MB of records of varied sizes (one larger than a step)
    const parts: Buffer[] = [];
    for (let i = 0; i < 2600; i++)
      parts.push(encodeRecord({ i, pad: String(i % 10).repeat(i === 1007 ? 40_000_000 : 1000 + ((i * 7919) % 30_000)) }));
    records = Buffer.concat(parts);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('visits the same records as the main thread, over several steps', () => {
    // the thread's compiled file is there (the package's tests run after its build): else this tests nothing new
    expect(fs.existsSync(path.join(__dirname, '../dist/reader-thread.js'))).toBe(true);
    const file = path.join(dir, 'whole.bson');
    fs.writeFileSync(file, records);
    const ahead = scan(file, true);
    expect(ahead.totalLength).toBeGreaterThan(48 * 1024 * 1024); // two steps and more
    expect(ahead.payloads.length).toBe(2600);
    expect(ahead).toEqual(scan(file, false));
  });

  it('stops at a torn tail where the main thread stops', () => {
    const file = path.join(dir, 'torn.bson');
    fs.writeFileSync(file, records.subarray(0, records.length - 500));
    const ahead = scan(file, true);
    expect(ahead.payloads.length).toBe(2599);
    expect(ahead).toEqual(scan(file, false));
  });

  it('stops at a record whose checksum fails, in the middle of the file', () => {
    const file = path.join(dir, 'corrupt.bson');
    const bad = Buffer.from(records);
    // a byte inside a payload ~50 MB in, in the second step
    let pos = 0;
    let n = 0;
    while (pos < 50 * 1024 * 1024) {
      pos += 8 + bad.readUInt32LE(pos);
      n++;
    }
    bad[pos + 8 + 20] ^= 0xff;
    fs.writeFileSync(file, bad);
    const ahead = scan(file, true);
    expect(ahead.payloads.length).toBe(n);
    expect(ahead.validLength).toBe(pos);
    expect(ahead).toEqual(scan(file, false));
  });
});
