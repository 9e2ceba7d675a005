import { Types } from 'mongoose';
import { badInput } from '@rcsc/service-kit';

export function isObjectId(id: string): boolean {
  return /^[0-9a-f]{24}$/i.test(id);
}

/** An id argument as an ObjectId, or BAD_USER_INPUT naming the argument. */
export function toObjectId(id: string, field: string): Types.ObjectId {
  if (!isObjectId(id)) throw badInput(field, 'must be an id returned by this graph');
  return new Types.ObjectId(id);
}

export function checkYear(year: number, field = 'year'): number {
  if (!Number.isInteger(year) || year < 2000 || year > 2100) throw badInput(field, 'must be a year from 2000 to 2100');
  return year;
}
