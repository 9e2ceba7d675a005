// One organizations service on a fresh database per test file, with the helpers every file of
// branch-register tests needs: run and ok (errors asserted away), and create, which names the
// branches it makes in `ids`. Call it inside the file's describe: it registers beforeAll/afterAll.
import { execute, startTestService, type TestService } from '@rcsc/testing';
import type { Viewer } from '@rcsc/service-kit';
import { createServer } from '../src/server';

export type Result = { data?: any; errors?: { message: string; extensions?: Record<string, any> }[] };

/** The fields a refusal names, sorted. */
export const fields = (r: Result) => ((r.errors?.[0]?.extensions?.fields ?? []) as { field: string }[]).map((f) => f.field).sort();

export function useOrganizations(database: string) {
  let svc: TestService<ReturnType<typeof createServer>>;
  beforeAll(async () => {
    svc = await startTestService(database, createServer);
  });
  afterAll(() => svc?.stop());
  const run = (query: string, variables?: Record<string, unknown>, viewer?: Viewer) =>
    execute<any>(svc.subgraph, query, variables, viewer) as Promise<Result>;
  const ok = async (query: string, variables?: Record<string, unknown>, viewer?: Viewer) => {
    const r = await run(query, variables, viewer);
    expect(r.errors).toBeUndefined();
    return r.data;
  };
  const ids: Record<string, string> = {};
  /** Creates a branch (established 1990 unless said) and keeps its id as ids[key]. */
  const create = async (key: string, input: Record<string, unknown>) => {
    ids[key] = (
      await ok('mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }', {
        input: { establishedOn: '1990-01-01', ...input },
      })
    ).createOrganization.id;
  };
  /** 中国红十字会总会 (ids.hq) and 浙江省红十字会 (ids.zj), which every file's tree starts with. */
  const createNationalAndZhejiang = async () => {
    await create('hq', {
      name: '中国红十字会总会',
      level: 'NATIONAL',
      divisionCode: '100000',
      divisionType: 'COUNTRY',
      establishedOn: null,
    });
    await create('zj', { name: '浙江省红十字会', level: 'PROVINCIAL', divisionCode: '330000', parentId: ids.hq });
  };
  return { service: () => svc, run, ok, ids, create, createNationalAndZhejiang };
}
