import type { ClientSession } from 'mongoose';
import type { Directory } from '@rcsc/directory';
import type { PersonalDataVault } from '@rcsc/personal-data';
import { recordAudit, type AuditInput, type BaseRequestContext } from '@rcsc/service-kit';
import { createLoaders, type Loaders } from './loaders';
import type { Models } from './models';
import { scopeOf, type Scope } from './resolvers/access';

export interface Context extends BaseRequestContext {
  models: Models;
  loaders: Loaders;
  /** The branch tree, read from the organizations subgraph (never from its database). */
  directory: Directory;
  /** Protects instructors' contact details. */
  vault: PersonalDataVault;
  /** What the viewer may read (its subtree and its ancestors), worked out once per request. */
  scope(): Promise<Scope>;
  /** Records a change or a reveal in the audit log, inside the change's own transaction. */
  audit(entry: AuditInput, session: ClientSession): Promise<void>;
}

export function createContext(models: Models, directory: Directory, vault: PersonalDataVault) {
  return (base: BaseRequestContext): Context => {
    let scope: Promise<Scope> | undefined;
    const scopeFn = () => (scope ??= scopeOf(base.viewer, directory));
    return {
      ...base,
      models,
      directory,
      vault,
      scope: scopeFn,
      loaders: createLoaders(models, scopeFn),
      audit: (entry, session) =>
        recordAudit(models.Audit, { viewer: base.viewer, requestId: base.requestId, service: 'training' }, entry, session),
    };
  };
}
