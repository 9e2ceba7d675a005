import type { FollowedCollection } from '@rcsc/reorganizations';
import type { Models } from './models';

/** What follows the tree's reorganizations (ADR 0008): every collection kept under branches (none is counted). */
export const followed = (models: Models): { collections: FollowedCollection[] } => ({
  collections: [
    { model: models.Instructor },
    { model: models.TrainingClass },
    { model: models.Session },
    { model: models.Enrollment },
    { model: models.Staff },
  ],
});
