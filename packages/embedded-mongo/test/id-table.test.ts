// The id table behind a DocStore (id-table.ts) against a Map as the model: random inserts,
// updates and deletes of ids of every kind keep the same contents and the same natural order
// (first insertion; an update keeps its place, a re-insert after a delete goes last), through
// the table's growth, its tombstones and the renumbering of deleted places.
import { BSON, Decimal128, Long, ObjectId } from 'bson';
import { idKey } from '../src/keys';
import { DESER, DocStore } from '../src/store';
import { rng } from './random';

const oids = Array.from({ length: 3000 }, () => new ObjectId());
/** The id pool: ObjectIds, strings (some non-Latin), numbers of three BSON types, documents. */
function idOf(k: number): unknown {
  switch (k % 6) {
    case 0:
    case 1:
      return oids[k % oids.length];
    case 2:
      return `branch-${k}-红十字`;
    case 3:
      return k % 12 === 3 ? Long.fromNumber(k) : k;
    case 4:
      return k + 0.5;
    default:
      return k % 10 === 5 ? Decimal128.fromString(String(k)) : { region: k, kind: 'county' };
  }
}

describe('IdTable (through DocStore)', () => {
  it.each([1, 2, 3])('keeps the contents and the natural order of a Map under random writes (seed %i)', (seed) => {
    const { next: r } = rng(seed);
    const st = new DocStore();
    const model = new Map<string, { v: number }>();
    const ids = new Map<string, unknown>();
    for (let step = 0; step < 40000; step++) {
      // a pool smaller than the steps: many updates and re-inserts; phases heavy in deletes shrink it
      const k = Math.floor(r() * 6000);
      const id = idOf(k);
      const key = idKey(id);
      ids.set(key, id);
      const deleting = step % 10000 > 7000 ? r() < 0.7 : r() < 0.2;
      if (deleting) {
        expect(st.delete(key)).toBe(model.delete(key));
      } else {
        const v = step;
        st.set(key, BSON.serialize({ _id: id, v, pad: 'x'.repeat(k % 50) }));
        model.set(key, { v });
      }
      if (step % 5000 === 4999) {
        expect(st.size).toBe(model.size);
        expect([...st.keys()]).toEqual([...model.keys()]);
      }
    }
    expect(st.size).toBe(model.size);
    expect([...st.keys()]).toEqual([...model.keys()]);
    for (const [key, { v }] of model) expect(st.get(key)).toMatchObject({ v });
    for (const key of ids.keys()) expect(st.has(key)).toBe(model.has(key));
    // a copy adopted from the store's slabs (as recovery does) finds every id from its bytes alone
    const cap = st.capture();
    const copy = new DocStore();
    for (let i = 0; i < cap.refs.length; i++) copy.set(idKey(BSON.deserialize(cap.raw(i), DESER)._id), cap.raw(i));
    cap.release();
    expect([...copy.keys()]).toEqual([...model.keys()]);
  });

  it('an id equal as a number across BSON types is one entry, as in MongoDB', () => {
    const st = new DocStore();
    st.set(idKey(5), BSON.serialize({ _id: 5, t: 'int' }));
    st.set(idKey(Long.fromNumber(5)), BSON.serialize({ _id: Long.fromNumber(5), t: 'long' }));
    st.set(idKey(5.0), BSON.serialize({ _id: 5.0, t: 'double' }));
    expect(st.size).toBe(1);
    expect(st.get(idKey(5))).toMatchObject({ t: 'double' });
  });
});
