// Checks of query and mutation arguments given outside an input object (ids, years).
import { Types } from 'mongoose';
import { badInput, parseWith } from '@rcsc/service-kit';
import { objectIdSchema } from '../rules';

export const isObjectId = (id: string): boolean => objectIdSchema.safeParse(id).success;

/** An id argument as an ObjectId, or BAD_USER_INPUT naming the argument. */
export const toObjectId = (id: string, field: string): Types.ObjectId => new Types.ObjectId(parseWith(objectIdSchema, id, field));

export function checkYear(year: number, field = 'year'): number {
  if (!Number.isInteger(year) || year < 2000 || year > 2100) throw badInput(field, 'must be a year from 2000 to 2100');
  return year;
}
