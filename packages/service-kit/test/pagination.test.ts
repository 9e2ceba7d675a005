import mongoose, { Schema } from 'mongoose';
import { decodeCursor, paginate } from '../src';

const craft = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

async function code(fn: () => unknown): Promise<string> {
  try {
    await fn();
    return 'none';
  } catch (e) {
    return String((e as { extensions?: { code?: string } }).extensions?.code ?? (e as Error).name);
  }
}

describe("crafted pagination cursors are the client's mistake (issue 16 item 4)", () => {
  it('refuses sort values in shapes no list writes: operators, arrays, impossible dates, huge ids', async () => {
    for (const bad of [
      [{ $ne: null }, 'a'],
      [{ $gt: '' }, 'a'],
      [['x'], 'a'],
      [{ $date: 'not a date' }, 'a'],
      [{ $date: '2021-01-01T00:00:00Z', extra: 1 }, 'a'],
      ['330000', 'x'.repeat(101)],
      ['330000', 7],
    ]) {
      expect([bad, await code(() => decodeCursor(craft(bad)))]).toEqual([bad, 'BAD_USER_INPUT']);
    }
    expect(decodeCursor(craft([{ $date: '2021-01-01T00:00:00.000Z' }, 'a'])).sortValue).toEqual(new Date('2021-01-01T00:00:00Z'));
    expect(decodeCursor(craft([12, 'a'])).sortValue).toBe(12);
  });

  it('refuses a cursor whose id is no ObjectId before querying, instead of failing inside the driver', async () => {
    const model = mongoose.model('CursorProbe', new Schema({ name: String })) as unknown as Parameters<typeof paginate>[0];
    expect(await code(() => paginate(model, {}, { first: 5, after: craft(['x', 'not-an-object-id']) }, 'name'))).toBe('BAD_USER_INPUT');
    expect(await code(() => paginate(model, {}, { first: 5, after: craft([null, '{"$gt":""}']) }))).toBe('BAD_USER_INPUT');
  });
});
