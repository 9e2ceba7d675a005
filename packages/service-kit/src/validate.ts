import { Types } from 'mongoose';
import { z } from 'zod';
import { badInput } from './errors';
import { IMPORT_MAX_BYTES } from './imports';

/**
 * Validates a mutation's input with a zod schema. On failure every offending field is named
 * (as a path under `prefix`, e.g. "input.divisionCode") in one BAD_USER_INPUT error.
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, prefix = 'input'): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw badInput(
    result.error.issues.map((issue) => ({
      field: [prefix, ...issue.path.map(String)].join('.'),
      message: issue.message,
    })),
  );
}

/**
 * A text input: trimmed, not empty, at most `max` characters, and no control characters (so
 * exports and logs stay clean).
 */
export function textInput(max: number) {
  return (
    z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(max, `must be at most ${max} characters`)
      // eslint-disable-next-line no-control-regex -- refusing control characters is the point
      .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'must not contain control characters')
  );
}

/** An id input (zod): 24 hex digits, as this graph hands out. */
export const objectIdInput = z.string().regex(/^[0-9a-f]{24}$/i, 'must be an id returned by this graph');

/** Whether `id` is an id this graph hands out (24 hex digits). */
export function isObjectId(id: string): boolean {
  return /^[0-9a-f]{24}$/i.test(id);
}

/** An id argument as an ObjectId, or BAD_USER_INPUT naming the argument. */
export function toObjectId(id: string, field: string): Types.ObjectId {
  if (!isObjectId(id)) throw badInput(field, 'must be an id returned by this graph');
  return new Types.ObjectId(id);
}

/** A year argument: BAD_USER_INPUT naming it outside 1950-2100. */
export function checkYear(year: number, field = 'year'): number {
  if (!Number.isInteger(year) || year < 1950 || year > 2100) throw badInput(field, 'must be a year from 1950 to 2100');
  return year;
}

/** Annex 2's base year: the year before unless given; from 1950, before `year`. */
export function checkBaseYear(year: number, baseYear: number | null | undefined, field = 'baseYear'): number {
  if (baseYear === null || baseYear === undefined) return year - 1;
  checkYear(baseYear, field);
  if (baseYear >= year) throw badInput(field, `must be before the year (${year})`);
  return baseYear;
}

/** An annex 2 entity key as it arrives in a representation: two years, the base before the year. */
export const isYearPair = (ref: { year: unknown; baseYear: unknown }): ref is { year: number; baseYear: number } =>
  Number.isInteger(ref.year) &&
  Number.isInteger(ref.baseYear) &&
  (ref.baseYear as number) < (ref.year as number) &&
  (ref.baseYear as number) >= 1950;

/** A bulk import's input (CSV text or a base64 workbook), its size within the upload route's limit. */
export const importInput = z
  .object({
    organizationId: objectIdInput,
    format: z.enum(['CSV', 'XLSX']),
    content: z.string().min(1, 'must not be empty'),
  })
  .superRefine((v, ctx) => {
    // The file's size (a base64 workbook is 4/3 of it), as the upload route's limit.
    const bytes = v.format === 'XLSX' ? (v.content.length * 3) / 4 : Buffer.byteLength(v.content);
    if (bytes > IMPORT_MAX_BYTES)
      ctx.addIssue({ code: 'custom', path: ['content'], message: `is larger than ${IMPORT_MAX_BYTES / 1e6} MB` });
  });

/** One refused row of a bulk import. */
export interface RowError {
  line: number;
  field: string;
  message: string;
}
