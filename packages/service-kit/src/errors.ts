import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
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

/** Whether an error code says the client erred (a refusal, bad input, a malformed request). */
function isClientCode(code: unknown): code is string {
  return typeof code === 'string' && (CLIENT_CODES.has(code) || (KNOWN.has(code) && code !== ErrorCode.INTERNAL_SERVER_ERROR));
}

/**
 * Apollo `formatError`: errors with a known code pass through (without a stack trace); a service
 * that could not be reached is named (the gateway: nothing internal, the rest of the answer
 * stands); anything else (a bug, a driver failure) is replaced by a bare INTERNAL_SERVER_ERROR,
 * so internals never reach a client. errorLogPlugin logs them.
 */
export function formatError(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  const service = formatted.extensions?.service;
  if (typeof service === 'string')
    return { message: formatted.message, path: formatted.path, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, service } };
  if (isClientCode(code)) {
    if (CLIENT_CODES.has(code)) return formatted;
    const { stacktrace: _drop, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  return {
    message: 'Internal server error',
    path: formatted.path,
    locations: formatted.locations,
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
  };
}

/**
 * Logs an operation's errors with its request id (from the context: no async-local storage,
 * whose promise hooks cost every request on Node 20): client mistakes at info (code, message,
 * path; no stack: nothing went wrong here); a service that could not be reached (an error naming
 * it in extensions.service) at warn; anything else at error with its stack.
 */
export function errorLogPlugin<C extends BaseContext & { requestId?: string }>(log: Logger): ApolloServerPlugin<C> {
  return {
    requestDidStart: async () => ({
      didEncounterErrors: async ({ errors, contextValue }) => {
        const requestId = contextValue.requestId;
        for (const e of errors) {
          const code = e.extensions?.code;
          const path = e.path;
          if (isClientCode(code)) log.info({ requestId, code, path, message: e.message }, 'client error');
          else if (typeof e.extensions?.service === 'string')
            log.warn({ requestId, service: e.extensions.service, path, message: e.message }, 'service unavailable');
          else log.error({ requestId, err: unwrapResolverError(e), path }, 'unexpected error');
        }
      },
    }),
  };
}

/** MongoDB duplicate-key errors (code 11000) as CONFLICT naming the field. */
export function isDuplicateKey(err: unknown): err is { code: number; keyValue?: Record<string, unknown> } {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 11000;
}
