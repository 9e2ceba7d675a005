import { counterCollections } from '@rcsc/counters';
import type { Connection } from 'mongoose';
import { serviceModels, type Page } from '@rcsc/service-kit';
import { boaiHomeModel, type BoaiHomeDoc } from './boai-home';
import { grassrootsUnitModel, type GrassrootsUnitDoc } from './grassroots-unit';
import { groupModel } from './group';
import { medicalInstitutionModel, type MedicalInstitutionDoc } from './medical-institution';

export * from './common';
export * from './grassroots-unit';
export * from './medical-institution';
export * from './boai-home';
export * from './group';

export function createModels(connection: Connection) {
  return {
    ...serviceModels(connection, {
      GrassrootsUnit: grassrootsUnitModel,
      MedicalInstitution: medicalInstitutionModel,
      BoaiHome: boaiHomeModel,
      /** Groups of units or homes, in group sets (memberships are dated on the records). */
      Group: groupModel,
    }),
    /** Dated counters of annex row 8 per branch subtree (src/counters.ts), and their built marker. */
    ...counterCollections(connection),
  };
}
export type Models = ReturnType<typeof createModels>;

export type GrassrootsUnitPage = Page<GrassrootsUnitDoc>;
export type BoaiHomePage = Page<BoaiHomeDoc>;
export type MedicalInstitutionPage = Page<MedicalInstitutionDoc>;

/** A page of map features as the resolver builds it (totalCount counted only when asked). */
export interface MapPage {
  type: 'FeatureCollection';
  features: unknown[];
  totalCount: () => Promise<number>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** A group's member count as the resolver builds it. */
export interface GroupCountRow {
  group: import('./group').GroupDoc;
  count: number;
}
