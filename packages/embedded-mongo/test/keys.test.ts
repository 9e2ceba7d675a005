// The order-preserving key encoding: string order of encodings == BSON order of values.
import { Decimal128, Long, MaxKey, MinKey, ObjectId, Timestamp } from 'bson';
import { encodeKey, prefixEnd, skipKey } from '../src/keys';
import { SortedStrings } from '../src/sorted';
import { compareValues } from '../src/values';

const VALUES: unknown[] = [
  new MinKey(),
  null,
  -Infinity,
  -1e300,
  -2.5,
  -1,
  Long.fromNumber(-1),
  -0,
  0,
  1e-300,
  1,
  Long.fromNumber(2),
  Decimal128.fromString('2.5'),
  3,
  2 ** 53,
  Infinity,
  '',
  '\u0000',
  '\u0000a',
  'A',
  'a',
  'a\u0000',
  'a\u0000b',
  'ab',
  'b',
  '安',
  '红十字',
  '\uffff',
  new ObjectId('000000000000000000000000'),
  new ObjectId('65a0000000000000000000ff'),
  new ObjectId('65a000000000000000000100'),
  new ObjectId('ffffffffffffffffffffffff'),
  false,
  true,
  new Date(-86400000),
  new Date(0),
  new Date('2021-01-01'),
  new Timestamp({ t: 1, i: 2 }),
  new Timestamp({ t: 2, i: 0 }),
  new MaxKey(),
];

describe('encodeKey', () => {
  it('orders encodings as MongoDB orders values', () => {
    for (const a of VALUES)
      for (const b of VALUES) {
        const ka = encodeKey(a);
        const kb = encodeKey(b);
        const want = Math.sign(compareValues(a, b));
        const got = ka < kb ? -1 : ka > kb ? 1 : 0;
        if (got !== want) throw new Error(`${String(a)} vs ${String(b)}: ${got} != ${want}`);
      }
  });

  it('encodings are byte strings (every char < 256)', () => {
    // eslint-disable-next-line no-control-regex
    for (const v of [...VALUES, '红十字会', 'emoji \u{1F600}', { a: '安' }]) expect(/^[\x00-\xff]*$/.test(encodeKey(v))).toBe(true);
  });

  it('compound keys are prefix-free and skippable', () => {
    for (const a of VALUES) {
      const k = encodeKey(a) + encodeKey('tail');
      expect(k.slice(skipKey(k, 0))).toBe(encodeKey('tail'));
    }
  });

  it('equal values of different numeric types encode equally', () => {
    expect(encodeKey(1)).toBe(encodeKey(Long.fromNumber(1)));
    expect(encodeKey(-0)).toBe(encodeKey(0));
  });
});

describe('prefixEnd', () => {
  it('is a byte string above every extension of the prefix, also when the prefix ends in 0xff', () => {
    for (const p of ['\x08ab\xff', '\x08\xff\xff', 'a\x00', '\x04x\x00\x00']) {
      const e = prefixEnd(p)!;
      // eslint-disable-next-line no-control-regex
      expect(/^[\x00-\xff]*$/.test(e)).toBe(true);
      for (const ext of ['', '\x00', '\xff', '\xff\xff\xff']) expect(p + ext < e).toBe(true);
      expect(e > p).toBe(true);
    }
    expect(prefixEnd('\xff\xff')).toBeNull();
  });
});

describe('SortedStrings', () => {
  it('keeps order through random inserts and deletes, and counts ranges', () => {
    const t = new SortedStrings();
    const ref = new Set<string>();
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    for (let i = 0; i < 20000; i++) {
      const s = String(Math.floor(rnd() * 5000)).padStart(5, '0');
      if (rnd() < 0.3) {
        expect(t.delete(s)).toBe(ref.delete(s));
      } else {
        expect(t.insert(s)).toBe(!ref.has(s));
        ref.add(s);
      }
    }
    const want = [...ref].sort();
    const got: string[] = [];
    t.walk(0, t.end, 1, (s) => void got.push(s));
    expect(got).toEqual(want);
    const back: string[] = [];
    t.walk(0, t.end, -1, (s) => void back.push(s));
    expect(back).toEqual([...want].reverse());
    const a = t.lowerBound('01000');
    const b = t.lowerBound('02000');
    expect(t.count(a, b)).toBe(want.filter((s) => s >= '01000' && s < '02000').length);
    const mid: string[] = [];
    t.walk(a, b, -1, (s) => void mid.push(s));
    expect(mid).toEqual(want.filter((s) => s >= '01000' && s < '02000').reverse());
  });

  it('an image, copied out and loaded into another set, holds the same entries and takes inserts and deletes', () => {
    const t = new SortedStrings();
    const ref = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      const s = `k${(i * 7919) % 100000}`.padEnd(8, 'x');
      t.insert(s);
      ref.add(s);
    }
    // as a file would give it back: bytes in one buffer, offsets copied
    const image = t.image().map(({ bytes, offsets }) => ({ bytes: Buffer.from(bytes), offsets: Int32Array.from(offsets) }));
    const u = new SortedStrings();
    u.loadImage(image);
    expect(u.size).toBe(ref.size);
    const all = (x: SortedStrings) => {
      const out: string[] = [];
      x.walk(0, x.end, 1, (s) => void out.push(s));
      return out;
    };
    expect(all(u)).toEqual([...ref].sort());
    for (let i = 0; i < 3000; i++) {
      const s = `n${i}`;
      u.insert(s);
      ref.add(s);
      const d = `k${(i * 7919) % 100000}`.padEnd(8, 'x');
      u.delete(d);
      ref.delete(d);
    }
    expect(all(u)).toEqual([...ref].sort());
    expect(all(t)).toHaveLength(5000); // the original is untouched
  });
});
