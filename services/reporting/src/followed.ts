import type { FollowedCollection } from '@rcsc/reorganizations';
import type { Models } from './models';

/** What follows the tree's reorganizations (ADR 0008): submissions, targets and task statuses move with their branch. */
export const followed = (models: Models): { collections: FollowedCollection[] } => ({
  collections: [
    { model: models.Submission, parentField: 'parentId' },
    { model: models.Target },
    { model: models.TaskStatus, parentField: 'parentId' },
  ],
});
