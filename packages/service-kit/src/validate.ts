import { z } from 'zod';
import { badInput } from './errors';

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
