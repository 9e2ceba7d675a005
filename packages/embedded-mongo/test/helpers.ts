// Shared test setup: an embedded server per test file by default, or the real MongoDB at
// MONGODB_URI (then embedded-specific tests are skipped), each file in its own database.
import mongoose from 'mongoose';
import { EmbeddedServer, startEmbeddedMongo } from '../src';

export const REAL = !!process.env.MONGODB_URI;
/** tests that only make sense against the embedded server (raw protocol abuse, kill -9...) */
export const itEmbedded = REAL ? it.skip : it;

export interface TestEnv {
  uri: string;
  dbName: string;
  conn: mongoose.Connection;
  server: EmbeddedServer | null;
  close(): Promise<void>;
}

export async function setup(name: string): Promise<TestEnv> {
  let uri: string;
  let stop: () => Promise<void> = async () => undefined;
  let server: EmbeddedServer | null = null;
  if (REAL) uri = process.env.MONGODB_URI!;
  else {
    const m = await startEmbeddedMongo();
    uri = m.uri;
    stop = m.stop;
    server = m.server;
  }
  const dbName = REAL ? `emtest_${name}_${process.pid}_${Date.now()}` : `t_${name}`;
  const conn = await mongoose.createConnection(uri, { dbName }).asPromise();
  return {
    uri,
    dbName,
    conn,
    server,
    async close() {
      if (REAL) await conn.dropDatabase().catch(() => undefined);
      await conn.close();
      await stop();
    },
  };
}

/** Find a stage anywhere in an explain plan tree. */
export function findStage(plan: any, stage: string): any {
  if (!plan || typeof plan !== 'object') return null;
  if (plan.stage === stage) return plan;
  for (const k of ['inputStage', 'queryPlan']) {
    const r = findStage(plan[k], stage);
    if (r) return r;
  }
  for (const s of plan.inputStages ?? []) {
    const r = findStage(s, stage);
    if (r) return r;
  }
  return null;
}

export function winningPlan(explain: any): any {
  const e = Array.isArray(explain) ? explain[0] : explain;
  const qp = e.queryPlanner ?? e.stages?.[0]?.$cursor?.queryPlanner;
  return qp.winningPlan;
}
