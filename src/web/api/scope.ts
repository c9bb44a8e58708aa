import type { FastifyRequest } from 'fastify';
import type { CoreContext } from '../../core/context.ts';
import type { EffectExecutor } from '../../../jobs/effects.ts';
import type { ViewCommunity } from './views.ts';

/** What the worker API needs from the process: the core context and the effect executor. */
export interface ApiDeps {
  ctx: CoreContext;
  /** Carries out what the use cases decided (messages, notices, broadcasts, reminders). */
  effects: EffectExecutor;
}

/** The community a request under /communities/:code is about, and the worker acting in it. */
export interface ApiScope {
  community: ViewCommunity & { locale: string };
  actorId: number;
}

const scopes = new WeakMap<FastifyRequest, ApiScope>();

/** Set by the community hook (routes.ts) once the actor is known to be a worker there. */
export function setScope(req: FastifyRequest, scope: ApiScope): void {
  scopes.set(req, scope);
}

/** The scope the community hook set for this request (only under /communities/:code). */
export function scopeOf(req: FastifyRequest): ApiScope {
  const s = scopes.get(req);
  if (!s) throw new Error('scopeOf: not a /communities/:code route');
  return s;
}
