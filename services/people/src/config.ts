import { z } from 'zod';

export const MEMBER_KINDS = ['ADULT', 'YOUTH', 'GROUP'] as const;
export type MemberKind = (typeof MEMBER_KINDS)[number];

/**
 * The people rules that are policy, not code: star thresholds, dues rates, the lapse period,
 * age bounds, the team target per county and the import limit. Defaults follow the seed and the
 * national volunteer-record rules; every value can be overridden from the environment.
 */
export interface PeopleConfig {
  /** Service hours needed for 1, 2, 3, 4 and 5 stars (STAR_HOURS="100,300,600,1000,1500"). */
  starHours: [number, number, number, number, number];
  /** Dues per year in yuan, per member kind (DUES_ADULT, DUES_YOUTH, DUES_GROUP). */
  duesRates: Record<MemberKind, number>;
  /** A member whose dues are unpaid for this many whole years lapses (LAPSE_AFTER_YEARS). */
  lapseAfterYears: number;
  /** An adult member is at least this old when joining (ADULT_MIN_AGE). */
  adultMinAge: number;
  /** A youth member is younger than this when joining (YOUTH_MAX_AGE). */
  youthMaxAge: number;
  /** Every county branch should manage at least this many service teams (MIN_TEAMS_PER_COUNTY). */
  minTeamsPerCounty: number;
  /** Rows one import may carry (IMPORT_MAX_ROWS). */
  importMaxRows: number;
  /** Plausibility: at most this many service hours per volunteer in any 7 consecutive days (SERVICE_WEEK_MAX_HOURS). */
  serviceWeekMaxHours: number;
  /** Rows one member export may carry (MEMBER_EXPORT_MAX_ROWS). */
  memberExportMaxRows: number;
}

export const DEFAULT_CONFIG: PeopleConfig = {
  starHours: [100, 300, 600, 1000, 1500],
  duesRates: { ADULT: 10, YOUTH: 2, GROUP: 500 },
  lapseAfterYears: 2,
  adultMinAge: 18,
  youthMaxAge: 25,
  minTeamsPerCounty: 3,
  importMaxRows: 50_000,
  serviceWeekMaxHours: 84,
  memberExportMaxRows: 50_000,
};

const positive = z.coerce.number().positive();
const whole = z.coerce.number().int().min(1);

const envSchema = z.object({
  STAR_HOURS: z
    .string()
    .transform((s) => s.split(',').map((p) => Number(p.trim())))
    .refine((a) => a.length === 5 && a.every((n) => Number.isFinite(n) && n > 0), 'must be five positive numbers')
    .refine((a) => a.every((n, i) => i === 0 || n > a[i - 1]), 'must increase from 1 to 5 stars')
    .optional(),
  DUES_ADULT: positive.optional(),
  DUES_YOUTH: positive.optional(),
  DUES_GROUP: positive.optional(),
  LAPSE_AFTER_YEARS: whole.optional(),
  ADULT_MIN_AGE: whole.optional(),
  YOUTH_MAX_AGE: whole.optional(),
  MIN_TEAMS_PER_COUNTY: whole.optional(),
  IMPORT_MAX_ROWS: whole.optional(),
  SERVICE_WEEK_MAX_HOURS: positive.optional(),
  MEMBER_EXPORT_MAX_ROWS: whole.optional(),
});

/** The configuration from the environment, over the defaults; fails naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): PeopleConfig {
  const r = envSchema.safeParse(env);
  if (!r.success) {
    throw new Error(`Invalid people configuration:\n${r.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  }
  const e = r.data;
  const d = DEFAULT_CONFIG;
  return {
    starHours: (e.STAR_HOURS as PeopleConfig['starHours'] | undefined) ?? d.starHours,
    duesRates: {
      ADULT: e.DUES_ADULT ?? d.duesRates.ADULT,
      YOUTH: e.DUES_YOUTH ?? d.duesRates.YOUTH,
      GROUP: e.DUES_GROUP ?? d.duesRates.GROUP,
    },
    lapseAfterYears: e.LAPSE_AFTER_YEARS ?? d.lapseAfterYears,
    adultMinAge: e.ADULT_MIN_AGE ?? d.adultMinAge,
    youthMaxAge: e.YOUTH_MAX_AGE ?? d.youthMaxAge,
    minTeamsPerCounty: e.MIN_TEAMS_PER_COUNTY ?? d.minTeamsPerCounty,
    importMaxRows: e.IMPORT_MAX_ROWS ?? d.importMaxRows,
    serviceWeekMaxHours: e.SERVICE_WEEK_MAX_HOURS ?? d.serviceWeekMaxHours,
    memberExportMaxRows: e.MEMBER_EXPORT_MAX_ROWS ?? d.memberExportMaxRows,
  };
}
