// Documents stored as BSON in slabs: contents survive updates and deletes that compact slabs,
// partial decoding reads the same values as full decoding, and a capture (snapshot) is a stable
// point-in-time view while writes go on.
import { BSON, Decimal128, Long, ObjectId } from 'bson';
import { idKey } from '../src/keys';
import { decodeFields, DESER, DocStore, idKeyOfRaw, opsRecord, packSlabs, putOp } from '../src/store';

const doc = (i: number, pad = 0) => ({
  _id: new ObjectId(),
  i,
  s: 'x'.repeat(pad) + i,
  d: new Date(i * 1000),
  a: [i, 'y', new ObjectId()],
  o: { k: i, deep: { z: [1, 2] } },
  b: i % 2 === 0,
  nul: null,
  neg: -i - 0.5,
});

describe('DocStore', () => {
  it('keeps every live document through updates and deletes that free slabs', () => {
    const st = new DocStore();
    const want = new Map<string, any>();
    for (let i = 0; i < 12000; i++) {
      const d = doc(i, 200);
      const id = idKey(d._id);
      st.set(id, BSON.serialize(d));
      want.set(id, d);
    }
    const bytesBefore = st.slabBytes;
    // rewrite every document twice with a smaller version, delete a third
    let k = 0;
    for (const [id, d] of want) {
      if (k++ % 3 === 0) {
        st.delete(id);
        want.delete(id);
        continue;
      }
      const next = { ...d, s: 'short' + d.i };
      st.set(id, BSON.serialize(next));
      st.set(id, BSON.serialize(next));
      want.set(id, next);
    }
    expect(st.size).toBe(want.size);
    for (const [id, d] of want) expect(st.get(id)).toEqual(BSON.deserialize(BSON.serialize(d), DESER));
    // dead versions were reclaimed: far less than three generations of bytes are held
    expect(st.slabBytes).toBeLessThan(bytesBefore * 1.2);
  });

  it('decodeFields reads what a full decode reads; idKeyOfRaw matches idKey', () => {
    const arrays = {
      _id: 6,
      path: [new ObjectId(), new ObjectId(), new ObjectId()],
      mixed: [1, 'a', null, true, new Date(0), 2.5, -0],
      nested: [[1], [2, 'b']],
      docs: [{ a: 1 }, { $ref: 'c', $id: 1 }],
      longs: [Long.fromNumber(2 ** 40), Long.fromNumber(2 ** 60)],
      decimals: [Decimal128.fromString('1.5')],
      empty: [],
    };
    for (const d of [doc(1), doc(2), { _id: 'text', x: 1 }, { a: 1, _id: { c: 1 } }, { _id: 5, big: 2 ** 40 }, arrays]) {
      const raw = Buffer.from(BSON.serialize(d));
      const full = BSON.deserialize(raw, DESER);
      const fields = new Set(Object.keys(d));
      expect(decodeFields(raw, fields)).toEqual(full);
      // each field by itself (a field the fast decoder cannot read makes the whole document decoded)
      for (const f of fields) expect(decodeFields(raw, new Set([f]))).toEqual({ [f]: full[f] });
      expect(decodeFields(raw, new Set(['_id', 'missing']))).toEqual({ _id: full._id });
      expect(idKeyOfRaw(raw)).toBe(idKey(full._id));
    }
  });

  it('a capture reads the documents as they were, whatever is written after', () => {
    const st = new DocStore();
    const ids: string[] = [];
    const oids: ObjectId[] = [];
    for (let i = 0; i < 20000; i++) {
      const d = doc(i, 100);
      oids.push(d._id);
      ids.push(idKey(d._id));
      st.set(ids[i], BSON.serialize(d));
    }
    const cap = st.capture();
    for (let i = 0; i < 20000; i++) {
      if (i % 2) st.delete(ids[i]);
      else st.set(ids[i], BSON.serialize({ _id: oids[i], changed: true, pad: 'p'.repeat(300) }));
    }
    for (let i = 0; i < cap.refs.length; i += 997) expect(BSON.deserialize(cap.raw(i), DESER).i).toBe(i);
    cap.release();
    expect(st.size).toBe(10000);
    expect(st.get(ids[0])).toMatchObject({ changed: true });
  });

  it('journal records built around stored bytes are the BSON of { ops: [...] }', () => {
    const docs = [doc(1), doc(2, 50), { _id: 'x', 红: '十字' }];
    const raws = docs.map((d) => BSON.serialize(d));
    const ns = 'db.coll.with.dots';
    const mixed = [putOp(ns, raws[0]), BSON.serialize({ o: 'd', n: ns, k: 5 }), putOp('a.b', raws[2])];
    expect(BSON.deserialize(opsRecord(mixed), DESER)).toEqual(
      BSON.deserialize(
        BSON.serialize({
          ops: [
            { o: 'p', n: ns, d: docs[0] },
            { o: 'd', n: ns, k: 5 },
            { o: 'p', n: 'a.b', d: docs[2] },
          ],
        }),
        DESER,
      ),
    );
  });

  it('packs documents into slabs that another store adopts as they are', () => {
    // sizes around the 8-byte alignment, a slab boundary, and one document larger than a slab
    const docs = [
      ...Array.from({ length: 3000 }, (_, i) => doc(i, i % 37)),
      { _id: 'big', pad: 'b'.repeat(5 * 1024 * 1024) },
      doc(3000, 3),
    ];
    const raws = docs.map((d) => Buffer.from(BSON.serialize(d)));
    const slabs = [...packSlabs(raws.length, (i) => raws[i])];
    expect(slabs.length).toBeGreaterThan(2);
    const st = new DocStore();
    for (const s of slabs) st.adoptSlab(s);
    expect(st.size).toBe(docs.length);
    docs.forEach((d, i) => expect(st.get(idKeyOfRaw(raws[i]))).toEqual(BSON.deserialize(raws[i], DESER)));
    // the adopted store takes writes and deletions like any other
    st.set(idKeyOfRaw(raws[5]), BSON.serialize({ _id: docs[5]._id, changed: true }));
    st.delete(idKeyOfRaw(raws[6]));
    expect(st.get(idKeyOfRaw(raws[5]))).toEqual({ _id: docs[5]._id, changed: true });
    expect(st.has(idKeyOfRaw(raws[6]))).toBe(false);
    expect(st.size).toBe(docs.length - 1);
  });
});
