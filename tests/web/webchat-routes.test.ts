// Regression for "the web chat's POST has no limit": anyone with the page can speak as any
// persona, so the router's per-person limit never held a script back; every post wrote a line and
// was routed. Posting is now limited per IP address, before anything is read or written.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createCommunity } from '../../src/core/communities/create-community.ts';
import { bindGroup } from '../../src/core/groups/bind-group.ts';
import { createHarness, type Harness } from '../helpers/harness.ts';

const GROUP = 'g-post-limit';

describe('POST /api/webchat/messages is limited per IP address', () => {
  let h: Harness;
  let n = 0;
  beforeAll(async () => {
    h = await createHarness({ roles: ['web', 'workers', 'bots'], webChatPostsPerMinute: 5 });
    await createCommunity(h.app.ctx, { code: 'HT01', name: '回天一社区' });
    await bindGroup(h.app.ctx, { community: 'HT01', platform: 'web', chat: GROUP, title: '1号楼群' });
    for (const [id, name] of [['zhang', '张阿姨'], ['li', '李大爷']]) await h.persona(id, name);
  });
  afterAll(async () => h?.close());

  const post = (ip: string, persona: string) => {
    const clientId = `post-limit-${++n}`;
    return h.app.web!.inject({
      method: 'POST',
      url: '/api/webchat/messages',
      remoteAddress: ip,
      payload: { conversation: GROUP, persona, text: '需求清单', clientId },
    }).then((res) => ({ clientId, status: res.statusCode, body: res.json() as { error?: string }, retryAfter: res.headers['retry-after'] }));
  };

  test('the sixth post in a minute from one address is refused with 429 and changes nothing', async () => {
    const accepted = [];
    // Switching personas does not help: the limit is the address's.
    for (let i = 0; i < 5; i++) accepted.push(await post('10.0.0.7', i % 2 ? 'li' : 'zhang'));
    expect(accepted.map((r) => r.status)).toEqual([202, 202, 202, 202, 202]);

    const refused = await post('10.0.0.7', 'li');
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({ error: '发送太频繁了，请稍等一会儿再发' });
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(refused.retryAfter)).toBeLessThanOrEqual(60);
    expect(await h.app.ctx.prisma.webChatMessage.count({ where: { clientId: refused.clientId } })).toBe(0);
    expect(await h.app.ctx.prisma.inboundMessage.count({ where: { externalId: refused.clientId } })).toBe(0);

    // Another address is not held back, and what was accepted was answered.
    expect((await post('10.0.0.8', 'zhang')).status).toBe(202);
    await h.drain();
    const replies = await h.app.ctx.prisma.webChatMessage.count({ where: { conversation: GROUP, senderId: null } });
    expect(replies).toBe(6);
  });
});
