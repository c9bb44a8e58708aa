import { AppError } from '../../lib/errors.ts';
import type { CoreContext } from '../context.ts';
import { isWorker } from './is-worker.ts';

/** Throws NOT_A_WORKER unless the person is a worker (or admin) for the community. */
export async function requireWorker(ctx: CoreContext, personId: number, communityId: number): Promise<void> {
  if (!(await isWorker(ctx, personId, communityId))) throw new AppError('NOT_A_WORKER');
}
