import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import type { Logger } from './logger';

/** The one closed set of error codes every subgraph and the gateway answer with. */
export const ErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  CONFLICT: 'CONFLICT',
  /** A token past its request rate or cost budget at the gateway (HTTP 429 with Retry-After). */
  TOO_MANY_REQUESTS: 'TOO_MANY_REQUESTS',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** One offending input field: its path (e.g. "input.divisionCode") and what is wrong with it. */
export interface FieldProblem {
  field: string;
  message: string;
}

export function badInput(problems: FieldProblem[] | string, message?: string): GraphQLError {
  const list = typeof problems === 'string' ? [{ field: problems, message: message ?? 'is invalid' }] : problems;
  const text = message && typeof problems !== 'string' ? message : list.map((p) => `${p.field}: ${p.message}`).join('; ');
  return new GraphQLError(`Invalid input: ${text}`, {
    extensions: { code: ErrorCode.BAD_USER_INPUT, fields: list },
  });
}

export function notFound(what: string, id: string): GraphQLError {
  return new GraphQLError(`${what} ${id} not found`, { extensions: { code: ErrorCode.NOT_FOUND } });
}

export function conflict(message: string, field?: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: ErrorCode.CONFLICT, ...(field ? { fields: [{ field, message }] } : {}) },
  });
}

export function forbidden(message = 'You may not do this'): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.FORBIDDEN } });
}

export function unauthenticated(message = 'Authentication required'): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.UNAUTHENTICATED } });
}

const KNOWN = new Set<string>(Object.values(ErrorCode));
/** Apollo's own codes for malformed requests, passed through because they describe client mistakes. */
const CLIENT_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/**
 * Apollo `formatError`: errors with a known code pass through, and are logged at info as the
 * client's mistakes (code, message, path; no stack: nothing went wrong here); anything else (a
 * bug, a driver failure) is logged at error with its stack and replaced by a bare
 * INTERNAL_SERVER_ERROR, so internals never reach a client.
 */
export function makeFormatError(log: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code as string | undefined;
    if (code && (CLIENT_CODES.has(code) || (KNOWN.has(code) && code !== ErrorCode.INTERNAL_SERVER_ERROR))) {
      log.info({ code, path: formatted.path, message: formatted.message }, 'client error');
      if (CLIENT_CODES.has(code)) return formatted;
      const { stacktrace: _drop, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    const original = unwrapResolverError(error);
    log.error({ err: original, path: formatted.path }, 'unexpected error');
    return {
      message: 'Internal server error',
      path: formatted.path,
      locations: formatted.locations,
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    };
  };
}

/** MongoDB duplicate-key errors (code 11000) as CONFLICT naming the field. */
export function isDuplicateKey(err: unknown): err is { code: number; keyValue?: Record<string, unknown> } {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 11000;
}
