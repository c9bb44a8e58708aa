import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeText } from '../../../src/flows/parse/normalize.ts';
import { parseCommand, type Command, type CommandKind } from '../../../src/flows/parse/parse-command.ts';

type Row = readonly [input: string, expected: Command | null];

function table(rows: readonly Row[]): void {
  it.each(rows)('%j → %j', (input, expected) => {
    expect(parseCommand(input)).toEqual(expected);
  });
}

const usage = (command: CommandKind, exact: boolean): Command => ({ kind: 'usage', command, exact });

describe('parseCommand', () => {
  describe('需求 / /need', () => {
    table([
      ['需求 楼道灯坏了', { kind: 'need', text: '楼道灯坏了' }],
      ['需求:楼道灯坏了', { kind: 'need', text: '楼道灯坏了' }],
      ['需求: 楼道灯坏了', { kind: 'need', text: '楼道灯坏了' }],
      ['需求：楼道灯坏了', { kind: 'need', text: '楼道灯坏了' }],
      ['需求,楼道灯坏了', { kind: 'need', text: '楼道灯坏了' }],
      ['需求，楼道灯坏了', { kind: 'need', text: '楼道灯坏了' }],
      ['需求 3楼 电梯 坏了 好几天了?', { kind: 'need', text: '3楼 电梯 坏了 好几天了?' }],
      ['提需求 小区缺少健身器材', { kind: 'need', text: '小区缺少健身器材' }],
      ['报需求 路灯不亮', { kind: 'need', text: '路灯不亮' }],
      ['/need 楼道灯不亮', { kind: 'need', text: '楼道灯不亮' }],
      ['/NEED 楼道灯不亮', { kind: 'need', text: '楼道灯不亮' }],
      ['/need@linli_bot 楼道灯不亮', { kind: 'need', text: '楼道灯不亮' }],
      ['/need@Linli_Bot broken light', { kind: 'need', text: 'broken light' }],
      ['/需求 楼道灯不亮', { kind: 'need', text: '楼道灯不亮' }],
      ['需求', usage('need', true)],
      ['需求:', usage('need', true)],
      ['需求?', usage('need', true)],
      ['/need', usage('need', true)],
      ['/need@linli_bot', usage('need', true)],
    ]);

    it('keeps the text as typed, however long (cutting at 500 is not the parser’s job)', () => {
      const long = '楼'.repeat(800);
      expect(parseCommand(`需求 ${long}`)).toEqual({ kind: 'need', text: long });
    });
  });

  describe('+1 / 同求 / /upvote', () => {
    table([
      ['+1 12', { kind: 'upvote', number: 12 }],
      ['+1 #12', { kind: 'upvote', number: 12 }],
      ['+1#12', { kind: 'upvote', number: 12 }],
      ['+1 12号', { kind: 'upvote', number: 12 }],
      ['+1 第12个', { kind: 'upvote', number: 12 }],
      ['+1 No.12', { kind: 'upvote', number: 12 }],
      ['+1 十二', { kind: 'upvote', number: 12 }],
      ['+1 12?', { kind: 'upvote', number: 12 }],
      ['同求 12', { kind: 'upvote', number: 12 }],
      ['同求12', { kind: 'upvote', number: 12 }],
      ['同求#12', { kind: 'upvote', number: 12 }],
      ['同求 第十二个', { kind: 'upvote', number: 12 }],
      ['同求十二', { kind: 'upvote', number: 12 }],
      ['/upvote 12', { kind: 'upvote', number: 12 }],
      ['/upvote12', { kind: 'upvote', number: 12 }],
      ['/upvote@linli_bot 12', { kind: 'upvote', number: 12 }],
      ['+1', usage('upvote', true)],
      ['同求', usage('upvote', true)],
      ['/upvote', usage('upvote', true)],
      ['+1 abc', usage('upvote', false)],
      ['+1 0', usage('upvote', false)],
      ['+1 12 13', usage('upvote', false)],
      ['+112', usage('upvote', false)], // ambiguous: +1 12 or +11 2
      ['+100', usage('upvote', false)],
      ['同求 abc', usage('upvote', false)],
      ['/upvote abc', usage('upvote', false)],
      ['+1的人好多', null],
      ['+2 12', null],
    ]);
  });

  describe('bare words: 需求清单, 项目, 我的, 帮助, 退订, 订阅', () => {
    table([
      ['需求清单', { kind: 'needs' }],
      ['需求列表', { kind: 'needs' }],
      ['需求清单?', { kind: 'needs' }],
      ['需求清单？', { kind: 'needs' }],
      ['需求 清单', { kind: 'needs' }], // not a need whose text is "清单"
      ['需求 列表', { kind: 'needs' }],
      ['/needs', { kind: 'needs' }],
      ['/needs@linli_bot', { kind: 'needs' }],
      ['项目', { kind: 'projects' }],
      ['项目?', { kind: 'projects' }],
      ['项目清单', { kind: 'projects' }],
      ['项目列表', { kind: 'projects' }],
      ['项目 清单', { kind: 'projects' }],
      ['/projects', { kind: 'projects' }],
      ['/project', { kind: 'projects' }],
      ['我的', { kind: 'me' }],
      ['我的报名', { kind: 'me' }],
      ['/me', { kind: 'me' }],
      ['帮助', { kind: 'help' }],
      ['帮助?', { kind: 'help' }],
      ['帮助？', { kind: 'help' }],
      ['菜单', { kind: 'help' }],
      ['使用说明', { kind: 'help' }],
      ['?', { kind: 'help' }],
      ['？', { kind: 'help' }],
      ['??', { kind: 'help' }],
      ['/help', { kind: 'help' }],
      ['/HELP', { kind: 'help' }],
      ['/start', { kind: 'help' }],
      ['/start community-ABC', { kind: 'help' }], // Telegram deep-link payload
      ['/menu', { kind: 'help' }],
      ['退订', { kind: 'unsubscribe' }],
      ['取消订阅', { kind: 'unsubscribe' }],
      ['/unsubscribe', { kind: 'unsubscribe' }],
      ['订阅', { kind: 'subscribe' }],
      ['/subscribe', { kind: 'subscribe' }],
    ]);
  });

  describe('报名 / /signup', () => {
    table([
      ['报名 3', { kind: 'signup', number: 3 }],
      ['报名3', { kind: 'signup', number: 3 }],
      ['报名 #3', { kind: 'signup', number: 3 }],
      ['报名#3', { kind: 'signup', number: 3 }],
      ['报名 3号', { kind: 'signup', number: 3 }],
      ['报名 第3个', { kind: 'signup', number: 3 }],
      ['报名第3个', { kind: 'signup', number: 3 }],
      ['报名 三', { kind: 'signup', number: 3 }],
      ['报名三号', { kind: 'signup', number: 3 }],
      ['报名 3?', { kind: 'signup', number: 3 }],
      ['报名 3 B', { kind: 'signup', number: 3, shift: 'B' }],
      ['报名 3 b', { kind: 'signup', number: 3, shift: 'B' }],
      ['报名 3B', { kind: 'signup', number: 3, shift: 'B' }],
      ['报名 3 2', { kind: 'signup', number: 3, shift: '2' }],
      ['报名 3 B班', { kind: 'signup', number: 3, shift: 'B' }],
      ['报名 3 第2班', { kind: 'signup', number: 3, shift: '2' }],
      ['报名 3 第二班', { kind: 'signup', number: 3, shift: '2' }],
      ['报名 3号 A', { kind: 'signup', number: 3, shift: 'A' }],
      ['报名 3,A', { kind: 'signup', number: 3, shift: 'A' }],
      ['我要报名 3', { kind: 'signup', number: 3 }],
      ['/signup 3', { kind: 'signup', number: 3 }],
      ['/signup 3 b', { kind: 'signup', number: 3, shift: 'B' }],
      ['/SignUp@linli_bot 3 2', { kind: 'signup', number: 3, shift: '2' }],
      ['报名', usage('signup', true)],
      ['我要报名', usage('signup', true)],
      ['/signup', usage('signup', true)],
      ['报名 abc', usage('signup', false)],
      ['报名 3 AB', usage('signup', false)],
      ['报名 3 B C', usage('signup', false)],
      ['报名 0', usage('signup', false)],
      ['报名 的人多吗', usage('signup', false)],
      ['报名的人多吗', null],
      ['报名表在哪', null],
      ['报名一下', null],
      ['我要报名了', null],
    ]);
  });

  describe('取消报名 / /cancel', () => {
    table([
      ['取消报名 3', { kind: 'cancel', number: 3 }],
      ['取消报名3', { kind: 'cancel', number: 3 }],
      ['取消报名 #3', { kind: 'cancel', number: 3 }],
      ['取消 3', { kind: 'cancel', number: 3 }],
      ['取消3', { kind: 'cancel', number: 3 }],
      ['取消 第三个', { kind: 'cancel', number: 3 }],
      ['/cancel 3', { kind: 'cancel', number: 3 }],
      ['取消报名', usage('cancel', true)],
      ['/cancel', usage('cancel', true)],
      ['取消报名 abc', usage('cancel', false)],
      ['/cancel abc', usage('cancel', false)],
      // 取消 is an everyday word: without a well-formed number it is chatter, never usage.
      ['取消', null],
      ['取消了', null],
      ['取消 明天的活动', null],
      ['取消3个人', null],
      ['取消报名了吗', null],
    ]);
  });

  describe('认领 / /claim', () => {
    table([
      ['认领 5', { kind: 'claim', number: 5 }],
      ['认领5', { kind: 'claim', number: 5 }],
      ['认领 5 阳光志愿队', { kind: 'claim', number: 5, org: '阳光志愿队' }],
      ['认领 5,阳光志愿队', { kind: 'claim', number: 5, org: '阳光志愿队' }],
      ['认领 #5 红星 物业 公司', { kind: 'claim', number: 5, org: '红星 物业 公司' }],
      ['认领 第五个 阳光志愿队', { kind: 'claim', number: 5, org: '阳光志愿队' }],
      ['/claim 5 Sunshine Volunteers', { kind: 'claim', number: 5, org: 'Sunshine Volunteers' }],
      ['认领', usage('claim', true)],
      ['/claim', usage('claim', true)],
      ['认领 阳光志愿队', usage('claim', false)],
      ['认领5阳光志愿队', usage('claim', false)],
      ['认领了吗', null],
    ]);
  });

  describe('签到 / /checkin and 签到码 / /code', () => {
    table([
      ['签到 3 123456', { kind: 'checkin', number: 3, code: '123456' }],
      ['签到3 123456', { kind: 'checkin', number: 3, code: '123456' }],
      ['签到 #3 123456', { kind: 'checkin', number: 3, code: '123456' }],
      ['签到 3号 123456', { kind: 'checkin', number: 3, code: '123456' }],
      ['签到 3 123 456', { kind: 'checkin', number: 3, code: '123456' }],
      ['签到 3 码123456', { kind: 'checkin', number: 3, code: '123456' }],
      ['签到 3,123456', { kind: 'checkin', number: 3, code: '123456' }],
      ['签到 3 012345', { kind: 'checkin', number: 3, code: '012345' }],
      ['/checkin 3 123456', { kind: 'checkin', number: 3, code: '123456' }],
      ['/checkin@linli_bot 3 123456', { kind: 'checkin', number: 3, code: '123456' }],
      ['签到', usage('checkin', true)],
      ['/checkin', usage('checkin', true)],
      ['签到 3', usage('checkin', false)],
      ['签到 3 12345', usage('checkin', false)],
      ['签到 3 1234567', usage('checkin', false)],
      ['签到 3 abcdef', usage('checkin', false)],
      ['签到 3123456', usage('checkin', false)],
      ['签到 123456', usage('checkin', false)],
      ['签到码 3', { kind: 'checkinCode', number: 3 }],
      ['签到码3', { kind: 'checkinCode', number: 3 }],
      ['签到码 #3', { kind: 'checkinCode', number: 3 }],
      ['/code 3', { kind: 'checkinCode', number: 3 }],
      ['签到码', usage('checkinCode', true)],
      ['/code', usage('checkinCode', true)],
      ['签到码 abc', usage('checkinCode', false)],
      ['签到码是多少', null],
      ['签到了吗', null],
    ]);
  });

  describe('评价 / /rate', () => {
    table([
      ['评价 3 5', { kind: 'rate', number: 3, rating: 5, comment: '' }],
      ['评价 3 5 很好', { kind: 'rate', number: 3, rating: 5, comment: '很好' }],
      ['评价 3 4 组织得不错, 下次还来', { kind: 'rate', number: 3, rating: 4, comment: '组织得不错, 下次还来' }],
      ['评价3 5', { kind: 'rate', number: 3, rating: 5, comment: '' }],
      ['评价 #3 1', { kind: 'rate', number: 3, rating: 1, comment: '' }],
      ['评价 3 5星', { kind: 'rate', number: 3, rating: 5, comment: '' }],
      ['评价 3 5 星', { kind: 'rate', number: 3, rating: 5, comment: '' }],
      ['评价 3 4分', { kind: 'rate', number: 3, rating: 4, comment: '' }],
      ['评价 3 5星好评', { kind: 'rate', number: 3, rating: 5, comment: '好评' }],
      ['评价 3 五星', { kind: 'rate', number: 3, rating: 5, comment: '' }],
      ['评价 3 三分 一般', { kind: 'rate', number: 3, rating: 3, comment: '一般' }],
      ['评价 3 五 很好', { kind: 'rate', number: 3, rating: 5, comment: '很好' }],
      ['评价 3 ★★★★', { kind: 'rate', number: 3, rating: 4, comment: '' }],
      ['评价 3 ★★★★☆', { kind: 'rate', number: 3, rating: 4, comment: '' }],
      ['评价 3 ★★★★★ 太棒了', { kind: 'rate', number: 3, rating: 5, comment: '太棒了' }],
      ['评价 3 5很好', { kind: 'rate', number: 3, rating: 5, comment: '很好' }],
      ['打分 3 4', { kind: 'rate', number: 3, rating: 4, comment: '' }],
      ['/rate 3 5 great', { kind: 'rate', number: 3, rating: 5, comment: 'great' }],
      ['/rate 3 ★★★', { kind: 'rate', number: 3, rating: 3, comment: '' }],
      ['评价', usage('rate', true)],
      ['/rate', usage('rate', true)],
      ['评价 3', usage('rate', false)],
      ['评价 3 9', usage('rate', false)],
      ['评价 3 0', usage('rate', false)],
      ['评价 3 10分', usage('rate', false)],
      ['评价 3 4.5', usage('rate', false)],
      ['评价 3 很好', usage('rate', false)],
      ['评价 3 一般', usage('rate', false)],
      ['评价 3 ★★★★★★', usage('rate', false)],
      ['评价 3 ☆☆☆', usage('rate', false)],
      ['评价一下', null],
      ['评价很高', null],
    ]);
  });

  describe('微创投: 提案, 提案清单, 投票, 撤销投票, 我的投票, and the workers\' 审核提案, 开始投票, 结束投票, 提案进度', () => {
    table([
      ['投票 2', { kind: 'vote', numbers: [2] }],
      ['投票2', { kind: 'vote', numbers: [2] }],
      ['投票 #2 ＃5、3 2', { kind: 'vote', numbers: [2, 5, 3] }],
      ['投票 第二个', { kind: 'vote', numbers: [2] }],
      ['投票', { kind: 'usage', command: 'vote', exact: true }],
      ['投票了吗', null],
      ['/vote 2', { kind: 'vote', numbers: [2] }],
      ['/vote', { kind: 'usage', command: 'vote', exact: true }],
      ['撤销投票 2', { kind: 'unvote', number: 2 }],
      ['取消投票 #2', { kind: 'unvote', number: 2 }],
      ['/unvote 2', { kind: 'unvote', number: 2 }],
      ['我的投票', { kind: 'myBallot' }],
      ['提案 标题；内容；预算 2000', { kind: 'propose', title: '标题', description: '内容', yuan: 2000 }],
      ['提案 花园；1999.5', { kind: 'propose', title: '花园', description: '', yuan: 1999.5 }],
      ['提案 花园；内容；预算 很多', { kind: 'usage', command: 'propose', exact: false }],
      ['提案', { kind: 'usage', command: 'propose', exact: true }],
      ['提案很好', null],
      ['/propose x', { kind: 'usage', command: 'propose', exact: false }],
      ['提案清单', { kind: 'proposals' }],
      ['提案 清单', { kind: 'proposals' }],
      ['/proposals', { kind: 'proposals' }],
      ['审核提案 2 通过', { kind: 'reviewProposal', number: 2, approve: true, reason: '' }],
      ['审核提案 #3 不通过 预算超出范围', { kind: 'reviewProposal', number: 3, approve: false, reason: '预算超出范围' }],
      ['/review 3 no over budget', { kind: 'reviewProposal', number: 3, approve: false, reason: 'over budget' }],
      ['审核提案 3 通过吗', { kind: 'usage', command: 'reviewProposal', exact: false }],
      ['开始投票', { kind: 'openVoting' }],
      ['结束投票', { kind: 'closeVoting' }],
      ['提案进度 1 50% 书架已装好', { kind: 'progress', number: 1, percent: 50, note: '书架已装好' }],
      ['提案进度 1 100', { kind: 'progress', number: 1, percent: 100, note: '' }],
      ['提案进度 1 150%', { kind: 'usage', command: 'progress', exact: false }],
    ]);
  });

  describe('worker commands: 绑定, 发布, 提醒, 结项', () => {
    table([
      ['绑定 abc123', { kind: 'bind', code: 'ABC123' }],
      ['绑定 ABC123 3号楼', { kind: 'bind', code: 'ABC123', building: '3号楼' }],
      ['绑定 abc123,3号楼 2单元', { kind: 'bind', code: 'ABC123', building: '3号楼 2单元' }],
      ['绑定社区 abc123', { kind: 'bind', code: 'ABC123' }],
      ['绑定abc123', { kind: 'bind', code: 'ABC123' }],
      ['/bind xq2024', { kind: 'bind', code: 'XQ2024' }],
      ['/bind xq2024 Building 7', { kind: 'bind', code: 'XQ2024', building: 'Building 7' }],
      ['绑定', usage('bind', true)],
      ['/bind', usage('bind', true)],
      ['绑定 社区码', usage('bind', false)],
      ['绑定 a', usage('bind', false)],
      ['绑定手机号', null],
      ['发布 3', { kind: 'publish', number: 3, groups: [] }],
      ['发布3', { kind: 'publish', number: 3, groups: [] }],
      ['发布 3 一号楼群', { kind: 'publish', number: 3, groups: ['一号楼群'] }],
      ['发布 3 一号楼群、二号楼群,三号楼群 四号楼群', { kind: 'publish', number: 3, groups: ['一号楼群', '二号楼群', '三号楼群', '四号楼群'] }],
      ['发布 3 一号楼群，二号楼群', { kind: 'publish', number: 3, groups: ['一号楼群', '二号楼群'] }],
      ['/publish 3 groupA groupB', { kind: 'publish', number: 3, groups: ['groupA', 'groupB'] }],
      ['发布', usage('publish', true)],
      ['/publish', usage('publish', true)],
      ['发布 新活动', usage('publish', false)],
      ['发布了新通知', null],
      ['提醒 3', { kind: 'remind', number: 3 }],
      ['提醒3', { kind: 'remind', number: 3 }],
      ['/remind 3', { kind: 'remind', number: 3 }],
      ['提醒', usage('remind', true)],
      ['/remind', usage('remind', true)],
      ['提醒 大家明天停水', usage('remind', false)],
      ['提醒一下大家', null],
      ['结项 3', { kind: 'close', number: 3 }],
      ['结项3', { kind: 'close', number: 3 }],
      ['结项 #3', { kind: 'close', number: 3 }],
      ['/close 3', { kind: 'close', number: 3 }],
      ['结项', usage('close', true)],
      ['/close', usage('close', true)],
      ['结项 abc', usage('close', false)],
      ['结项了吗', null],
    ]);
  });

  describe('语言 / /lang', () => {
    table([
      ['语言 简体', { kind: 'language', locale: 'zh-Hans' }],
      ['语言 简体中文', { kind: 'language', locale: 'zh-Hans' }],
      ['语言 中文', { kind: 'language', locale: 'zh-Hans' }],
      ['语言 繁体', { kind: 'language', locale: 'zh-Hant' }],
      ['语言 繁体中文', { kind: 'language', locale: 'zh-Hant' }],
      ['语言 English', { kind: 'language', locale: 'en' }],
      ['语言 english', { kind: 'language', locale: 'en' }],
      ['语言 英文', { kind: 'language', locale: 'en' }],
      ['语言English', { kind: 'language', locale: 'en' }],
      ['切换语言 繁体', { kind: 'language', locale: 'zh-Hant' }],
      ['/lang zh', { kind: 'language', locale: 'zh-Hans' }],
      ['/lang zh-CN', { kind: 'language', locale: 'zh-Hans' }],
      ['/lang tw', { kind: 'language', locale: 'zh-Hant' }],
      ['/lang zh_TW', { kind: 'language', locale: 'zh-Hant' }],
      ['/lang hk', { kind: 'language', locale: 'zh-Hant' }],
      ['/lang en', { kind: 'language', locale: 'en' }],
      ['/LANG EN', { kind: 'language', locale: 'en' }],
      ['/language en', { kind: 'language', locale: 'en' }],
      ['语言', usage('language', true)],
      ['/lang', usage('language', true)],
      ['语言 法语', usage('language', false)],
      ['/lang fr', usage('language', false)],
      ['语言不通', null],
    ]);
  });

  describe('chatter is not a command', () => {
    table([
      ['项目经理说明天停水', null],
      ['项目 3', null],
      ['项目组的人来了吗', null],
      ['需求太多了', null],
      ['需求清单怎么看不到', null],
      ['我的天', null],
      ['我的快递到了', null],
      ['帮助一下邻居', null],
      ['帮助别人快乐自己', null],
      ['菜单价格', null],
      ['退订了', null],
      ['订阅号', null],
      ['今天报名的人多吗', null],
      ['大家好', null],
      ['谢谢', null],
      ['好的', null],
      ['hello', null],
      ['help me', null],
      ['收到 +1', null],
      ['我也 +1 12', null],
      ['1', null], // reminder answers belong to the flow's session state
      ['2', null],
      ['12', null],
      ['#12', null],
      ['', null],
      ['   ', null],
      ['/', null],
      ['/unknown', null],
      ['/foo 3', null],
      ['? 报名', null],
      ['http://example.com/signup', null],
      ['@张阿姨 报名 3', null], // parseCommand expects normalised text: the mention comes off first
    ]);
  });

  describe('after normalizeText (the contract’s input tolerance end to end)', () => {
    const botNames = ['邻里助手', 'linli_bot'];
    it.each<Row>([
      ['＋１　１２', { kind: 'upvote', number: 12 }],
      ['＋１　＃１２', { kind: 'upvote', number: 12 }],
      ['＋１＃１２', { kind: 'upvote', number: 12 }],
      ['+1 ＃12', { kind: 'upvote', number: 12 }],
      ['同求１２号', { kind: 'upvote', number: 12 }],
      ['+1 第12个', { kind: 'upvote', number: 12 }],
      ['需求 樓道燈壞了', { kind: 'need', text: '楼道灯坏了' }],
      ['需求：樓道燈壞了', { kind: 'need', text: '楼道灯坏了' }],
      ['報名 3', { kind: 'signup', number: 3 }],
      ['報名 3 Ｂ', { kind: 'signup', number: 3, shift: 'B' }],
      ['簽到 3 123456', { kind: 'checkin', number: 3, code: '123456' }],
      ['簽到碼 3', { kind: 'checkinCode', number: 3 }],
      ['認領 5 陽光志願隊', { kind: 'claim', number: 5, org: '阳光志愿队' }],
      ['取消報名 3', { kind: 'cancel', number: 3 }],
      ['需求清單', { kind: 'needs' }],
      ['撤銷投票 2', { kind: 'unvote', number: 2 }],
      ['提案 楼道图书角；在3号楼一层放书架 ； 预算：２０００元', { kind: 'propose', title: '楼道图书角', description: '在3号楼一层放书架', yuan: 2000 }],
      ['審核提案 3 不通過 預算超出範圍', { kind: 'reviewProposal', number: 3, approve: false, reason: '预算超出范围' }],
      ['項目列表', { kind: 'projects' }],
      ['幫助？', { kind: 'help' }],
      ['？', { kind: 'help' }],
      ['評價 3 ⭐⭐⭐⭐⭐', { kind: 'rate', number: 3, rating: 5, comment: '' }],
      ['評價 3 5 很好👍', { kind: 'rate', number: 3, rating: 5, comment: '很好' }],
      ['語言 繁體', { kind: 'language', locale: 'zh-Hant' }],
      ['綁定 ａｂｃ１２３', { kind: 'bind', code: 'ABC123' }],
      ['發佈 3', { kind: 'publish', number: 3, groups: [] }],
      ['   报名     3    ', { kind: 'signup', number: 3 }],
      ['报名\n3', { kind: 'signup', number: 3 }],
      ['@邻里助手\u2005需求 楼道灯坏了', { kind: 'need', text: '楼道灯坏了' }],
      ['@张阿姨 +1 3', { kind: 'upvote', number: 3 }],
      ['@张阿姨\u2005+1 3', { kind: 'upvote', number: 3 }],
      ['@linli_bot 报名 3', { kind: 'signup', number: 3 }],
      ['/need@linli_bot 楼道灯不亮', { kind: 'need', text: '楼道灯不亮' }],
      ['报名 3🙏', { kind: 'signup', number: 3 }],
      ['+1 12 😊😊', { kind: 'upvote', number: 12 }],
      ['需求 楼道灯坏了🙏😊👍', { kind: 'need', text: '楼道灯坏了' }],
      ['帮助😊', { kind: 'help' }],
      ['我的！！', { kind: 'me' }],
      ['退订[抱拳]', { kind: 'unsubscribe' }],
      ['报名 3️⃣', { kind: 'signup', number: 3 }],
      ['报\u200b名 3', { kind: 'signup', number: 3 }],
      ['@邻里助手\u2005＋１　＃１２ 🙏🙏', { kind: 'upvote', number: 12 }],
      ['@張阿姨\u2005 報名　第３個！！😊', { kind: 'signup', number: 3 }],
      ['\u200b@linli_bot  簽到　３　１２３４５６ 👍', { kind: 'checkin', number: 3, code: '123456' }],
      ['項目經理說明天停水', null],
      ['需求太多了！', null],
      ['我的天😂', null],
      ['報名的人多嗎？', null],
      ['1', null],
      ['２', null],
    ])('%j → %j', (input, expected) => {
      expect(parseCommand(normalizeText(input, { botNames }).text)).toEqual(expected);
    });
  });

  it('finishes on long and pathological input (a catastrophic regex would hang to the timeout)', () => {
    const inputs = [
      `需求 ${'楼道灯坏了'.repeat(40_000)}`,
      `报名 ${'3'.repeat(100_000)}`,
      `+1 ${'#'.repeat(100_000)}`,
      `评价 3 ${'★'.repeat(100_000)}`,
      `发布 3 ${'群、'.repeat(50_000)}`,
      `/need${'@'.repeat(100_000)}`,
      `语言 ${' '.repeat(100_000)}x`,
      `签到 3 ${'1 '.repeat(50_000)}`,
      '?'.repeat(100_000),
    ];
    const kinds = inputs.map((input) => parseCommand(input)?.kind ?? null);
    expect(kinds[0]).toBe('need');
  });

  it('never throws, and a usage is never about usage', () => {
    const words = ['需求', '+1', '同求', '报名', '取消', '认领', '签到', '签到码', '评价', '绑定', '发布', '语言', '/need', '/rate'];
    const arbitrary = fc.tuple(fc.constantFrom(...words), fc.string({ unit: 'grapheme', maxLength: 20 }));
    fc.assert(
      fc.property(arbitrary, ([word, rest]) => {
        const command = parseCommand(word + rest);
        if (command?.kind === 'usage') expect(command.command).not.toBe('usage');
        if (command !== null && 'number' in command) {
          expect(Number.isInteger(command.number)).toBe(true);
          expect(command.number).toBeGreaterThan(0);
          expect(command.number).toBeLessThanOrEqual(1_000_000);
        }
      }),
      { numRuns: 1_000 },
    );
  });
});
