import type { z } from 'zod';
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
