import { Schema, Types, type ClientSession, type Connection, type Model } from 'mongoose';
import { paginate, type Page, type PageArgs } from './pagination';
import { requireInSubtree, requireRole } from './auth';
import type { Viewer } from './viewer';

/**
 * One audited change or reveal: who, when, what, and the values before and after. Written in
 * the same transaction as the change itself, in the owning service's own database, so no
 * change exists without its record.
 */
export interface AuditEntryDoc {
  _id: Types.ObjectId;
  at: Date;
  service: string;
  requestId: string;
  actor: { userId: string | null; name: string | null; organizationId: string | null; roles: string[] };
  /** The mutation (or REVEAL:<field>). */
  action: string;
  entity: string;
  entityId: string;
  /** The branch path of the changed record: admins read the log of their subtree. */
  orgPath: Types.ObjectId[];
  before: unknown;
  after: unknown;
}

/** A page of the audit log: what every subgraph's AuditConnection (shared.graphql) resolves from. */
export type AuditPage = Page<AuditEntryDoc>;

const auditSchema = new Schema<AuditEntryDoc>(
  {
    at: { type: Date, required: true },
    service: { type: String, required: true },
    requestId: { type: String, required: true },
    actor: { userId: String, name: String, organizationId: String, roles: [String] },
    action: { type: String, required: true },
    entity: { type: String, required: true },
    entityId: { type: String, required: true },
    orgPath: { type: [Schema.Types.ObjectId], default: [] },
    before: { type: Schema.Types.Mixed, default: null },
    after: { type: Schema.Types.Mixed, default: null },
  },
  { versionKey: false },
);
auditSchema.index({ orgPath: 1, at: -1 });
auditSchema.index({ entity: 1, entityId: 1, at: -1 });

export function auditModel(connection: Connection): Model<AuditEntryDoc> {
  return (connection.models.AuditEntry as Model<AuditEntryDoc>) ?? connection.model<AuditEntryDoc>('AuditEntry', auditSchema, 'audit');
}

/** Plain JSON for the log: ids and dates as strings, nothing mongoose-specific. */
export function auditable(value: unknown): unknown {
  if (value === undefined) return null;
  return JSON.parse(JSON.stringify(value));
}

export interface AuditInput {
  action: string;
  entity: string;
  entityId: unknown;
  orgPath: readonly unknown[];
  before?: unknown;
  after?: unknown;
}

/**
 * Many entries of one request in one insert (a bulk import's changes): each exactly as
 * recordAudit writes it.
 */
export async function recordAudits(
  model: Model<AuditEntryDoc>,
  who: { viewer: Viewer; requestId: string; service: string },
  entries: readonly AuditInput[],
  session?: ClientSession | null,
): Promise<void> {
  for (let i = 0; i < entries.length; i += 1000) {
    const batch = entries.slice(i, i + 1000);
    // Each entry is recordAudit's document; one insert per 1,000 entries.
    await model.collection.insertMany(
      batch.map((entry) => auditDocument(who, entry)),
      { session: session ?? undefined },
    );
  }
}

/**
 * The stored entry, complete and in the schema's types: written with the driver's insert, without
 * a mongoose document per entry (one per write is a noticeable share of a write's CPU).
 */
function auditDocument(who: { viewer: Viewer; requestId: string; service: string }, entry: AuditInput): AuditEntryDoc {
  const { viewer } = who;
  return {
    _id: new Types.ObjectId(),
    at: new Date(),
    service: who.service,
    requestId: who.requestId,
    actor: { userId: viewer.userId, name: viewer.name ?? null, organizationId: viewer.organizationId, roles: [...viewer.roles] },
    action: entry.action,
    entity: entry.entity,
    entityId: String(entry.entityId),
    orgPath: entry.orgPath.map((id) => new Types.ObjectId(String(id))),
    before: auditable(entry.before),
    after: auditable(entry.after),
  };
}

export async function recordAudit(
  model: Model<AuditEntryDoc>,
  who: { viewer: Viewer; requestId: string; service: string },
  entry: AuditInput,
  session?: ClientSession | null,
): Promise<void> {
  await model.collection.insertOne(auditDocument(who, entry), { session: session ?? undefined });
}

/** The log of a branch's subtree, newest first; ADMINs of a subtree containing the branch only. */
export function auditLog(model: Model<AuditEntryDoc>, viewer: Viewer, branchPath: readonly unknown[], args: PageArgs) {
  requireRole(viewer, ['ADMIN', 'SERVICE'], 'read the audit log');
  requireInSubtree(viewer, branchPath, 'This audit log');
  const branchId = new Types.ObjectId(String(branchPath[branchPath.length - 1]));
  return paginate(model, { orgPath: branchId }, args, 'at', -1);
}

/** GraphQL resolvers for the shared AuditEntry type. */
export const AuditEntryResolvers = {
  id: (e: AuditEntryDoc) => String(e._id),
  actorId: (e: AuditEntryDoc) => e.actor.userId ?? 'anonymous',
  actorName: (e: AuditEntryDoc) => e.actor.name,
  actorOrganizationId: (e: AuditEntryDoc) => e.actor.organizationId,
  actorRoles: (e: AuditEntryDoc) => e.actor.roles,
  before: (e: AuditEntryDoc) => (e.before == null ? null : JSON.stringify(e.before)),
  after: (e: AuditEntryDoc) => (e.after == null ? null : JSON.stringify(e.after)),
};
