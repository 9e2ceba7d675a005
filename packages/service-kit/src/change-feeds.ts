import { Agent, request, type Dispatcher } from 'undici';
import { TREE_EVENT, type BumpResult } from './change-feed';
import { parseWriteScope, touches, type ReadScope, type WriteScope } from './change-scope';
import type { Logger } from './logger';

/** One subgraph's change feed as this gateway sees it. */
export interface FeedState {
  /** True between the first event of a stream and its end. */
  connected: boolean;
  /** The last version received (meaningful only while connected). */
  version: string | null;
}

export interface FeedOptions {
  log: Logger;
  /** First reconnect delay; doubles up to maxBackoffMs. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** A stream silent this long (no event, no heartbeat) is taken as dead. */
  silenceMs?: number;
  dispatcher?: Dispatcher;
  /** The Authorization header to subscribe with: subgraphs serve their feed to SERVICE tokens only. */
  authorization?: () => Promise<string>;
}

/** A data version `since:v` (service-kit's versionString), split; null for 'none' or anything else. */
function splitVersion(version: string | null): { since: string; v: number } | null {
  const i = version?.lastIndexOf(':') ?? -1;
  if (!version || i < 0) return null;
  const v = Number(version.slice(i + 1));
  return Number.isSafeInteger(v) ? { since: version.slice(0, i), v } : null;
}

/**
 * What one subgraph's versions wrote, as far as this gateway heard (its feed's `changed` lines,
 * and the answers to mutations through this gateway): ranges of versions (from, to] with the
 * paths they wrote. Bounded: the oldest ranges are forgotten, and an answer that needs them is
 * recomputed.
 */
export class ScopeLog {
  private ranges: { from: number; to: number; scope: WriteScope }[] = [];
  constructor(private readonly max = 1024) {}

  add(from: number, to: number, scope: WriteScope): void {
    if (!(to > from)) return;
    this.ranges.push({ from, to, scope });
    if (this.ranges.length > this.max) this.ranges.splice(0, this.ranges.length - this.max);
  }

  clear(): void {
    this.ranges = [];
  }

  /** Whether every version after `from` up to `to` is known and none of them wrote what `read` read. */
  quiet(from: number, to: number, read: ReadScope): boolean {
    if (to <= from) return true;
    const overlapping = this.ranges.filter((r) => r.to > from && r.from < to).sort((a, b) => a.from - b.from);
    let covered = from;
    for (const r of overlapping) {
      if (r.from > covered || touches(r.scope, read)) return false;
      covered = Math.max(covered, r.to);
    }
    return covered >= to;
  }
}

/**
 * Subscribes to subgraphs' `GET /changes` (Server-Sent Events, docs/adr/0006) and keeps each
 * one's current data version: the gateway follows every subgraph's (a feed that is not connected
 * has no version, and whatever depends on that subgraph is not served from its cache), a
 * following subgraph organizations' tree events. Reconnects with backoff; logs once per outage.
 */
export class ChangeFeeds {
  private readonly feeds = new Map<string, Feed>();
  private readonly dispatcher: Dispatcher;
  private readonly ownDispatcher: boolean;
  private closed = false;
  /** Called on every version change and every disconnect. */
  onChange: (service: string) => void = () => undefined;
  /** Called with every tree version a feed announces (organizations', ADR 0008). */
  onTree: (version: number) => void = () => undefined;

  constructor(private readonly opts: FeedOptions) {
    this.ownDispatcher = !opts.dispatcher;
    // Its own pool: a long-lived stream per subgraph must not take a request connection.
    this.dispatcher = opts.dispatcher ?? new Agent({ keepAliveTimeout: 30_000, connections: 2 });
  }

  /** Starts following `service`, whose GraphQL endpoint is `graphqlUrl` (its feed is /changes beside it). */
  follow(service: string, graphqlUrl: string): void {
    if (this.closed) return;
    const url = new URL('/changes', graphqlUrl).toString();
    const existing = this.feeds.get(service);
    if (existing?.url === url) return;
    existing?.stop();
    const feed = new Feed(
      service,
      url,
      this.dispatcher,
      this.opts,
      () => this.onChange(service),
      (version) => this.onTree(version),
    );
    this.feeds.set(service, feed);
    feed.start();
  }

  services(): string[] {
    return [...this.feeds.keys()];
  }

  state(service: string): FeedState {
    const f = this.feeds.get(service);
    return f ? { connected: f.connected, version: f.version } : { connected: false, version: null };
  }

  /**
   * Whether an answer that read `read` from `service` at `version` still stands: the feed is
   * connected, and no version since wrote what it read (or it is the current one).
   */
  unchangedFor(service: string, version: string, read: ReadScope): boolean {
    const f = this.feeds.get(service);
    if (!f?.connected) return false;
    if (f.version === version) return true;
    const at = splitVersion(version);
    return !!at && at.since === f.since && f.log.quiet(at.v, f.v, read);
  }

  /**
   * What a mutation's answer from `service` said it wrote (`extensions.changed`): the version
   * moves at once (a client reads its own write through the cache), and only the answers that
   * read those paths are dropped. False when it could not be used (the feed is down, or the
   * answer is from another history), and the caller must take it as "anything changed".
   */
  learn(service: string, changed: BumpResult): boolean {
    const f = this.feeds.get(service);
    const at = splitVersion(changed.version);
    if (!f?.connected || !at || at.since !== f.since) return false;
    f.log.add(at.v - 1, at.v, parseWriteScope(changed.scope));
    if (at.v > f.v) {
      f.v = at.v;
      f.version = changed.version;
      this.onChange(service);
    }
    return true;
  }

  /** Every followed subgraph's version, null for one whose feed is down. */
  snapshot(): Record<string, string | null> {
    const out: Record<string, string | null> = {};
    for (const [name, f] of this.feeds) out[name] = f.connected ? f.version : null;
    return out;
  }

  /** Resolves once every followed feed is connected, or after `timeoutMs` (false then). */
  async ready(timeoutMs = 5_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if ([...this.feeds.values()].every((f) => f.connected)) return true;
      await new Promise((r) => setTimeout(r, 20));
    }
    return false;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const f of this.feeds.values()) f.stop();
    this.feeds.clear();
    if (this.ownDispatcher) await this.dispatcher.close().catch(() => undefined);
  }
}

class Feed {
  connected = false;
  version: string | null = null;
  /** `version` split: its history (a restore draws a new one) and number. */
  since: string | null = null;
  v = 0;
  readonly log = new ScopeLog();
  private stopped = false;
  private backoff: number;
  private timer: NodeJS.Timeout | null = null;
  private abort: AbortController | null = null;
  /** Whether the current outage was logged already. */
  private reported = false;

  constructor(
    readonly service: string,
    readonly url: string,
    private readonly dispatcher: Dispatcher,
    private readonly opts: FeedOptions,
    private readonly changed: () => void,
    private readonly tree: (version: number) => void,
  ) {
    this.backoff = opts.minBackoffMs ?? 100;
  }

  start(): void {
    void this.run();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.abort?.abort();
    this.down();
  }

  private down(): void {
    if (!this.connected) return;
    this.connected = false;
    this.version = null;
    this.since = null;
    this.v = 0;
    this.log.clear();
    this.changed();
  }

  /**
   * A version event: `data` the version, `changed` (when the subgraph knows it) "<from> <scope>",
   * what the versions after `from` up to this one wrote. The version never goes back within one
   * history (an answer to a mutation may have told it first).
   */
  private received(data: string, changed: string): void {
    const at = splitVersion(data);
    if (!at) {
      this.version = data;
      this.since = null;
      this.v = 0;
      this.log.clear();
      return;
    }
    if (at.since !== this.since) {
      this.log.clear();
      this.since = at.since;
      this.v = at.v;
      this.version = data;
    } else if (at.v > this.v) {
      this.v = Math.max(this.v, at.v);
      this.version = `${at.since}:${this.v}`;
    }
    const m = /^(\d+) (\S*)$/.exec(changed);
    if (m) this.log.add(Number(m[1]), at.v, parseWriteScope(m[2]));
  }

  private async run(): Promise<void> {
    if (this.stopped) return;
    const abort = new AbortController();
    this.abort = abort;
    let watchdog: NodeJS.Timeout | null = null;
    const silence = this.opts.silenceMs ?? 15_000;
    const alive = () => {
      if (watchdog) clearTimeout(watchdog);
      watchdog = setTimeout(() => abort.abort(new Error(`no event for ${silence} ms`)), silence);
      watchdog.unref();
    };
    let failure: unknown = null;
    try {
      alive();
      const authorization = await this.opts.authorization?.();
      const res = await request(this.url, {
        method: 'GET',
        headers: { accept: 'text/event-stream', ...(authorization ? { authorization } : {}) },
        dispatcher: this.dispatcher,
        signal: abort.signal,
      });
      if (res.statusCode !== 200) {
        await res.body.dump().catch(() => undefined);
        throw new Error(`HTTP ${res.statusCode}`);
      }
      let buffer = '';
      for await (const chunk of res.body) {
        alive();
        buffer += (chunk as Buffer).toString('utf8');
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const event = buffer.slice(0, end).split('\n');
          buffer = buffer.slice(end + 2);
          const field = (name: string) =>
            event
              .filter((l) => l.startsWith(`${name}:`))
              .map((l) => l.slice(name.length + 1).trim())
              .join('\n');
          const data = field('data');
          if (!data) continue; // a heartbeat comment
          if (field('event') === TREE_EVENT) {
            this.tree(Number(data));
            continue;
          }
          const wasConnected = this.connected;
          const old = this.version;
          this.received(data, field('changed'));
          this.connected = true;
          if (!wasConnected) {
            if (this.reported) this.opts.log.info({ service: this.service }, 'change feed connected again');
            this.reported = false;
            this.backoff = this.opts.minBackoffMs ?? 100;
          }
          if (!wasConnected || old !== this.version) this.changed();
        }
      }
      failure = new Error('stream ended');
    } catch (err) {
      failure = err;
    } finally {
      if (watchdog) clearTimeout(watchdog);
    }
    this.down();
    if (this.stopped) return;
    if (!this.reported) {
      this.reported = true;
      this.opts.log.warn(
        { service: this.service, url: this.url, reason: (failure as Error)?.message ?? String(failure) },
        'change feed disconnected: reconnecting (until then nothing is known of its changes)',
      );
    }
    const delay = this.backoff;
    this.backoff = Math.min(this.backoff * 2, this.opts.maxBackoffMs ?? 5_000);
    this.timer = setTimeout(() => void this.run(), delay);
    this.timer.unref();
  }
}
