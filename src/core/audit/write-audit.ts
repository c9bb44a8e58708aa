import type { Db } from '../../db/prisma.ts';
import type { Prisma } from '../../db/prisma.ts';

type InputJsonValue = Prisma.InputJsonValue;

export interface AuditEntry {
  communityId?: number | null;
  actorId?: number | null;
  /** "chat", "cli", "api", "console", or "job" (a background job: a 微创投 phase reached by its date). */
  via: 'chat' | 'cli' | 'api' | 'console' | 'job';
  action: string;
  entity: string;
  entityId?: string | number | null;
  before?: InputJsonValue;
  after?: InputJsonValue;
}

/** Appends one AuditLog row; call it inside the transaction that makes the change. */
export async function writeAudit(db: Db, e: AuditEntry): Promise<void> {
  await db.auditLog.create({
    data: {
      communityId: e.communityId ?? null,
      actorId: e.actorId ?? null,
      via: e.via,
      action: e.action,
      entity: e.entity,
      entityId: e.entityId == null ? null : String(e.entityId),
      before: e.before,
      after: e.after,
    },
  });
}
