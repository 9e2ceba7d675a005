import type { ClientSession } from 'mongoose';
import type { Directory } from '@rcsc/directory';
import type { PersonalDataVault } from '@rcsc/personal-data';
import { recordAudit, type AuditInput, type BaseRequestContext } from '@rcsc/service-kit';
import { createLoaders, type Loaders } from './loaders';
import type { Models } from './models';

export interface Context extends BaseRequestContext {
  models: Models;
  loaders: Loaders;
  /** The branch tree, from the organizations subgraph (never its database). */
  directory: Directory;
  vault: PersonalDataVault;
  /** Records a change in the audit log, inside the change's own transaction. */
  audit(entry: AuditInput, session: ClientSession): Promise<void>;
}

export function createContext(models: Models, directory: Directory, vault: PersonalDataVault) {
  return (base: BaseRequestContext): Context => ({
    ...base,
    models,
    directory,
    vault,
    loaders: createLoaders(models),
    audit: (entry, session) =>
      recordAudit(models.Audit, { viewer: base.viewer, requestId: base.requestId, service: 'grassroots' }, entry, session),
  });
}
