// Docker does not run here: the compose file and the Dockerfile are checked by reading them,
// against the config schema every process validates at boot and the image's entry point.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { GATEWAY_ENV, SUBGRAPH_ENV, readGatewayConfig, readSubgraphConfig } from '@rcsc/service-kit';
import { ROOT, run } from './helpers';

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  expose?: string[];
  depends_on?: Record<string, { condition: string }> | string[];
  healthcheck?: { test: string[] };
}

const compose = parse(readFileSync(join(ROOT, 'compose.yaml'), 'utf8'), { merge: true }) as { services: Record<string, Service> };
const services = compose.services;
const SUBGRAPHS = ['organizations', 'grassroots', 'people', 'training', 'reporting'];
const PORTS: Record<string, number> = {
  gateway: 4000,
  organizations: 4001,
  grassroots: 4002,
  people: 4003,
  training: 4004,
  reporting: 4005,
};

/** The value compose would use: ${VAR:?msg} from a sample .env, ${VAR:-default} its default. */
const SAMPLE_ENV: Record<string, string> = { AUTH_JWT_SECRET: 'k'.repeat(44), PERSONAL_DATA_KEY: Buffer.alloc(32, 1).toString('base64') };
function interpolate(value: string): string {
  return value.replace(/\$\{(\w+)(?::([?-])([^}]*))?\}/g, (_, name: string, op: string | undefined, rest: string) => {
    if (SAMPLE_ENV[name] !== undefined) return SAMPLE_ENV[name];
    if (op === '-') return rest;
    throw new Error(`${name} is required by compose.yaml but has no sample value`);
  });
}
const envOf = (s: Service) => Object.fromEntries(Object.entries(s.environment ?? {}).map(([k, v]) => [k, interpolate(String(v))]));

describe('compose.yaml', () => {
  test('a three-member MongoDB replica set, initiated with all three members', () => {
    const mongos = Object.entries(services).filter(([, s]) => s.image?.startsWith('mongo:') && s.command?.[0] === 'mongod');
    expect(mongos.map(([n]) => n)).toEqual(['mongo1', 'mongo2', 'mongo3']);
    for (const [, s] of mongos) expect(s.command).toEqual(expect.arrayContaining(['--replSet', 'rs0']));
    const init = services['mongo-init'].command!.join(' ');
    for (const n of ['mongo1', 'mongo2', 'mongo3']) expect(init).toContain(`host: '${n}:27017'`);
  });

  test.each(['gateway', ...SUBGRAPHS])('%s: the image runs it by command, on its port, checked by /ready', async (name) => {
    const s = services[name];
    expect(s.image).toBe('rcsc:latest');
    expect(s.build).toBe('.');
    expect(s.command).toEqual([name]);
    // The image's entry point knows the command and the file it runs is built.
    const check = run(process.execPath, ['scripts/process.mjs', name, '--check']);
    expect([check.code, check.stderr]).toEqual([0, '']);
    const env = envOf(s);
    expect(Number(env.PORT)).toBe(PORTS[name]);
    if (name === 'gateway') expect(s.ports).toEqual([`${PORTS[name]}:${PORTS[name]}`]);
    else {
      expect(s.ports).toBeUndefined(); // only the gateway is published
      expect(s.expose).toEqual([String(PORTS[name])]);
    }
    expect(s.healthcheck?.test.join(' ')).toContain('/ready');
  });

  test.each(SUBGRAPHS)('%s: every variable is one the subgraphs read, valid, on the replica set', (name) => {
    const env = envOf(services[name]);
    for (const key of Object.keys(env)) expect([key, key in SUBGRAPH_ENV]).toEqual([key, true]);
    expect(() => readSubgraphConfig(env)).not.toThrow();
    expect(env.MONGODB_URI).toBe('mongodb://mongo1:27017,mongo2:27017,mongo3:27017/?replicaSet=rs0');
    expect(env.ORGANIZATIONS_URL).toBe(`http://organizations:${PORTS.organizations}/graphql`);
    expect(env.PERSONAL_DATA_KEY).toBeDefined();
    if (name === 'reporting') expect(env.GATEWAY_URL).toBe(`http://gateway:${PORTS.gateway}/graphql`);
  });

  test('gateway: every variable is one it reads, valid, and each subgraph URL points at that service and its port', () => {
    const env = envOf(services.gateway);
    for (const key of Object.keys(env)) expect([key, key in GATEWAY_ENV]).toEqual([key, true]);
    const config = readGatewayConfig(env);
    expect(config.GATEWAY_MAX_DEPTH).toBe(12);
    for (const name of SUBGRAPHS) {
      expect(env[`${name.toUpperCase()}_URL`]).toBe(`http://${name}:${PORTS[name]}/graphql`);
      expect(Object.keys(services.gateway.depends_on as object)).toContain(name);
    }
  });
});

describe('Dockerfile', () => {
  const text = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
  test('multi-stage: built in one stage, run from another as a non-root user, the process chosen by the command', () => {
    expect(text.match(/^FROM .* AS (\w+)$/gm)).toEqual([
      'FROM node:20.19-bookworm-slim AS build',
      'FROM node:20.19-bookworm-slim AS runtime',
    ]);
    expect(text).toMatch(/^COPY --from=build /m);
    expect(text).toMatch(/^USER node$/m);
    expect(text).toMatch(/^ENTRYPOINT \["node", "scripts\/process.mjs"\]$/m);
    expect(text).toMatch(/^CMD \["gateway"\]$/m);
  });

  test('the entry point refuses an unknown process with exit 2', () => {
    const r = run(process.execPath, ['scripts/process.mjs', 'nonsense']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown process "nonsense"/);
  });
});
