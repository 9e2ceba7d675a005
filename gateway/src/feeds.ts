import { Agent, request, type Dispatcher } from 'undici';
import { TREE_EVENT, type Logger } from '@rcsc/service-kit';

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

/**
 * Subscribes to every subgraph's `GET /changes` (Server-Sent Events, docs/adr/0006) and keeps
 * its current data version. A feed that is not connected has no version: whatever depends on
 * that subgraph is not served from the cache. Reconnects with backoff; logs once per outage.
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
    this.changed();
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
          this.version = data;
          this.connected = true;
          if (!wasConnected) {
            if (this.reported) this.opts.log.info({ service: this.service }, 'change feed connected again');
            this.reported = false;
            this.backoff = this.opts.minBackoffMs ?? 100;
          }
          if (!wasConnected || old !== data) this.changed();
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
        'change feed disconnected: answers from this subgraph are not cached until it is back',
      );
    }
    const delay = this.backoff;
    this.backoff = Math.min(this.backoff * 2, this.opts.maxBackoffMs ?? 5_000);
    this.timer = setTimeout(() => void this.run(), delay);
    this.timer.unref();
  }
}
