import { expect } from 'vitest';
import { createCommunity } from '../../src/core/communities/create-community.ts';
import { bindGroup } from '../../src/core/groups/bind-group.ts';
import { grantRole } from '../../src/core/roles/grant-role.ts';
import type { CoreContext } from '../../src/core/context.ts';
import type { Step, TranscriptDriver } from './transcript.ts';

/**
 * Plays a transcript through a driver and checks, after every message, that the bot's replies
 * are exactly the expected ones. A mismatch fails with the transcript's line number.
 */
export async function runTranscript(ctx: CoreContext, driver: TranscriptDriver, steps: Step[]): Promise<void> {
  for (const step of steps) {
    switch (step.kind) {
      case 'community':
        await createCommunity(ctx, { code: step.code, name: step.name });
        break;
      case 'group':
        if (step.community) {
          await bindGroup(ctx, { community: step.community, platform: driver.platform, chat: driver.groupChatId(step.alias), building: step.building, title: step.alias });
        }
        break;
      case 'worker':
        await grantRole(ctx, { community: step.community, role: 'worker', platform: driver.platform, user: driver.userId(step.person), name: step.person });
        break;
      case 'say': {
        await driver.say(step);
        const actual = await driver.collect();
        const expected = [...step.expected].sort((a, b) => conv(a).localeCompare(conv(b)));
        expect(actual, `transcript line ${step.line}: ${step.person} @${step.conv}: ${step.text}`).toEqual(expected);
        break;
      }
    }
  }
}

function conv(line: string): string {
  return /^bot @(.+?): /.exec(line)?.[1] ?? '';
}
