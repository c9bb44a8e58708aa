import type { CoreContext } from '../core/context.ts';
import { createProject, type CreateProjectInput } from '../core/projects/create-project.ts';
import type { OutboundItem } from '../../jobs/outbound.ts';
import { privateMessages } from './notify.ts';

/**
 * Makes a project and the private notices for the residents who supported its needs
 * ("你支持的需求 #12 已立项"). The caller queues the notices (outbox.send) after this returns.
 */
export async function makeProject(ctx: CoreContext, input: CreateProjectInput): Promise<{ project: Awaited<ReturnType<typeof createProject>>['project']; notices: OutboundItem[] }> {
  const { project, supporters } = await createProject(ctx, input);
  const notices = await privateMessages(
    ctx,
    supporters.map((s) => ({
      personId: s.personId,
      key: `projectmade:${project.id}:${s.personId}`,
      message: 'projectMade' as const,
      params: { need: s.needNumber, number: project.number, title: project.title },
      informational: true,
    })),
  );
  return { project, notices };
}
