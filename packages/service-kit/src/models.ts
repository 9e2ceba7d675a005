import type { Connection, Model, Schema } from 'mongoose';
import { auditModel } from './audit';

/**
 * The connection's model `name`, registered over `collection` the first time it is asked for:
 * a service builds its models on each call of createModels, and mongoose refuses a second
 * registration of a name.
 */
export function modelOn<T>(connection: Connection, name: string, schema: Schema, collection: string): Model<T> {
  return (connection.models[name] ?? connection.model(name, schema, collection)) as Model<T>;
}

/** A model factory of a service (e.g. memberModel). */
type ModelFactory = (connection: Connection) => unknown;

/** A service's models on a connection: each of `factories`' models, and the audit log every service writes. */
export function serviceModels<F extends Record<string, ModelFactory>>(connection: Connection, factories: F) {
  const models = Object.fromEntries(Object.entries(factories).map(([name, factory]) => [name, factory(connection)]));
  return {
    ...(models as { [K in keyof F]: ReturnType<F[K]> }),
    /** The audit log (collection `audit`): every change and reveal, written in the change's own transaction. */
    Audit: auditModel(connection),
  };
}
