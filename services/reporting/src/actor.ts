import { Types } from 'mongoose';
import type { Viewer } from '@rcsc/service-kit';
import type { ActorDoc } from './models';

/** Who is acting, as the records keep it: the token's user and name, and the branch acted for. */
export function actorOf(viewer: Viewer): ActorDoc {
  return {
    userId: viewer.userId ?? 'anonymous',
    name: viewer.name ?? null,
    organizationId:
      viewer.organizationId && /^[0-9a-f]{24}$/i.test(viewer.organizationId) ? new Types.ObjectId(viewer.organizationId) : null,
  };
}
