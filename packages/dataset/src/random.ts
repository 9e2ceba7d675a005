// crypto.hash: one call per digest (createHash().update().digest() was 5% of a national load)
import { hash } from 'node:crypto';

/** The default seed: the same seed always yields the same national dataset. */
export const DEFAULT_SEED = 2021;

/** The dataset's sizes: the default (npm start, tests) and the real network's order of magnitude (benchmarks). */
export type DatasetScale = 'default' | 'national';

/** What every service's seed takes alike (scripts/stack.mjs passes the same to each). */
export interface DatasetLoadOptions {
  /** Default DEFAULT_SEED. */
  seed?: number;
  /** Default 'default'. */
  scale?: DatasetScale;
  onProgress?: (done: number, total: number) => void;
}

function hash32(text: string): number {
  return hash('sha1', text, 'buffer').readUInt32LE(0);
}

/** A stable 24-hex-digit ObjectId for a record key, so reloading the dataset is idempotent. */
export function stableId(...key: (string | number)[]): string {
  return hash('sha1', key.join(':'), 'hex').slice(0, 24);
}

/**
 * A small deterministic PRNG (mulberry32) keyed by the seed and the record's own key, so a
 * record's facts do not depend on how many records were generated before it.
 */
export class Random {
  private state: number;
  constructor(seed: number, ...key: (string | number)[]) {
    this.state = hash32(`${seed}:${key.join(':')}`) || 1;
  }
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
  /** A UTC date uniformly between two dates (inclusive, day precision). */
  date(from: string, to: string): Date {
    const a = Date.parse(`${from}T00:00:00Z`);
    const b = Date.parse(`${to}T00:00:00Z`);
    const days = Math.round((b - a) / 86_400_000);
    return new Date(a + this.int(0, days) * 86_400_000);
  }
}

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'.split(
    '',
  );
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文斌宇浩凯鹏辉琳欣怡晨阳海燕雪梅丹玲春林峰鑫博磊婷颖倩'.split(
  '',
);

/** A plausible Chinese personal name. */
export function personName(rng: Random): string {
  const given = rng.chance(0.6) ? rng.pick(GIVEN) + rng.pick(GIVEN) : rng.pick(GIVEN);
  return rng.pick(SURNAMES) + given;
}
