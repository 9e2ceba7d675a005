import type { MutationResolvers } from '../../generated/graphql';
import { equipmentMutations } from './equipment';
import { importHomes, importUnits } from '../../bulk';
import { groupMutations } from './groups';
import { homeMutations } from './homes';
import { institutionMutations } from './institutions';
import { unitMutations } from './units';

// Every mutation goes through the one pipeline (./pipeline.ts); the rules they apply to the
// records they read are pure functions in src/rules.ts.
export const Mutation: MutationResolvers = {
  ...unitMutations,
  ...equipmentMutations,
  ...institutionMutations,
  ...homeMutations,
  ...groupMutations,
  // Bulk import (src/bulk.ts): one pipeline transaction per file.
  importGrassrootsUnits: (_, { input }, ctx) => importUnits(ctx, input),
  importBoaiHomes: (_, { input }, ctx) => importHomes(ctx, input),
};
