// Documents shaped like the people service's (services/people/src/models): members with an
// orgPath of up to 4 branch ids, protected identity strings and dates; dues payments; volunteers;
// service records. Deterministic (seeded) so before/after measurements load the same data.
import { createRequire } from 'module';
const require = createRequire(import.meta.url);
const { ObjectId } = require('bson');

export function rng(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

const hex = (r, n) => {
  let s = '';
  for (let i = 0; i < n; i++) s += '0123456789abcdef'[Math.floor(r() * 16)];
  return s;
};
const b64 = (r, n) => {
  const a = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let s = '';
  for (let i = 0; i < n; i++) s += a[Math.floor(r() * 64)];
  return s;
};
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英';

/** A branch tree: 1 national, 31 provinces, ~330 prefectures, ~3000 counties (paths of 1-4 ids). */
export function branches(r = rng(7)) {
  const nat = new ObjectId(hex(r, 24));
  const out = [[nat]];
  for (let p = 0; p < 31; p++) {
    const prov = [nat, new ObjectId(hex(r, 24))];
    out.push(prov);
    for (let c = 0; c < 10; c++) {
      const pref = [...prov, new ObjectId(hex(r, 24))];
      out.push(pref);
      for (let k = 0; k < 9; k++) out.push([...pref, new ObjectId(hex(r, 24))]);
    }
  }
  return out;
}

let counter = 0;
const nextId = () => {
  // increasing ids like a driver's (time + counter), so natural order ~ _id order
  const n = counter++;
  return new ObjectId('65' + n.toString(16).padStart(22, '0'));
};

export function member(r, paths) {
  const path = paths[paths.length - 1 - Math.floor(r() * paths.length * 0.9)];
  const kind = r() < 0.05 ? 'GROUP' : r() < 0.4 ? 'YOUTH' : 'ADULT';
  const joinedOn = new Date(Date.UTC(2014, 0, 1) + Math.floor(r() * 8 * 365) * 86400000);
  const phone = r() < 0.8;
  return {
    _id: nextId(),
    kind,
    name: SURNAMES[Math.floor(r() * SURNAMES.length)] + GIVEN[Math.floor(r() * GIVEN.length)] + GIVEN[Math.floor(r() * GIVEN.length)],
    gender: kind === 'GROUP' ? null : r() < 0.5 ? 'MALE' : 'FEMALE',
    birthDate: kind === 'GROUP' ? null : new Date(Date.UTC(1950, 0, 1) + Math.floor(r() * 60 * 365) * 86400000),
    contactPerson: kind === 'GROUP' ? '张伟' : null,
    idNumberHash: b64(r, 43),
    idNumberCipher: b64(r, 64),
    idNumberMasked: '110' + '*'.repeat(11) + hex(r, 4),
    phoneCipher: phone ? b64(r, 56) : null,
    phoneMasked: phone ? '138****' + hex(r, 4) : null,
    organizationId: path[path.length - 1],
    orgPath: path,
    grassrootsUnitId: null,
    joinedOn,
    withdrawnOn: null,
    withdrawalReason: null,
    paidThrough: 2021 + Math.floor(r() * 5),
    lapsesOn: new Date(Date.UTC(2026, 0, 1)),
    lapses: [],
    createdAt: new Date(),
    updatedAt: new Date(),
    __v: 0,
  };
}

export function dues(r, m, n) {
  return {
    _id: nextId(),
    memberId: m._id,
    memberOrgPath: m.orgPath,
    organizationId: m.organizationId,
    orgPath: m.orgPath,
    periodFrom: 2014 + n,
    periodTo: 2014 + n + Math.floor(r() * 3),
    amountCents: 1000 + Math.floor(r() * 4) * 1000,
    paidOn: new Date(Date.UTC(2014 + n, Math.floor(r() * 12), 1)),
    createdAt: new Date(),
    updatedAt: new Date(),
    __v: 0,
  };
}

/** The indexes the people models declare (besides _id). */
export const MEMBER_INDEXES = [
  { key: { organizationId: 1, idNumberHash: 1 }, name: 'organizationId_1_idNumberHash_1', unique: true },
  { key: { orgPath: 1, kind: 1, joinedOn: 1 }, name: 'orgPath_1_kind_1_joinedOn_1' },
  { key: { orgPath: 1, _id: 1 }, name: 'orgPath_1__id_1' },
  { key: { idNumberHash: 1 }, name: 'idNumberHash_1' },
];
export const DUES_INDEXES = [{ key: { memberId: 1, periodFrom: 1 }, name: 'memberId_1_periodFrom_1' }];
