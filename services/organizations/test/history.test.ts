// The past is never rewritten (issue 16): random sequences of dated changes (governance facts,
// term changes, leadership, moves, merges, renames, dissolutions) leave annex 1 rows 1-7 of every
// branch unchanged for every date before the earliest change that was accepted. Only an audited
// correction (correctGovernance) may change the past, and it is not among the writes here.
import { Random, divisionOf } from '@rcsc/dataset';
import { execute, startTestService, type TestService } from '@rcsc/testing';
import { createServer } from '../src/server';

const ROWS = [
  'countiesRationalized',
  'prefecturesDueForTermChange',
  'countiesDueForTermChange',
  'prefecturesWithPartyGroup',
  'countiesWithPartyGroup',
  'prefecturesWithSupervisoryBoard',
  'countiesWithSupervisoryBoard',
];
const DATES = [
  '2012-06-30',
  '2016-12-31',
  '2019-03-01',
  '2020-12-31',
  '2021-06-30',
  '2022-12-31',
  '2023-07-15',
  '2024-12-31',
  '2025-12-31',
];
const FACTS = ['MANAGEMENT_RATIONALIZED', 'PARTY_GROUP', 'SUPERVISORY_BOARD'];
const day = (d: Date) => d.toISOString().slice(0, 10);

describe('history is never rewritten', () => {
  let svc: TestService<ReturnType<typeof createServer>>;
  const run = <T = any>(query: string, variables?: Record<string, unknown>) => execute<T>(svc.subgraph, query, variables);
  beforeAll(async () => {
    svc = await startTestService('organizations', createServer);
  });
  afterAll(() => svc?.stop());

  const create = async (input: Record<string, unknown>) => {
    const r = await run('mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }', { input });
    expect(r.errors).toBeUndefined();
    return r.data.createOrganization.id as string;
  };

  /** Every branch's rows on every date. */
  async function tables(ids: string[]): Promise<Record<string, Record<string, number>>> {
    const out: Record<string, Record<string, number>> = {};
    for (const id of ids)
      for (const d of DATES) {
        const r = await run(`query($id: ID!, $d: Date!) { organization(id: $id) { survey(asOf: $d) { ${ROWS.join(' ')} } } }`, { id, d });
        expect(r.errors).toBeUndefined();
        out[`${id}@${d}`] = r.data.organization.survey;
      }
    return out;
  }

  it.each([1, 2, 3])(
    'keeps every earlier table after random dated changes (seed %i)',
    async (seed) => {
      const rng = new Random(seed, 'history');
      // A fresh province each run: three prefectures with three counties each, established in 2000.
      const hq =
        (await run('{ organization(divisionCode: "100000") { id } }')).data.organization?.id ??
        (await create({ name: '中国红十字会总会', level: 'NATIONAL', divisionCode: '100000' }));
      const [provinceCode, prefectures] = [
        ['340000', ['340100', '340200', '340300']],
        ['350000', ['350100', '350200', '350300']],
        ['360000', ['360100', '360200', '360400']],
      ][seed - 1] as [string, string[]];
      const province = await create({
        name: `省${seed}`,
        level: 'PROVINCIAL',
        divisionCode: provinceCode,
        parentId: hq,
        establishedOn: '2000-01-01',
      });
      const counties: string[] = [];
      const prefectureIds: string[] = [];
      for (const code of prefectures) {
        const p = await create({
          name: `市${code}`,
          level: 'PREFECTURE',
          divisionCode: code,
          parentId: province,
          establishedOn: '2000-01-01',
        });
        prefectureIds.push(p);
      }
      // Counties: the first county-level divisions of each prefecture in the edition.
      for (const [i, code] of prefectures.entries()) {
        let made = 0;
        for (let n = 1; n < 99 && made < 3; n++) {
          const c = `${code.slice(0, 4)}${String(n).padStart(2, '0')}`;
          if (divisionOf(c)?.level !== 'COUNTY') continue;
          counties.push(
            await create({ name: `县${c}`, level: 'COUNTY', divisionCode: c, parentId: prefectureIds[i], establishedOn: '2000-01-01' }),
          );
          made++;
        }
      }
      const branches = [province, ...prefectureIds, ...counties];
      // Some history before the changes: terms and facts from 2015-2018.
      for (const id of [...prefectureIds, ...counties]) {
        await run(
          `mutation($id: ID!) { recordTermChange(input: { organizationId: $id, congressDate: "2016-05-01", lengthYears: 5 }) { id } }`,
          { id },
        );
        if (rng.chance(0.6))
          await run(
            `mutation($id: ID!, $f: GovernanceFact!) { recordGovernance(input: { organizationId: $id, fact: $f, since: "2015-03-01" }) { id } }`,
            {
              id,
              f: rng.pick(FACTS),
            },
          );
      }
      const before = await tables(branches);

      let earliest = new Date('2099-01-01');
      const writes: string[] = [];
      for (let step = 0; step < 30; step++) {
        const on = day(rng.date('2020-01-01', '2026-11-30'));
        const id = rng.pick([...prefectureIds, ...counties]);
        const op = rng.int(0, 7);
        const calls: [string, Record<string, unknown>][] = [
          [
            `mutation($id: ID!, $f: GovernanceFact!, $on: Date!) { recordGovernance(input: { organizationId: $id, fact: $f, since: $on }) { id } }`,
            { id, f: rng.pick(FACTS), on },
          ],
          [
            `mutation($id: ID!, $f: GovernanceFact!, $on: Date!) { endGovernance(input: { organizationId: $id, fact: $f, on: $on }) { id } }`,
            { id, f: rng.pick(FACTS), on },
          ],
          [
            `mutation($id: ID!, $on: Date!) { recordTermChange(input: { organizationId: $id, congressDate: $on, lengthYears: 5 }) { id } }`,
            { id, on },
          ],
          [
            `mutation($id: ID!, $on: Date!) { setLeadership(organizationId: $id, positions: [{ title: CHAIR, name: "甲", since: $on }], on: $on) { id } }`,
            { id, on },
          ],
          [
            `mutation($id: ID!, $p: ID!, $on: Date!) { moveOrganization(id: $id, parentId: $p, on: $on) { id } }`,
            { id: rng.pick(counties), p: rng.pick(prefectureIds), on },
          ],
          [
            `mutation($id: ID!, $into: ID!, $on: Date!) { mergeOrganization(id: $id, intoId: $into, on: $on) { id } }`,
            { id: rng.pick(counties), into: rng.pick(counties), on },
          ],
          [`mutation($id: ID!, $on: Date!) { renameOrganization(id: $id, input: { name: "改名" }, on: $on) { id } }`, { id, on }],
          [
            `mutation($id: ID!, $on: Date!) { updateOrganization(id: $id, input: { dissolvedOn: $on }) { id } }`,
            { id: rng.pick(counties), on },
          ],
        ];
        const [query, variables] = calls[op];
        const r = await run(query, variables);
        // Refusals are client errors that wrote nothing; anything else must be accepted.
        if (r.errors) expect(['BAD_USER_INPUT', 'CONFLICT', 'NOT_FOUND']).toContain(r.errors[0].extensions?.code);
        else {
          writes.push(`${query.slice(9, 40)}@${on}`);
          const dated = new Date(`${variables.on as string}T00:00:00Z`);
          if (dated < earliest) earliest = dated;
        }
      }
      expect(writes.length).toBeGreaterThan(5);
      const after = await tables(branches);
      const changedInThePast = Object.keys(before).filter(
        (k) => new Date(`${k.split('@')[1]}T00:00:00Z`) < earliest && JSON.stringify(before[k]) !== JSON.stringify(after[k]),
      );
      expect({ earliest: day(earliest), changedInThePast }).toEqual({ earliest: day(earliest), changedInThePast: [] });
    },
    300_000,
  );
});
