// The annex rows 9-14 as maintained dated counters (@rcsc/counters): every write to a member,
// volunteer, team or service record moves its branch path's counters in the same transaction,
// so a subtree's figures on any date are one small indexed read instead of a scan.
import { createHash } from 'node:crypto';
import {
  applyChange,
  applyChanges,
  countersBuilt,
  countersOf,
  everyDocument,
  everyState,
  rebuild,
  type CounterTotals,
  type Counters,
  type RecordState,
} from '@rcsc/counters';
import type { ClientSession } from 'mongoose';
import { placementsOf, type FollowedCollection } from '@rcsc/reorganizations';
import type { PeopleConfig } from './config';
import {
  COUNTED_PAYMENT,
  hoursCount,
  type DuesPaymentDoc,
  type MemberDoc,
  type Models,
  type ServiceRecordDoc,
  type ServiceTeamDoc,
  type VolunteerDoc,
} from './models';
import { standingFromLedger } from './rules';
import { MEMBER_ACTIVE, spanContributions, spansOf, TEAM_EXISTS, VOLUNTEER_REGISTERED } from './spans';

/** Bump when a contribution rule changes: services rebuild their counters on the next boot. */
export const COUNTER_RULES_VERSION = 1;

/** The policy values that stored records and the counters derive from (member standing). */
export type StoredPolicy = Pick<PeopleConfig, 'lapseAfterYears'>;

/**
 * The version the counters are built under: the contribution rules and the policy values they
 * depend on, so a changed LAPSE_AFTER_YEARS rebuilds them at the next boot like a code change.
 */
export function countersVersion(policy: StoredPolicy): number {
  const digest = createHash('sha256')
    .update(JSON.stringify([COUNTER_RULES_VERSION, policy.lapseAfterYears]))
    .digest('hex');
  return parseInt(digest.slice(0, 12), 16); // 48 bits: exact as a stored number
}

export const counters = countersOf;

/** Members count by kind over their active spans (spans.MEMBER_ACTIVE). */
export function memberState(
  m: Pick<MemberDoc, 'kind' | 'joinedOn' | 'withdrawnOn' | 'lapsesOn' | 'lapses' | 'orgPath' | 'orgPathHistory'>,
): RecordState {
  return { path: m.orgPath, contributions: spanContributions(m.kind, spansOf(MEMBER_ACTIVE, m)), earlier: placementsOf(m) };
}

/** Volunteers count while registered in the national system (spans.VOLUNTEER_REGISTERED). */
export function volunteerState(v: Pick<VolunteerDoc, 'nationalRegisteredOn' | 'endedOn' | 'orgPath' | 'orgPathHistory'>): RecordState {
  return { path: v.orgPath, contributions: spanContributions('volunteers', spansOf(VOLUNTEER_REGISTERED, v)), earlier: placementsOf(v) };
}

/** Teams count while they exist (spans.TEAM_EXISTS). */
export function teamState(t: Pick<ServiceTeamDoc, 'foundedOn' | 'dissolvedOn' | 'orgPath' | 'orgPathHistory'>): RecordState {
  return { path: t.orgPath, contributions: spanContributions('teams', spansOf(TEAM_EXISTS, t)), earlier: placementsOf(t) };
}

/** Hours count from the day served, once confirmed (records stored before the workflow count). */
export function serviceRecordState(r: Pick<ServiceRecordDoc, 'date' | 'hours' | 'status' | 'orgPath' | 'orgPathHistory'>): RecordState {
  return { path: r.orgPath, contributions: hoursCount(r) ? [{ key: 'hours', on: r.date, delta: r.hours }] : [], earlier: placementsOf(r) };
}

/** The counted state of a record of `entity` (null: the entity has no counters). */
export function stateOf(entity: string, doc: unknown): RecordState | null {
  if (doc == null) return null;
  if (entity === 'Member') return memberState(doc as MemberDoc);
  if (entity === 'Volunteer') return volunteerState(doc as VolunteerDoc);
  if (entity === 'ServiceTeam') return teamState(doc as ServiceTeamDoc);
  if (entity === 'ServiceRecord') return serviceRecordState(doc as ServiceRecordDoc);
  return null;
}

/**
 * What follows the tree's reorganizations (ADR 0008): every collection kept under branches (the
 * counted ones with their states), and the dues ledger's copy of the member's path.
 */
export const followed = (models: Models): { collections: FollowedCollection[]; counters: Counters } => ({
  collections: [
    { model: models.Member, state: memberState as never },
    { model: models.Volunteer, state: volunteerState as never },
    { model: models.ServiceTeam, state: teamState as never },
    { model: models.ServiceRecord, state: serviceRecordState as never },
    { model: models.DuesPayment },
    { model: models.DuesPayment, pathField: 'memberOrgPath', through: { owner: models.Member, field: 'memberId' } },
    { model: models.MemberStar },
    { model: models.StarRating },
  ],
  counters: counters(models),
});

/** A record's counters move from `before` to `after` (null: created), in the write's session. */
export const moveCounters = (models: Models, before: RecordState | null, after: RecordState | null, session: ClientSession) =>
  applyChange(counters(models), before, after, session);

export const addToCounters = (models: Models, created: RecordState[], session?: ClientSession | null) =>
  applyChanges(
    counters(models),
    created.map((after) => ({ before: null, after })),
    session,
  );

/** Every record's state, streamed (a rebuild reads the whole register once). */
async function* allStates(models: Models): AsyncIterable<RecordState> {
  yield* everyState(models.Member, ['kind', 'joinedOn', 'withdrawnOn', 'lapsesOn', 'lapses', 'orgPath', 'orgPathHistory'], memberState);
  yield* everyState(models.Volunteer, ['nationalRegisteredOn', 'endedOn', 'orgPath', 'orgPathHistory'], volunteerState);
  yield* everyState(models.ServiceTeam, ['foundedOn', 'dissolvedOn', 'orgPath', 'orgPathHistory'], teamState);
  yield* everyState(models.ServiceRecord, ['date', 'hours', 'status', 'orgPath', 'orgPathHistory'], serviceRecordState);
}

/** The marker of the policy the stored standings were derived under. */
const POLICY_MARKER = 'standing-policy';
const REDERIVE_BATCH = 2_000;

/**
 * Stored standings (paidThrough, lapsesOn, lapses) follow the lapse policy they were written
 * under: when LAPSE_AFTER_YEARS differs from the one recorded, every member's standing is derived
 * again from its dues ledger. A database without the marker is taken as written under `policy`.
 */
async function rederiveStandings(models: Models, policy: StoredPolicy): Promise<number> {
  const marker = await models.CounterBuilt.findById(POLICY_MARKER).lean();
  let changed = 0;
  if (marker && marker.version !== policy.lapseAfterYears) {
    let batch: MemberDoc[] = [];
    const flush = async () => {
      const payments = (await models.DuesPayment.find(
        { memberId: { $in: batch.map((m) => m._id) }, ...COUNTED_PAYMENT },
        { memberId: 1, periodTo: 1, paidOn: 1 },
      ).lean()) as Pick<DuesPaymentDoc, 'memberId' | 'periodTo' | 'paidOn'>[];
      const ops = batch.flatMap((m) => {
        const ledger = payments.filter((p) => p.memberId.equals(m._id));
        const standing = standingFromLedger(m.joinedOn, ledger, policy);
        const stored = { paidThrough: m.paidThrough, lapsesOn: m.lapsesOn, lapses: m.lapses };
        return JSON.stringify(standing) === JSON.stringify(stored)
          ? []
          : [{ updateOne: { filter: { _id: m._id }, update: { $set: standing } } }];
      });
      if (ops.length) await models.Member.bulkWrite(ops as never);
      changed += ops.length;
      batch = [];
    };
    for await (const m of everyDocument<MemberDoc>(models.Member, { joinedOn: 1, paidThrough: 1, lapsesOn: 1, lapses: 1 })) {
      batch.push(m);
      if (batch.length >= REDERIVE_BATCH) await flush();
    }
    if (batch.length) await flush();
  }
  await recordPolicy(models, policy);
  return changed;
}

/** Records the policy the stored standings now follow. */
async function recordPolicy(models: Models, policy: StoredPolicy): Promise<void> {
  await models.CounterBuilt.updateOne(
    { _id: POLICY_MARKER },
    { $set: { version: policy.lapseAfterYears, builtAt: new Date() } },
    { upsert: true },
  );
}

/**
 * Builds the counters from the registers when they were never built or were built under other
 * rules or policy values (stored standings are derived again first when the policy changed).
 */
export async function ensureCounters(models: Models, policy: StoredPolicy) {
  const version = countersVersion(policy);
  if (await countersBuilt(counters(models), version)) return null;
  const rederived = await rederiveStandings(models, policy);
  return { ...(await rebuild(counters(models), allStates(models), version)), rederived };
}

/**
 * Recomputes the counters from the registers (after a load that wrote records under `policy`
 * directly), or writes `totals` when the load summed every record it wrote into an empty database.
 */
export async function rebuildCounters(models: Models, policy: StoredPolicy, totals?: CounterTotals) {
  await recordPolicy(models, policy);
  const version = countersVersion(policy);
  return totals ? totals.write(counters(models), version) : rebuild(counters(models), allStates(models), version);
}
