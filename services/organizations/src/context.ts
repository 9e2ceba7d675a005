import { recordAudit, type AuditInput, type BaseRequestContext } from '@rcsc/service-kit';
import type { ClientSession } from 'mongoose';
import { createLoaders, type Loaders } from './loaders';
import type { Models } from './models';

export interface Context extends BaseRequestContext {
  models: Models;
  loaders: Loaders;
  /** Records a change in the audit log, inside the change's own transaction. */
  audit(entry: AuditInput, session: ClientSession): Promise<void>;
}

export function createContext(models: Models) {
  return (base: BaseRequestContext): Context => ({
    ...base,
    models,
    loaders: createLoaders(models),
    audit: (entry, session) =>
      recordAudit(models.Audit, { viewer: base.viewer, requestId: base.requestId, service: 'organizations' }, entry, session),
  });
}
