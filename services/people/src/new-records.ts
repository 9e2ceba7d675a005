import { Types } from 'mongoose';
import { pathOf, type BranchInfo } from '@rcsc/directory';
import { normalize, type PersonalDataVault } from '@rcsc/personal-data';
import type { MemberKind, PeopleConfig } from './config';
import type { ClientSession } from 'mongoose';
import type { MemberDoc, Models, VolunteerDoc } from './models';
import { lapseDate, memberNumber, memberNumberPrefix, personFromIdNumber } from './rules';

const oid = (id: string) => new Types.ObjectId(id);

/** The key of a current membership or registration: one per person and branch (unique partial index). */
export const currentKey = (branchId: string, idNumberHash: string) => `${branchId.toLowerCase()}:${idNumberHash}`;

/**
 * The key of a current membership: one per person (or institution) in the whole country (unique
 * partial index on `currentKey`), whatever branch registered them (issue 19.4). Volunteers keep
 * the per-branch `currentKey`.
 */
export const memberKey = (idNumberHash: string) => `member:${idNumberHash}`;

/** The path a record under `branch` stores, as ObjectIds (national HQ first, the branch last). */
export const storedPath = (branch: BranchInfo) => pathOf(branch).map(oid);

/** The stored, protected form of an identity document number and an optional phone. */
export function protectIdentity(vault: PersonalDataVault, idNumber: string, phone?: string | null) {
  const id = vault.protect(normalize(idNumber), 'idNumber');
  const ph = phone ? vault.protect(phone, 'phone') : null;
  return {
    idNumberHash: id.hash,
    idNumberCipher: id.cipher,
    idNumberMasked: id.masked,
    phoneCipher: ph?.cipher ?? null,
    phoneMasked: ph?.masked ?? null,
    // Keyed hash of the phone, for exact search (never shown).
    phoneHash: ph?.hash ?? null,
  };
}

export interface NewMember {
  kind: MemberKind;
  name: string;
  idNumber: string;
  phone?: string | null;
  contactPerson?: string | null;
  grassrootsUnitId?: string | null;
  joinedOn: Date;
}

/** A new member document under a branch (validated input; the id number is protected here). */
export function newMemberDoc(
  input: NewMember,
  branch: BranchInfo,
  vault: PersonalDataVault,
  config: Pick<PeopleConfig, 'lapseAfterYears'>,
  id: Types.ObjectId = new Types.ObjectId(),
): MemberDoc {
  const person = input.kind === 'GROUP' ? null : personFromIdNumber(input.idNumber);
  const identity = protectIdentity(vault, input.idNumber, input.phone);
  return {
    _id: id,
    kind: input.kind,
    name: input.name,
    gender: person?.gender ?? null,
    birthDate: person?.birthDate ?? null,
    contactPerson: input.kind === 'GROUP' ? (input.contactPerson ?? null) : null,
    ...identity,
    currentKey: memberKey(identity.idNumberHash),
    organizationId: oid(branch.id),
    orgPath: storedPath(branch),
    grassrootsUnitId: input.grassrootsUnitId ? oid(input.grassrootsUnitId) : null,
    joinedOn: input.joinedOn,
    withdrawnOn: null,
    withdrawalReason: null,
    paidThrough: null,
    lapsesOn: lapseDate(input.joinedOn, null, config),
    lapses: [],
  };
}

export interface NewVolunteer {
  name: string;
  idNumber: string;
  phone?: string | null;
  registeredOn: Date;
  nationalSystemRegisteredOn?: Date | null;
  nationalSystemId?: string | null;
  skills?: string[] | null;
  teamIds?: string[] | null;
  grassrootsUnitId?: string | null;
  guardianConsent?: boolean | null;
}

export function newVolunteerDoc(
  input: NewVolunteer,
  branch: BranchInfo,
  vault: PersonalDataVault,
  id: Types.ObjectId = new Types.ObjectId(),
): VolunteerDoc {
  const person = personFromIdNumber(input.idNumber);
  const identity = protectIdentity(vault, input.idNumber, input.phone);
  return {
    _id: id,
    name: input.name,
    gender: person?.gender ?? null,
    birthDate: person?.birthDate ?? null,
    ...identity,
    currentKey: currentKey(branch.id, identity.idNumberHash),
    organizationId: oid(branch.id),
    orgPath: storedPath(branch),
    registeredOn: input.registeredOn,
    nationalRegisteredOn: input.nationalSystemRegisteredOn ?? null,
    nationalSystemId: input.nationalSystemId ?? null,
    guardianConsent: !!input.guardianConsent,
    grassrootsUnitId: input.grassrootsUnitId ? oid(input.grassrootsUnitId) : null,
    endedOn: null,
    skills: input.skills ?? [],
    teamIds: (input.teamIds ?? []).map(oid),
    stars: 0,
  };
}

/** `count` consecutive sequence numbers under `key`, taken inside the caller's transaction (an aborted one gives them back). */
async function takeSequence(models: Pick<Models, 'NumberCounter'>, key: string, count: number, session: ClientSession): Promise<number[]> {
  if (!count) return [];
  const counter = await models.NumberCounter.findOneAndUpdate(
    { _id: key },
    { $inc: { seq: count } },
    { upsert: true, returnDocument: 'after', session },
  ).lean();
  const last = counter!.seq;
  return Array.from({ length: count }, (_, i) => last - count + 1 + i);
}

/** `count` new member numbers of `branch` for a joining year, from the branch-year counter. */
export async function issueMemberNumbers(
  models: Pick<Models, 'NumberCounter'>,
  branch: Pick<BranchInfo, 'id' | 'divisionCode'>,
  year: number,
  count: number,
  session: ClientSession,
): Promise<string[]> {
  const prefix = memberNumberPrefix(branch);
  return (await takeSequence(models, `member:${branch.id}:${year}`, count, session)).map((seq) => memberNumber(prefix, year, seq));
}

/** The next dues receipt number of the receiving branch for a year: R + branch prefix + year + 6-digit sequence. */
export async function issueReceiptNumber(
  models: Pick<Models, 'NumberCounter'>,
  branch: Pick<BranchInfo, 'id' | 'divisionCode'>,
  year: number,
  session: ClientSession,
): Promise<string> {
  const [seq] = await takeSequence(models, `receipt:${branch.id}:${year}`, 1, session);
  return `R${memberNumber(memberNumberPrefix(branch), year, seq)}`;
}

/**
 * The $set of an edit of a person's name, phone (null removes it) and skills, and how the audit
 * log shows it: the phone only masked, never the cipher or the hash.
 */
export function personEdit(
  vault: PersonalDataVault,
  before: Pick<MemberDoc, 'name' | 'phoneMasked'> & { skills?: string[] },
  edit: { name?: string; phone?: string | null; skills?: string[] },
) {
  const set: Record<string, unknown> = {};
  const was: Record<string, unknown> = {};
  const now: Record<string, unknown> = {};
  if (edit.name !== undefined) {
    set.name = now.name = edit.name;
    was.name = before.name;
  }
  if (edit.phone !== undefined) {
    const ph = edit.phone ? vault.protect(edit.phone, 'phone') : null;
    Object.assign(set, { phoneCipher: ph?.cipher ?? null, phoneMasked: ph?.masked ?? null, phoneHash: ph?.hash ?? null });
    was.phoneMasked = before.phoneMasked;
    now.phoneMasked = ph?.masked ?? null;
  }
  if (edit.skills !== undefined) {
    set.skills = now.skills = edit.skills;
    was.skills = before.skills ?? [];
  }
  return { set, auditAs: { before: was, after: now } };
}
