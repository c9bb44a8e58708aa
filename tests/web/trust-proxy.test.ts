// Behind a reverse proxy every request comes from the proxy's address: without LINLI_TRUST_PROXY the
// web chat's per-address limit (and the console's login lockout by address) would hold all residents
// as one. With it, the client's address is read from X-Forwarded-For, and only from the proxies named.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createCommunity } from '../../src/core/communities/create-community.ts';
import { bindGroup } from '../../src/core/groups/bind-group.ts';
import { createHarness, type Harness } from '../helpers/harness.ts';

const GROUP = 'g-proxy';

describe('LINLI_TRUST_PROXY=127.0.0.1 (a reverse proxy on the same host)', () => {
  let h: Harness;
  let n = 0;
  beforeAll(async () => {
    h = await createHarness({ roles: ['web', 'workers', 'bots'], webChatPostsPerMinute: 1, env: { LINLI_TRUST_PROXY: '127.0.0.1' } });
    await createCommunity(h.app.ctx, { code: 'HT01', name: '回天一社区' });
    await bindGroup(h.app.ctx, { community: 'HT01', platform: 'web', chat: GROUP, title: '1号楼群' });
    await h.persona('zhang', '张阿姨');
  });
  afterAll(async () => h?.close());

  const post = (from: string, forwardedFor: string) =>
    h.app.web!.inject({
      method: 'POST',
      url: '/api/webchat/messages',
      remoteAddress: from,
      headers: { 'x-forwarded-for': forwardedFor },
      payload: { conversation: GROUP, persona: 'zhang', text: '需求清单', clientId: `proxy-post-${++n}` },
    }).then((res) => res.statusCode);

  test('through the proxy, two residents are two addresses; the same resident again is held back', async () => {
    expect(await post('127.0.0.1', '203.0.113.5')).toBe(202);
    expect(await post('127.0.0.1', '203.0.113.6')).toBe(202);
    expect(await post('127.0.0.1', '203.0.113.5')).toBe(429);
  });

  test('a client that is not the proxy cannot pick its address with the header', async () => {
    expect(await post('198.51.100.9', '203.0.113.7')).toBe(202);
    expect(await post('198.51.100.9', '203.0.113.8')).toBe(429);
    await h.drain();
  });
});
