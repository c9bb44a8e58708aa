import { it } from 'vitest';
import { createHarness } from '../helpers/harness.ts';
import { createCommunity } from '../../src/core/communities/create-community.ts';
import { bindGroup } from '../../src/core/groups/bind-group.ts';

it('probe', async () => {
  const h = await createHarness();
  try {
    await createCommunity(h.app.ctx, { code: 'HT01', name: '回天一社区' });
    await bindGroup(h.app.ctx, { community: 'HT01', platform: 'telegram', chat: 'g1' });
    let n = 0;
    const ev = (text: string, extra: Record<string, unknown> = {}) => ({ platform: 'telegram', messageId: `m${++n}`, chat: { platform: 'telegram', chatId: 'g1', kind: 'group' }, sender: { userId: 'u1', displayName: '张' }, text, mentionsBot: true, ...extra }) as any;
    const show = async (label: string, e: any) => {
      const t0 = Date.now();
      let out: any;
      try { out = await h.app.handleInbound(e); } catch (err) { out = { threw: String(err) }; }
      const evs = out.events?.map((x: any) => ({ to: x.to, len: x.message.text.length, text: x.message.text.slice(0, 120) }));
      console.log(label, Date.now() - t0, 'ms', JSON.stringify(out.handled === undefined ? out : { handled: out.handled, reason: out.reason, evs }));
    };
    await show('nul name', ev('帮助', { sender: { userId: 'u9', displayName: 'a\u0000b' } }));
    await show('nul msgid', ev('帮助', { messageId: 'x\u0000' }));
    await show('lone sur msgid', ev('帮助', { messageId: 'y\uD800' }));
    await show('lone sur msgid2', ev('帮助', { messageId: 'y\uD801' }));
    await show('fdfa claim', ev('认领3,' + '\uFDFA'.repeat(1990)));
    await show('claim long', ev('认领3,' + 'x'.repeat(1990)));
    await show('bind long', ev('绑定 HT01 ' + '楼'.repeat(60)));
    await show('bind long nomention', ev('绑定 HT01 ' + '楼'.repeat(60), { mentionsBot: false }));
    await show('mismatch', ev('帮助', { chat: { platform: 'web', chatId: 'g1', kind: 'group' } }));
    await show('need@other', ev('/needs@otherbot', { mentionsBot: false }));
    await show('plus1 big', ev('+1 99999999999999999999', { mentionsBot: false }));
    await show('plus1 big dm', ev('+1 99999999999999999999', { chat: { platform: 'telegram', chatId: 'u1', kind: 'direct' } }));
    await show('need600', ev('需求 ' + '灯'.repeat(600)));
    await show('phone dot', ev('需求 请联系138.1234.5678 楼道灯坏了'));
    await show('phone sp-dash', ev('需求 电梯坏了 138 - 1234 - 5678'));
    const needs = await h.app.ctx.prisma.need.findMany();
    console.log(needs.map((x) => [x.text.length, x.text.slice(0, 40), x.contactPhone]));
    console.log(await h.app.ctx.prisma.inboundMessage.findMany({ select: { externalId: true } }));
  } finally {
    await h.close();
  }
}, 60000);
