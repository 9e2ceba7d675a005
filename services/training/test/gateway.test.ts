import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildBranchTree, nationalId } from '@rcsc/dataset';
import { StaticDirectory } from '@rcsc/directory';
import * as organizations from '@rcsc/organizations';
import { startTestService, startTestStack, testToken, type TestService, type TestStack } from '@rcsc/testing';
import { seed } from '../src/seed';
import { createServer } from '../src/server';

const CONTRACT = join(__dirname, '..', '..', '..', '..', 'shared', 'contract');

/** The operations of a contract file, each with its own text (as the shared run-contract tool splits them). */
function operations(file: string): { name: string; text: string }[] {
  const text = readFileSync(join(CONTRACT, file), 'utf8');
  const starts = [...text.matchAll(/^(query|mutation)\s+(\w+)/gm)];
  return starts.map((m, i) => ({ name: m[2], text: text.slice(m.index, starts[i + 1]?.index ?? text.length) }));
}

/** Every totalCount in an answer. */
function totalCounts(data: unknown): number[] {
  const out: number[] = [];
  (function walk(v: unknown) {
    if (!v || typeof v !== 'object') return;
    for (const [k, x] of Object.entries(v)) {
      if (k === 'totalCount') out.push(x as number);
      else walk(x);
    }
  })(data);
  return out;
}

describe('the training contract (04-training.graphql), through the gateway on the national dataset', () => {
  let stack: TestStack;
  let org: TestService<ReturnType<typeof organizations.createServer>>;
  let training: TestService<ReturnType<typeof createServer>>;

  beforeAll(async () => {
    org = await startTestService('organizations', organizations.createServer);
    training = await startTestService('training', (c) => createServer(c, { directory: StaticDirectory.fromTree(buildBranchTree()) }));
    await Promise.all([organizations.seed(org.subgraph.models), seed(training.subgraph.models)]);
    stack = await startTestStack([org.subgraph, training.subgraph]);
    // Loading the national dataset twice takes minutes on a busy 2-core machine.
  }, 300_000);
  afterAll(async () => {
    await stack?.stop();
    await training?.stop();
    await org?.stop();
  });

  const vars = JSON.parse(readFileSync(join(CONTRACT, '04-training.vars.json'), 'utf8')) as Record<string, Record<string, unknown>>;

  it.each(operations('04-training.graphql').map((op) => [op.name, op] as const))('answers %s with data and no errors', async (name, op) => {
    const variables = { ...(vars[name] ?? {}) };
    if (/\$id\s*:/.test(op.text) && variables.divisionCode) {
      const r = await stack.query<any>('query($c: String!) { organization(divisionCode: $c) { id } }', { c: variables.divisionCode });
      variables.id = r.data!.organization.id;
      delete variables.divisionCode;
    }
    const r = await stack.query<any>(op.text, variables);
    expect(r.status).toBe(200);
    expect(r.errors).toBeUndefined();
    expect(r.data).toBeTruthy();
    const counts = totalCounts(r.data);
    expect(counts.length).toBeGreaterThan(0);
    for (const n of counts) expect(n).toBeGreaterThan(0);
  });

  it('joins both subgraphs: instructors and classes with their branches, and a branch with its pool, classes and totals', async () => {
    const r = await stack.query<any>(`{
      instructors(first: 20) { nodes { name organization { id name level } } }
      trainingClasses(first: 20) { nodes { title host { id name } instructors { name organization { name } } enrollmentCount } }
      organization(divisionCode: "330000") {
        name
        instructorPool(includeSubtree: true, first: 5) { totalCount nodes { name tier organization { name level } } }
        hostedClasses(year: 2021) { totalCount nodes { title host { name } } }
        trainedCadres(year: 2021) { completed enrolled classesHosted }
      }
    }`);
    expect(r.errors).toBeUndefined();
    const d = r.data;
    // Non-empty, so that the checks over every node can fail.
    expect(d.instructors.nodes).toHaveLength(20);
    expect(d.trainingClasses.nodes).toHaveLength(20);
    expect(d.instructors.nodes.every((n: any) => n.organization.name && n.organization.level)).toBe(true);
    expect(d.trainingClasses.nodes.every((c: any) => c.host.name && c.instructors.length > 0 && c.enrollmentCount > 0)).toBe(true);
    expect(d.organization.name).toBe('浙江省红十字会');
    expect(d.organization.instructorPool.totalCount).toBeGreaterThan(30);
    expect(d.organization.instructorPool.nodes[0].organization.name).toMatch(/红十字会$/);
    expect(d.organization.hostedClasses.totalCount).toBeGreaterThan(0);
    expect(d.organization.hostedClasses.nodes[0].host.name).toBe('浙江省红十字会');
    expect(d.organization.trainedCadres.completed).toBeGreaterThan(0);
  });

  it('applies the subtree rules through the gateway: tokens, pools, classes, enrolments, aggregates and entities', async () => {
    const tree = buildBranchTree();
    const id = (code: string) => tree.find((b) => b.divisionCode === code)!.id;
    const bearer = async (roles: ('ADMIN' | 'STAFF' | 'VIEWER' | 'REPORTER' | 'TRAINING_MANAGER')[], org: string) => ({
      authorization: `Bearer ${await testToken({ sub: `test:${roles.join('+')}`, roles, org })}`,
    });
    // The contract answers whole for the national ADMIN and for a provincial VIEWER.
    for (const headers of [await bearer(['ADMIN'], nationalId()), await bearer(['VIEWER'], id('330000'))]) {
      for (const op of operations('04-training.graphql')) {
        const r = await stack.query<any>(op.text, vars[op.name] ?? {}, headers);
        expect(r.errors).toBeUndefined();
        for (const n of totalCounts(r.data)) expect(n).toBeGreaterThan(0);
      }
    }
    // A Hangzhou VIEWER asking for Zhejiang: the province's pool and classes (an ancestor's) and
    // Hangzhou's pools, never Jinhua's; enrolments of Hangzhou's cadres only; no provincial totals.
    const hz = await bearer(['VIEWER'], id('330100'));
    const r = await stack.query<any>(
      `query($id: ID!) { organization(id: $id) { name
        instructorPool(includeSubtree: true, first: 100) { totalCount nodes { organization { id } contact { phone } } }
        hostedClasses(year: 2021, first: 100) { totalCount nodes { enrollments(first: 100) { nodes { organization { id name } } } } }
        trainedCadres(year: 2021) { completed } } }`,
      { id: id('330000') },
      hz,
    );
    expect(r.data!.organization.name).toBe('浙江省红十字会');
    expect(r.data!.organization.trainedCadres).toBeNull();
    expect(r.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([[['organization', 'trainedCadres'], 'FORBIDDEN']]);
    /** In Hangzhou's subtree (itself included). */
    const inHz = (orgId: string) => orgId === id('330100') || tree.find((b) => b.id === orgId)!.ancestorIds.includes(id('330100'));
    const pool = r.data!.organization.instructorPool;
    expect(pool.totalCount).toBeGreaterThan(0);
    for (const n of pool.nodes) expect(n.organization.id === id('330000') || inHz(n.organization.id)).toBe(true);
    // A VIEWER sees no personal data, not even masked.
    expect(pool.nodes.length).toBeGreaterThan(0);
    expect(pool.nodes.every((n: any) => n.contact.phone === null)).toBe(true);
    const trainees = r.data!.organization.hostedClasses.nodes.flatMap((c: any) => c.enrollments.nodes);
    expect(trainees.length).toBeGreaterThan(0);
    for (const t of trainees) expect(inHz(t.organization.id)).toBe(true);
    // Another province: its pool is empty, its classes FORBIDDEN one by one.
    const js = await stack.query<any>(
      `query($id: ID!) { organization(id: $id) { instructorPool { totalCount } hostedClasses { totalCount } } instructors(filter: { within: $id }) { totalCount } }`,
      { id: id('320000') },
      hz,
    );
    expect(js.data).toEqual({
      organization: { instructorPool: { totalCount: 0 }, hostedClasses: { totalCount: 0 } },
      instructors: { totalCount: 0 },
    });
    const jsClass = await training.subgraph.models.TrainingClass.findOne({ organizationId: id('320000') }).lean();
    const one = await stack.query<any>(`query($id: ID!) { trainingClass(id: $id) { title } }`, { id: String(jsClass!._id) }, hz);
    expect(one.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(JSON.stringify(one)).not.toContain(jsClass!.title);
    // Without a token the gateway answers 401.
    const anonymous = await stack.query<any>(`{ instructors { totalCount } }`, {}, { authorization: '' });
    expect(anonymous.status).toBe(401);
  });
});
