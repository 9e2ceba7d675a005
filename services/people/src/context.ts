import { Types, type ClientSession } from 'mongoose';
import { auditable, recordAudit, type AuditInput, type BaseRequestContext, type Viewer } from '@rcsc/service-kit';
import type { Directory } from '@rcsc/directory';
import type { PersonalDataVault } from '@rcsc/personal-data';
import type { PeopleConfig } from './config';
import { createLoaders, type Loaders } from './loaders';
import type { Models } from './models';

export const AUDIT_SERVICE = 'people';

/** What every request shares: the models, the branch directory, the personal-data vault, the rules' configuration. */
export interface Services {
  models: Models;
  directory: Directory;
  vault: PersonalDataVault;
  config: PeopleConfig;
}

export interface Context extends BaseRequestContext, Services {
  loaders: Loaders;
  /** Records a change (or a reveal) in the audit log, inside the change's own transaction. */
  audit(entry: AuditInput, session: ClientSession): Promise<void>;
  /** Records many changes at once (a batch of an import), inside their transaction. */
  auditMany(entries: AuditInput[], session: ClientSession): Promise<void>;
}

/**
 * Entries exactly as service-kit's recordAudit writes them, for one insertMany: an import of
 * thousands of members writes one entry per member without one round trip each.
 */
function auditDocs(viewer: Viewer, requestId: string, entries: AuditInput[]) {
  const at = new Date();
  const actor = { userId: viewer.userId, name: viewer.name ?? null, organizationId: viewer.organizationId, roles: viewer.roles };
  return entries.map((e) => ({
    at,
    service: AUDIT_SERVICE,
    requestId,
    actor,
    action: e.action,
    entity: e.entity,
    entityId: String(e.entityId),
    orgPath: e.orgPath.map((id) => new Types.ObjectId(String(id))),
    before: auditable(e.before),
    after: auditable(e.after),
  }));
}

export function createContext(services: Services) {
  return (base: BaseRequestContext): Context => ({
    ...base,
    ...services,
    loaders: createLoaders(services.models),
    audit: (entry, session) =>
      recordAudit(services.models.Audit, { viewer: base.viewer, requestId: base.requestId, service: AUDIT_SERVICE }, entry, session),
    auditMany: async (entries, session) => {
      // The driver's insertMany: the entries are built complete above (mongoose's casting would
      // cost more than the insert itself for a batch of an import).
      if (entries.length) await services.models.Audit.collection.insertMany(auditDocs(base.viewer, base.requestId, entries), { session });
    },
  });
}
