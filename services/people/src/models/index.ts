import type { Connection } from 'mongoose';
import { counterCollections } from '@rcsc/counters';
import { serviceModels, type Page } from '@rcsc/service-kit';
import { duesPaymentModel } from './dues-payment';
import { memberModel, type MemberDoc } from './member';
import { memberStarModel, type MemberStarDoc } from './member-star';
import { numberCounterModel } from './number-counter';
import { serviceRecordModel, type ServiceRecordDoc } from './service-record';
import { serviceTeamModel, type ServiceTeamDoc } from './service-team';
import { starRatingModel, type StarRatingDoc } from './star-rating';
import { volunteerModel, type VolunteerDoc } from './volunteer';

export * from './dues-payment';
export * from './member';
export * from './member-star';
export * from './number-counter';
export * from './service-record';
export * from './service-team';
export * from './star-rating';
export * from './volunteer';

export function createModels(connection: Connection) {
  return {
    ...serviceModels(connection, {
      Member: memberModel,
      DuesPayment: duesPaymentModel,
      Volunteer: volunteerModel,
      ServiceTeam: serviceTeamModel,
      ServiceRecord: serviceRecordModel,
      StarRating: starRatingModel,
      MemberStar: memberStarModel,
      /** Sequences of member numbers (per branch and joining year) and dues receipts (per receiving branch and year). */
      NumberCounter: numberCounterModel,
    }),
    /** Dated counters of the annex rows 9-14 per branch subtree (src/counters.ts), and their built marker. */
    ...counterCollections(connection),
  };
}
export type Models = ReturnType<typeof createModels>;

/** A grassroots unit as this subgraph resolves it: only the key (grassroots owns the rest). */
export interface GrassrootsUnitRef {
  id: string;
}
/** The data-quality report of a subtree and period (reporting owns the entry point). */
export interface DataQualityRef {
  organizationId: string;
  from: Date;
  to: Date;
}
export type MemberPage = Page<MemberDoc>;
export type VolunteerPage = Page<VolunteerDoc>;
export type ServiceTeamPage = Page<ServiceTeamDoc>;
export type ServiceRecordPage = Page<ServiceRecordDoc>;
export type StarRatingPage = Page<StarRatingDoc>;
export type MemberStarPage = Page<MemberStarDoc>;
/** One county branch and how many service teams it manages. */
export interface CountyTeamCountRow {
  organizationId: string;
  name: string;
  teamCount: number;
}
export interface CountyTeamCountPage {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: CountyTeamCountRow[];
}
/** An identity in clear, as an explicit (audited) reveal returns it. */
export interface RevealedIdentityRow {
  id: string;
  name: string;
  idNumber: string;
  phone: string | null;
}
