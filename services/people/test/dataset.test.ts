import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Types } from 'mongoose';
import { buildBranchTree } from '@rcsc/dataset';
import { StaticDirectory } from '@rcsc/directory';
import { PersonalDataVault } from '@rcsc/personal-data';
import * as organizations from '@rcsc/organizations';
import { startTestService, startTestStack, testToken, type TestService, type TestStack } from '@rcsc/testing';
import { valuesLoader } from '@rcsc/counters';
import { counters as countersOf } from '../src/counters';
import { annualIncrease, COUNTER_KEYS, survey, type PeopleCounts } from '../src/indicators';
import { scanCounts } from './scan';
import { peopleFindings } from '../src/data-quality';
import { createServer } from '../src/server';
import { seed } from '../src/seed';
import { endOfYear, requiredApprover, statusFilter, today } from '../src/rules';
import { holdsOnFilter, MEMBER_ACTIVE, TEAM_EXISTS, VOLUNTEER_REGISTERED } from '../src/spans';

const tree = buildBranchTree();
const byId = new Map(tree.map((b) => [b.id, b]));
const zj = tree.find((b) => b.divisionCode === '330000')!;
const CONTRACT = join(__dirname, '..', '..', '..', '..', 'shared', 'contract');

describe('the national dataset (people part) and the contract through a gateway', () => {
  let svc: TestService<ReturnType<typeof createServer>>;
  let org: TestService<ReturnType<typeof organizations.createServer>>;
  let stack: TestStack;
  let counts: Awaited<ReturnType<typeof seed>>;
  const vault = new PersonalDataVault(Buffer.alloc(32, 3));

  beforeAll(async () => {
    svc = await startTestService('people', (c) => createServer(c, { directory: StaticDirectory.fromTree(tree), vault }));
    const started = performance.now();
    counts = await seed(svc.subgraph.models, { vault });
    console.log(`people default seed: ${Math.round(performance.now() - started)} ms`, counts);
  }, 240_000);
  afterAll(async () => {
    await stack?.stop();
    await org?.stop();
    await svc?.stop();
  });

  it('loads the default scale once; a second load inserts nothing', async () => {
    expect(counts.members).toBeGreaterThan(35_000);
    expect(counts.volunteers).toBeGreaterThan(9_000);
    expect(counts.serviceTeams).toBeGreaterThan(1_800);
    expect(counts.serviceRecords).toBeGreaterThan(40_000);
    const total =
      counts.members +
      counts.duesPayments +
      counts.memberStars +
      counts.volunteers +
      counts.serviceTeams +
      counts.serviceRecords +
      counts.starRatings;
    expect(counts.inserted).toBe(total);
    // The first load summed the counters from the records it generated; the second, into a
    // database that holds them, rebuilds them from what is stored: the same counters.
    const stored = () => countersOf(svc.subgraph.models).model.find().sort({ _id: 1 }).lean();
    const summed = await stored();
    expect(summed.length).toBeGreaterThan(1000);
    // Records loaded in the current format: the boot migrations are marked done, not run over them.
    const migrations = ['current-keys', 'national-member-keys', 'service-record-status'];
    expect(await svc.subgraph.models.CounterBuilt.countDocuments({ _id: { $in: migrations } })).toBe(3);
    const again = await seed(svc.subgraph.models, { vault });
    expect(again.inserted).toBe(0);
    expect(await stored()).toEqual(summed);
    expect(await svc.subgraph.models.Member.countDocuments()).toBe(counts.members);
  }, 240_000);

  it('gives every province youth members, registered volunteers and service teams', async () => {
    const provinces = tree.filter((b) => b.level === 'PROVINCIAL');
    const end = endOfYear(2021);
    const group = async (model: any, match: Record<string, unknown>) =>
      new Map<string, number>(
        (await model.aggregate([{ $match: match }, { $group: { _id: { $arrayElemAt: ['$orgPath', 1] }, n: { $sum: 1 } } }])).map(
          (r: any) => [String(r._id), r.n],
        ),
      );
    const { Member, Volunteer, ServiceTeam } = svc.subgraph.models;
    const youth = await group(Member, { kind: 'YOUTH', ...holdsOnFilter(MEMBER_ACTIVE, end) });
    const volunteers = await group(Volunteer, holdsOnFilter(VOLUNTEER_REGISTERED, end));
    const teams = await group(ServiceTeam, holdsOnFilter(TEAM_EXISTS, end));
    for (const p of provinces) {
      expect([p.name, youth.get(p.id) ?? 0]).toEqual([p.name, expect.any(Number)]);
      expect(youth.get(p.id) ?? 0).toBeGreaterThan(0);
      expect(volunteers.get(p.id) ?? 0).toBeGreaterThan(0);
      expect(teams.get(p.id) ?? 0).toBeGreaterThan(0);
    }
  });

  it('keeps annex counters equal to a scan of the registers: national, every province, and a sample below, on several dates', async () => {
    const { models } = svc.subgraph;
    const counted = valuesLoader(countersOf(models), COUNTER_KEYS);
    const sample = [
      ...tree.filter((b) => b.level === 'NATIONAL' || b.level === 'PROVINCIAL'),
      ...tree.filter((b) => b.level === 'PREFECTURE').filter((_, i) => i % 40 === 0),
      ...tree.filter((b) => b.level === 'COUNTY').filter((_, i) => i % 300 === 0),
    ];
    const dates = ['2016-12-31', '2019-03-15', '2020-12-31', '2021-06-30', '2021-12-31', '2024-02-29'].map(
      (d) => new Date(`${d}T00:00:00Z`),
    );
    for (const b of sample)
      for (const date of dates) {
        const [got, want] = await Promise.all([survey(counted, b.id, date), scanCounts(models, b.id, date)]);
        expect({ branch: b.name, date, ...got }).toEqual({ branch: b.name, date, ...want });
      }
  }, 240_000);

  it('adds up: a branch equals the sum over its children plus its own records', async () => {
    const { models } = svc.subgraph;
    const counts = valuesLoader(countersOf(models), COUNTER_KEYS);
    const date = endOfYear(2021);
    const whole = await survey(counts, zj.id, date);
    const children = await Promise.all(tree.filter((b) => b.parentId === zj.id).map((c) => survey(counts, c.id, date)));
    const own = new Types.ObjectId(zj.id);
    const ownMembers = await models.Member.aggregate([
      { $match: { organizationId: own, ...holdsOnFilter(MEMBER_ACTIVE, date) } },
      { $group: { _id: '$kind', n: { $sum: 1 } } },
    ]);
    const ownHours = await models.ServiceRecord.aggregate([
      { $match: { organizationId: own, date: { $lte: date } } },
      { $group: { _id: null, h: { $sum: '$hours' } } },
    ]);
    const ownRow: PeopleCounts = {
      groupMembers: ownMembers.find((r) => r._id === 'GROUP')?.n ?? 0,
      adultMembers: ownMembers.find((r) => r._id === 'ADULT')?.n ?? 0,
      youthMembers: ownMembers.find((r) => r._id === 'YOUTH')?.n ?? 0,
      registeredVolunteers: await models.Volunteer.countDocuments({ organizationId: own, ...holdsOnFilter(VOLUNTEER_REGISTERED, date) }),
      serviceOrganizations: await models.ServiceTeam.countDocuments({ organizationId: own, ...holdsOnFilter(TEAM_EXISTS, date) }),
      serviceHours: ownHours[0]?.h ?? 0,
    };
    for (const k of Object.keys(whole) as (keyof PeopleCounts)[]) {
      const sum = children.reduce((s, c) => s + c[k], 0) + ownRow[k];
      // Hours are rounded per branch: the sum of rounded parts may differ by the rounding only.
      if (k === 'serviceHours') expect(Math.abs(whole[k] - sum)).toBeLessThanOrEqual(children.length);
      else expect([k, whole[k]]).toEqual([k, sum]);
      expect(whole[k]).toBeGreaterThan(0);
    }
  });

  it('annual increase = the year-end value minus the previous year-end value; 2020 and 2021 differ', async () => {
    const { models } = svc.subgraph;
    const counts = valuesLoader(countersOf(models), COUNTER_KEYS);
    const [inc2021, inc2020, end2021, end2020] = await Promise.all([
      annualIncrease(counts, zj.id, 2021),
      annualIncrease(counts, zj.id, 2020),
      survey(counts, zj.id, endOfYear(2021)),
      survey(counts, zj.id, endOfYear(2020)),
    ]);
    for (const k of Object.keys(inc2021) as (keyof PeopleCounts)[]) {
      if (k === 'serviceHours') expect(Math.abs(inc2021[k] - (end2021[k] - end2020[k]))).toBeLessThanOrEqual(1);
      else expect([k, inc2021[k]]).toEqual([k, end2021[k] - end2020[k]]);
    }
    expect(inc2021.registeredVolunteers).toBeGreaterThan(0);
    expect(inc2021).not.toEqual(inc2020);
  });

  it('keeps most members paying dues through the current year: read today, most are ACTIVE, some LAPSED or WITHDRAWN', async () => {
    const { Member, DuesPayment } = svc.subgraph.models;
    const now = today();
    const total = await Member.countDocuments();
    const [active, lapsed, withdrawn] = await Promise.all(
      (['ACTIVE', 'LAPSED', 'WITHDRAWN'] as const).map((s) => Member.countDocuments(statusFilter(s, now))),
    );
    expect(active + lapsed + withdrawn).toBe(total);
    expect(active / total).toBeGreaterThan(0.6);
    expect(lapsed / total).toBeGreaterThan(0.1);
    expect(withdrawn / total).toBeGreaterThan(0.04);
    const latest = await DuesPayment.findOne().sort({ periodTo: -1 }).lean();
    expect(latest!.periodTo).toBe(now.getUTCFullYear());
    expect(await DuesPayment.countDocuments({ paidOn: { $gt: now } })).toBe(0);
  });

  it('seeds star ratings approved by the branch the rules name', async () => {
    const ratings = await svc.subgraph.models.StarRating.find({ status: 'APPROVED' }).limit(300).lean();
    expect(ratings.length).toBeGreaterThan(50);
    expect(new Set(ratings.map((r) => r.stars)).size).toBeGreaterThanOrEqual(4);
    for (const r of ratings) {
      const path = r.orgPath.map((id) => byId.get(String(id))!);
      expect(String(r.decidedBy)).toBe(requiredApprover(path, r.stars).id);
    }
  });

  it('finds data-quality problems of a province for a year within bounds (issue 16.6), measured', async () => {
    const started = performance.now();
    const findings = await peopleFindings(
      svc.subgraph.models,
      StaticDirectory.fromTree(tree),
      zj.id,
      new Date('2021-01-01'),
      new Date('2021-12-31'),
    );
    const ms = Math.round(performance.now() - started);
    const rules = [...new Set(findings.map((f) => f.rule))];
    const byRule = Object.fromEntries(rules.map((r) => [r, findings.filter((f) => f.rule === r).length]));
    console.log(`peopleFindings ${zj.name} 2021: ${ms} ms`, byRule);
    for (const n of Object.values(byRule)) expect(n).toBeLessThanOrEqual(200);
  }, 240_000);

  it('answers the contract operations (03-people.graphql) through a gateway with the organizations subgraph', async () => {
    org = await startTestService('organizations', organizations.createServer);
    await organizations.seed(org.subgraph.models);
    stack = await startTestStack([org.subgraph, svc.subgraph]);
    const vars = JSON.parse(readFileSync(join(CONTRACT, '03-people.vars.json'), 'utf8')) as Record<string, { divisionCode: string }>;
    const document = readFileSync(join(CONTRACT, '03-people.graphql'), 'utf8');
    for (const [operationName, v] of Object.entries(vars)) {
      const lookup = await stack.query<{ organization: { id: string } }>(`query($c: String) { organization(divisionCode: $c) { id } }`, {
        c: v.divisionCode,
      });
      const r: any = await stack.query(document, { id: lookup.data!.organization.id }, {});
      expect(r.errors).toBeUndefined();
      expect(operationName).toBe('People');
      const o = r.data.organization;
      expect(o.members.totalCount).toBeGreaterThan(0);
      expect(o.members.nodes.length).toBeGreaterThan(0);
      expect(o.members.nodes.every((n: any) => n.kind === 'YOUTH' && n.status && n.joinedOn)).toBe(true);
      expect(o.volunteers.totalCount).toBeGreaterThan(0);
      expect(o.volunteers.nodes[0]).toEqual({
        id: expect.any(String),
        name: expect.any(String),
        stars: expect.any(Number),
        serviceHours: expect.any(Number),
      });
      expect(o.serviceTeams.totalCount).toBeGreaterThan(0);
    }
    const survey2021 = await stack.query<any>(
      `query($id: ID!) { organization(id: $id) { name peopleSurvey(asOf: "2021-12-31") { youthMembers registeredVolunteers serviceHours } } }`,
      { id: zj.id },
    );
    expect(survey2021.errors).toBeUndefined();
    expect(survey2021.data.organization.name).toBe('浙江省红十字会');
    expect(survey2021.data.organization.peopleSurvey.youthMembers).toBeGreaterThan(0);
  }, 240_000);

  it('applies the subtree rules through the gateway with real tokens; a subgraph reached directly refuses anonymous calls', async () => {
    const xh = tree.find((b) => b.divisionCode === '330106')!;
    const bearer = async (roles: ('ADMIN' | 'STAFF' | 'REPORTER')[], org: string) => ({
      authorization: `Bearer ${await testToken({ sub: `test:${roles.join('+')}`, roles, org })}`,
    });
    const q = `query($id: ID!) { organization(id: $id) { name members(first: 5) { totalCount nodes { name idNumberMasked } }
      peopleSurvey(asOf: "2021-12-31") { adultMembers } } }`;
    // A county REPORTER asking for the province: the province's name (organizations), only the
    // county's members (names only), and no provincial aggregate.
    const r = await stack.query<any>(q, { id: zj.id }, await bearer(['REPORTER'], xh.id));
    expect(r.status).toBe(200);
    const o = r.data.organization;
    expect(o.name).toBe('浙江省红十字会');
    expect(o.members.totalCount).toBe(await svc.subgraph.models.Member.countDocuments({ orgPath: xh.id }));
    expect(o.members.nodes.length).toBeGreaterThan(0);
    expect(o.members.nodes.every((n: any) => n.name && n.idNumberMasked === null)).toBe(true);
    expect(o.peopleSurvey).toBeNull();
    expect(r.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    // The county's own aggregate is the REPORTER's to read; STAFF see identity numbers masked.
    const own = await stack.query<any>(q, { id: xh.id }, await bearer(['STAFF'], xh.id));
    expect(own.errors).toBeUndefined();
    expect(own.data.organization.peopleSurvey.adultMembers).toBeGreaterThan(0);
    expect(own.data.organization.members.nodes[0].idNumberMasked).toMatch(/^.{4}\*+.{4}$/);
    // Straight to the subgraph (a second instance over the same database), without a token: UNAUTHENTICATED.
    const direct = await createServer(svc.db.connection, { directory: StaticDirectory.fromTree(tree), vault }).listen(0);
    try {
      const res = await fetch(direct.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ member(id: "000000000000000000000000") { id } }' }),
      });
      const body = (await res.json()) as { errors?: { extensions?: { code?: string } }[] };
      expect(body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    } finally {
      await direct.close();
    }
  }, 240_000);
});
