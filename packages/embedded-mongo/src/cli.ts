#!/usr/bin/env node
// Foreground server: `node dist/cli.js --port 27018 --dbpath <dir>`. Prints the URI on stdout
// and stops cleanly (journal flushed; a snapshot written unless a small journal is kept beside the last one and its index image) on SIGINT/SIGTERM.
import { type EmbeddedMongoOptions, startEmbeddedMongo, type UserSpec } from './index';

function parseArgs(argv: string[]): EmbeddedMongoOptions {
  let port = 27017;
  let dbPath: string | undefined;
  let bind: string | undefined;
  let users: UserSpec[] | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const val = () => inline ?? argv[++i];
    if (flag === '--port') port = Number(val());
    else if (flag === '--dbpath' || flag === '--dbPath') dbPath = val();
    else if (flag === '--bind' || flag === '--bind_ip') bind = val();
    else if (flag === '--auth') {
      // credentials from the environment, not the command line (visible to every local user in ps)
      const user = process.env.EMBEDDED_MONGO_USERNAME;
      const password = process.env.EMBEDDED_MONGO_PASSWORD;
      if (!user || !password) {
        process.stderr.write('--auth needs EMBEDDED_MONGO_USERNAME and EMBEDDED_MONGO_PASSWORD in the environment\n');
        process.exit(2);
      }
      users = [{ user, password }];
    } else if (flag === '--help' || flag === '-h') {
      process.stdout.write('usage: embedded-mongo [--port 27017] [--dbpath <dir>] [--bind 127.0.0.1] [--auth]\n');
      process.exit(0);
    } else {
      process.stderr.write(`unknown argument: ${a}\n`);
      process.exit(2);
    }
  }
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write('invalid --port\n');
    process.exit(2);
  }
  return { port, dbPath, bind, users };
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const m = await startEmbeddedMongo(opts);
  const rec = m.server.engine.recovery;
  if (rec)
    process.stderr.write(
      `embedded-mongo: recovered ${opts.dbPath} in ${(rec.millis / 1000).toFixed(1)} s (indexes ${rec.indexes}, journal ${(rec.journalBytes / 1048576).toFixed(1)} MB replayed)\n`,
    );
  // the URI is printed without the password
  process.stdout.write(m.uri.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1@') + '\n');
  let stopping = false;
  const shutdown = (sig: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`embedded-mongo: ${sig}, stopping\n`);
    m.stop().then(
      () => process.exit(0),
      (e) => {
        process.stderr.write(`embedded-mongo: stop failed: ${(e as Error).stack}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((e) => {
  process.stderr.write(`embedded-mongo: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
