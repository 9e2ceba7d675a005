// A request sent again, once, on a new connection when the peer closed a kept-alive one before
// answering. nginx's old workers close their idle client connections on a reload, and one may
// close just as the client reuses it. HTTP lets a client retry then: an idempotent request
// always (RFC 9110 9.2.2), as browsers do, and a POST that carries an Idempotency-Key, since the
// server answers a repeat of the key with the first answer. Node's fetch retries neither.

const CONNECTION_CLOSED = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

/** Whether a fetch failed because the peer closed the connection (not a refusal, timeout or bad URL). */
export const connectionClosed = (err) => err?.name === 'TypeError' && CONNECTION_CLOSED.has(err.cause?.code);

/** A fetch failure's message with its cause (fetch's own message, "fetch failed", names none). */
export const fetchFailure = (err) => `${err.message} (${err.cause?.code ?? err.cause?.message ?? 'no cause'})`;

/**
 * Calls `send` (a function returning fetch's promise); if the connection was closed under it,
 * calls `onResend` and sends once more. Any other failure, or a second one, is thrown.
 */
export async function withResend(send, onResend = () => undefined) {
  try {
    return await send();
  } catch (err) {
    if (!connectionClosed(err)) throw err;
    onResend();
    return send();
  }
}
