import { counterCollections } from '@rcsc/counters';
import type { Connection } from 'mongoose';
import { serviceModels } from '@rcsc/service-kit';
import { organizationModel } from './organization';
import { termModel } from './term';
import { reorganizationModel } from './reorganization';
import { branchGroupModel } from './branch-group';

export * from './organization';
export * from './term';
export * from './reorganization';
export * from './branch-group';

export function createModels(connection: Connection) {
  return {
    ...serviceModels(connection, {
      Organization: organizationModel,
      Term: termModel,
      /** The outbox of reorganizations other subgraphs follow. */
      Reorganization: reorganizationModel,
      /** Groups of branches (示范县 …); memberships are dated on the branches. */
      BranchGroup: branchGroupModel,
    }),
    /** Dated counters of annex rows 1-7 per branch subtree (src/counters.ts), and their built marker. */
    ...counterCollections(connection),
  };
}
export type Models = ReturnType<typeof createModels>;

import type { Page } from '@rcsc/service-kit';
import type { OrganizationDoc } from './organization';
import type { TermDoc } from './term';
export type OrganizationPage = Page<OrganizationDoc>;
/** A term as resolved: `readAt` is the date it was read at (for `overdue`), default today. */
export type TermView = TermDoc & { readAt?: Date };
export type TermPage = Page<TermView>;
import type { BranchGroupDoc } from './branch-group';
/** A group and the number of branches of a subtree in it on a date. */
export interface BranchGroupCountView {
  group: BranchGroupDoc;
  branches: number;
}
