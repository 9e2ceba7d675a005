import { z } from 'zod';

/**
 * Reads environment variables through a zod schema and fails with one message naming every
 * variable that is wrong, instead of the first undefined deep inside the code.
 */
export function readEnv<T extends z.ZodRawShape>(shape: T, source: NodeJS.ProcessEnv = process.env): z.infer<z.ZodObject<T>> {
  const result = z.object(shape).safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join('\n')}`);
  }
  return result.data;
}

/** A TCP port from the environment with a default. */
export const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
