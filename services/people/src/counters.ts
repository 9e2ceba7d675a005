// The annex rows 9-14 as maintained dated counters (@rcsc/counters): every write to a member,
// volunteer, team or service record moves its branch path's counters in the same transaction,
// so a subtree's figures on any date are one small indexed read instead of a scan.
import { applyChange, applyChanges, ensureBuilt, everyDocument, heldOver, rebuild, type Contribution, type Counters, type RecordState } from '@rcsc/counters';
import type { ClientSession } from 'mongoose';
import type { MemberDoc, Models, ServiceRecordDoc, ServiceTeamDoc, VolunteerDoc } from './models';

/** Bump when a contribution rule changes: services rebuild their counters on the next boot. */
export const COUNTER_RULES_VERSION = 1;

export const counters = (models: Models): Counters => ({ model: models.Counter, marker: models.CounterBuilt });

/** Members count by kind while ACTIVE: joined, not withdrawn, not lapsed (rules.activeMemberFilter). */
export function memberState(m: Pick<MemberDoc, 'kind' | 'joinedOn' | 'withdrawnOn' | 'lapsesOn' | 'lapses' | 'orgPath'>): RecordState {
  const end = m.withdrawnOn && m.withdrawnOn < m.lapsesOn ? m.withdrawnOn : m.lapsesOn;
  return { path: m.orgPath, contributions: heldOver(m.kind, m.joinedOn, end, m.lapses ?? []) };
}

/** Volunteers count while registered in the national system and not left (registeredVolunteerFilter). */
export function volunteerState(v: Pick<VolunteerDoc, 'nationalRegisteredOn' | 'endedOn' | 'orgPath'>): RecordState {
  return { path: v.orgPath, contributions: heldOver('volunteers', v.nationalRegisteredOn, v.endedOn) };
}

/** Teams count from founding until dissolved (teamExistsFilter). */
export function teamState(t: Pick<ServiceTeamDoc, 'foundedOn' | 'dissolvedOn' | 'orgPath'>): RecordState {
  return { path: t.orgPath, contributions: heldOver('teams', t.foundedOn, t.dissolvedOn) };
}

/** Hours count from the day served. */
export function serviceRecordState(r: Pick<ServiceRecordDoc, 'date' | 'hours' | 'orgPath'>): RecordState {
  const c: Contribution = { key: 'hours', on: r.date, delta: r.hours };
  return { path: r.orgPath, contributions: [c] };
}

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
  for await (const m of everyDocument<MemberDoc>(models.Member, { kind: 1, joinedOn: 1, withdrawnOn: 1, lapsesOn: 1, lapses: 1, orgPath: 1 }))
    yield memberState(m);
  for await (const v of everyDocument<VolunteerDoc>(models.Volunteer, { nationalRegisteredOn: 1, endedOn: 1, orgPath: 1 })) yield volunteerState(v);
  for await (const t of everyDocument<ServiceTeamDoc>(models.ServiceTeam, { foundedOn: 1, dissolvedOn: 1, orgPath: 1 })) yield teamState(t);
  for await (const r of everyDocument<ServiceRecordDoc>(models.ServiceRecord, { date: 1, hours: 1, orgPath: 1 })) yield serviceRecordState(r);
}

/** Builds the counters from the registers when they were never built, or under older rules. */
export const ensureCounters = (models: Models) => ensureBuilt(counters(models), () => allStates(models), COUNTER_RULES_VERSION);

/** Recomputes the counters from the registers (after a load that wrote records directly). */
export const rebuildCounters = (models: Models) => rebuild(counters(models), allStates(models), COUNTER_RULES_VERSION);
