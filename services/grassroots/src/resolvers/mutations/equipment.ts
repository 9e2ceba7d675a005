import type { MutationResolvers } from '../../generated/graphql';
import type { GrassrootsUnitDoc } from '../../models';
import {
  correctEquipment,
  correctEquipmentInput,
  installEquipment,
  installEquipmentInput,
  removeEquipment,
  removeEquipmentInput,
} from '../../rules';
import type { Change } from '@rcsc/service-kit';
import type { Context } from '../../context';
import { pipeline, saveVersioned, writes } from './pipeline';

const UNIT = 'GrassrootsUnit';

/** Saves a school unit's equipment records (its counters move with them), audited as that field. */
async function saveEquipment(
  change: Change<Context>,
  id: string,
  next: (unit: GrassrootsUnitDoc) => GrassrootsUnitDoc['equipment'],
  reason?: string | null,
) {
  const { GrassrootsUnit } = change.ctx.models;
  const before = await change.own(GrassrootsUnit, UNIT, id);
  const equipment = next(before);
  return saveVersioned(
    change,
    GrassrootsUnit,
    UNIT,
    before,
    { equipment },
    {
      before: { equipment: before.equipment ?? [] },
      after: { equipment, ...(reason ? { reason } : {}) },
    },
  );
}

export const equipmentMutations: Pick<MutationResolvers, 'installSchoolEquipment' | 'removeSchoolEquipment' | 'correctSchoolEquipment'> = {
  installSchoolEquipment: (_, { id, input }, ctx) =>
    pipeline.mutate(ctx, writes('installSchoolEquipment', 'record school equipment', installEquipmentInput, input), (change, data) =>
      saveEquipment(change, id, (unit) => installEquipment(unit, data)),
    ),

  removeSchoolEquipment: (_, { id, input }, ctx) =>
    pipeline.mutate(ctx, writes('removeSchoolEquipment', 'record school equipment', removeEquipmentInput, input), (change, data) =>
      saveEquipment(change, id, (unit) => removeEquipment(unit, data), data.reason),
    ),

  // The past corrected on purpose: the reason is kept on the record and in the audit entry.
  correctSchoolEquipment: (_, { id, input }, ctx) =>
    pipeline.mutate(ctx, writes('correctSchoolEquipment', 'correct school equipment', correctEquipmentInput, input), (change, data) =>
      saveEquipment(change, id, (unit) => correctEquipment(unit, data), data.reason),
    ),
};
