import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeText, parseChineseNumber, parseItemNumber, type Script } from '../../../src/flows/parse/normalize.ts';

const botNames = ['邻里助手', 'linli_bot'];

type Row = readonly [input: string, text: string, mentionedBot: boolean, script: Script];

function table(rows: readonly Row[]): void {
  it.each(rows)('%j → %j (bot %s, %s)', (input, text, mentionedBot, script) => {
    expect(normalizeText(input, { botNames })).toEqual({ text, mentionedBot, script });
  });
}

describe('normalizeText', () => {
  describe('full-width forms (NFKC)', () => {
    table([
      ['＋１　１２', '+1 12', false, 'hans'],
      ['＋１　＃１２', '+1 #12', false, 'hans'],
      ['报名　３　Ｂ', '报名 3 B', false, 'hans'],
      ['签到　３　１２３４５６', '签到 3 123456', false, 'hans'],
      ['绑定 ａｂｃ１２３', '绑定 abc123', false, 'hans'],
      ['需求：楼道灯坏了', '需求:楼道灯坏了', false, 'hans'],
      ['需求，楼道灯坏了', '需求,楼道灯坏了', false, 'hans'],
      ['ＨＥＬＬＯ', 'HELLO', false, 'latin'],
      ['投票 No．12', '投票 No.12', false, 'hans'],
    ]);
  });

  describe('control and zero-width characters', () => {
    table([
      ['报\u200b名 3', '报名 3', false, 'hans'],
      ['\ufeff需求 漏水', '需求 漏水', false, 'hans'],
      ['报名\u200d 3\u200c', '报名 3', false, 'hans'],
      ['\u202e报名 3\u202c', '报名 3', false, 'hans'],
      ['报名\u0000 3\u0007', '报名 3', false, 'hans'],
      ['\u2060+1\u00ad 12', '+1 12', false, 'hans'],
      ['报名\t3\r\n', '报名 3', false, 'hans'],
      ['报名 3\u2028', '报名 3', false, 'hans'],
      ['\u3164 报名 3', '报名 3', false, 'hans'],
    ]);
  });

  describe('whitespace', () => {
    table([
      ['  需求\n\n楼道   灯坏了\t', '需求 楼道 灯坏了', false, 'hans'],
      ['报名     3      B', '报名 3 B', false, 'hans'],
      ['\u00a0报名\u00a03', '报名 3', false, 'hans'],
      ['', '', false, 'none'],
      ['   \n\t  ', '', false, 'none'],
    ]);
  });

  describe('leading @mentions', () => {
    table([
      ['@邻里助手\u2005需求 楼道灯坏了', '需求 楼道灯坏了', true, 'hans'],
      ['@邻里助手 需求 楼道灯坏了', '需求 楼道灯坏了', true, 'hans'],
      ['@邻里 助手 帮助', '帮助', true, 'hans'],
      ['@linli_bot /help', '/help', true, 'latin'],
      ['@LINLI_BOT help', 'help', true, 'latin'],
      ['@Linli_Bot\u2005+1 12', '+1 12', true, 'hans'],
      ['@邻里助手需求 x', 'x', false, 'latin'], // no boundary: someone else's name "邻里助手需求"
      ['@张阿姨 +1 3', '+1 3', false, 'hans'],
      ['@张阿姨\u2005+1 3', '+1 3', false, 'hans'],
      ['@Tom Lee\u2005报名 3', '报名 3', false, 'hans'],
      ['@张阿姨 @李叔 报名 3', '报名 3', false, 'hans'],
      ['@张阿姨\u2005@李叔\u2005报名 3', '报名 3', false, 'hans'],
      ['@张阿姨\u2005@邻里助手\u2005帮助', '帮助', true, 'hans'],
      ['@邻里助手小王\u2005你好', '你好', false, 'hans'],
      ['@邻里助手小王 你好', '你好', false, 'hans'],
      ['@鄰里助手 需求 漏水', '需求 漏水', true, 'hans'],
      ['@張阿姨\u2005+1 3', '+1 3', false, 'hans'],
      ['@邻里助手', '', true, 'none'],
      ['@邻里助手\u2005', '', true, 'none'],
      ['  @邻里助手   报名 3', '报名 3', true, 'hans'],
      ['@ 报名 3', '报名 3', false, 'hans'], // a lone "@" is dropped too
    ]);

    it('matches bot names with or without spaces, case-insensitively', () => {
      const opts = { botNames: ['Linli Bot', '邻里 小助手'] };
      expect(normalizeText('@linlibot hi', opts)).toEqual({ text: 'hi', mentionedBot: true, script: 'latin' });
      expect(normalizeText('@LINLI BOT hi', opts)).toEqual({ text: 'hi', mentionedBot: true, script: 'latin' });
      expect(normalizeText('@邻里小助手\u2005帮助', opts).mentionedBot).toBe(true);
      expect(normalizeText('@@邻里小助手 帮助', opts).text).toBe('帮助');
    });

    it('never says the bot was mentioned when it has no names', () => {
      expect(normalizeText('@邻里助手 帮助', { botNames: [] })).toEqual({
        text: '帮助',
        mentionedBot: false,
        script: 'hans',
      });
    });
  });

  describe('@mentions of the bot elsewhere in the message', () => {
    table([
      ['请问@邻里助手 怎么报名?', '请问 怎么报名?', true, 'hans'],
      ['报名 3 @邻里助手', '报名 3', true, 'hans'],
      ['/need@linli_bot 楼道灯不亮', '/need 楼道灯不亮', true, 'hans'],
      ['/help@linli_bot', '/help', true, 'latin'],
      ['需求 @王师傅 帮忙修灯', '需求 @王师傅 帮忙修灯', false, 'hans'],
      ['mail a@linli_bot.com', 'mail a@linli_bot.com', false, 'latin'],
      ['谢谢@邻里助手\u2005', '谢谢', true, 'hans'],
    ]);
  });

  describe('trailing emoji, kaomoji and punctuation', () => {
    table([
      ['需求 楼道灯坏了🙏', '需求 楼道灯坏了', false, 'hans'],
      ['需求 楼道灯坏了🙏😊👍', '需求 楼道灯坏了', false, 'hans'],
      ['+1 12 😊😊', '+1 12', false, 'hans'],
      ['报名 3👍🏻', '报名 3', false, 'hans'],
      ['报名 3 ❤️', '报名 3', false, 'hans'],
      ['好的👨‍👩‍👧', '好的', false, 'hans'],
      ['报名 3 🇨🇳', '报名 3', false, 'hans'],
      ['谢谢！！！', '谢谢', false, 'hans'],
      ['好的~～〜', '好的', false, 'hans'],
      ['报名 3。', '报名 3', false, 'hans'],
      ['报名 3…', '报名 3', false, 'hans'],
      ['报名 3 ✨🎉!', '报名 3', false, 'hans'],
      ['好的^_^', '好的', false, 'hans'],
      ['好的^^', '好的', false, 'hans'],
      ['谢谢(*^▽^*)', '谢谢', false, 'hans'],
      ['谢谢（＾▽＾）', '谢谢', false, 'hans'],
      ['谢谢 o(*￣▽￣*)o~', '谢谢', false, 'hans'],
      ['好难T_T', '好难', false, 'hans'],
      ['hello :)', 'hello', false, 'latin'],
      ['ok :-D', 'ok', false, 'latin'],
      ['收到[抱拳]', '收到', false, 'hans'],
      ['收到[强][强]', '收到', false, 'hans'],
      ['报名 3 [微笑]!', '报名 3', false, 'hans'],
      ['帮助？？😊', '帮助?', false, 'hans'],
      ['帮助?!', '帮助?', false, 'hans'],
      ['？', '?', false, 'hans'],
      ['?', '?', false, 'hans'],
      ['🙏🙏', '', false, 'none'],
      ['报名 3️⃣', '报名 3', false, 'hans'],
    ]);
  });

  describe('keeps what is content', () => {
    table([
      ['需求 修灯(3楼)', '需求 修灯(3楼)', false, 'hans'],
      ['需求 灯坏了 (急)', '需求 灯坏了 (急)', false, 'hans'],
      ['需求 [紧急] 漏水', '需求 [紧急] 漏水', false, 'hans'],
      ['需求 需要[紧急]', '需求 需要[紧急]', false, 'hans'],
      ['评价 3 ★★★★☆', '评价 3 ★★★★☆', false, 'hans'],
      ['评价 3 ⭐⭐⭐⭐⭐', '评价 3 ★★★★★', false, 'hans'],
      ['10:30 hello', '10:30 hello', false, 'latin'],
      ['+1 #12', '+1 #12', false, 'hans'],
      ['🙏 报名 3', '报名 3', false, 'hans'],
    ]);
  });

  describe('Traditional characters (converted, script hant)', () => {
    table([
      ['需求 樓道燈壞了', '需求 楼道灯坏了', false, 'hant'],
      ['報名 3', '报名 3', false, 'hant'],
      ['簽到 3 123456', '签到 3 123456', false, 'hant'],
      ['認領 5 陽光志願隊', '认领 5 阳光志愿队', false, 'hant'],
      ['需求清單', '需求清单', false, 'hant'],
      ['項目', '项目', false, 'hant'],
      ['取消報名 3', '取消报名 3', false, 'hant'],
      ['簽到碼 3', '签到码 3', false, 'hant'],
      ['評價 3 5 很好', '评价 3 5 很好', false, 'hant'],
      ['幫助', '帮助', false, 'hant'],
      ['語言 繁體', '语言 繁体', false, 'hant'],
      ['衞生間漏水', '卫生间漏水', false, 'hant'],
      ['報名 第３個！！😊', '报名 第3个', false, 'hant'],
    ]);
  });

  describe('Simplified and Latin text is left alone', () => {
    table([
      ['需求 楼道灯坏了', '需求 楼道灯坏了', false, 'hans'],
      ['为什么这么慢', '为什么这么慢', false, 'hans'], // 么 must not become 幺 (tw variant table)
      ['么', '么', false, 'hans'],
      ['著名的后来', '著名的后来', false, 'hans'],
      ['hello', 'hello', false, 'latin'],
      ['/help', '/help', false, 'latin'],
      ['+1 12', '+1 12', false, 'hans'],
      ['123', '123', false, 'hans'],
    ]);
  });

  describe('combinations', () => {
    table([
      ['@邻里助手\u2005＋１　＃１２ 🙏🙏', '+1 #12', true, 'hans'],
      ['@張阿姨\u2005 報名　第３個！！😊', '报名 第3个', false, 'hant'],
      ['\u200b@linli_bot  簽到　３　１２３４５６ 👍', '签到 3 123456', true, 'hant'],
      ['@张阿姨 同求１２号🙏', '同求12号', false, 'hans'],
      ['  ＠邻里助手　需求：楼道灯坏了！！[抱拳]  ', '需求:楼道灯坏了', true, 'hans'],
    ]);
  });

  it('finishes on pathological input (a catastrophic regex would hang to the timeout)', () => {
    const inputs = [
      '!'.repeat(100_000) + 'x',
      '@'.repeat(100_000),
      '@a '.repeat(30_000) + '报名 3',
      'a@'.repeat(50_000),
      '请问@邻里助手 '.repeat(10_000),
      '(^'.repeat(50_000) + ')',
      '😊'.repeat(50_000),
      '^_^'.repeat(30_000),
      '報名'.repeat(50_000),
    ];
    // A catastrophic regex would hang here until the test timeout; speed itself is measured in bench/.
    for (const input of inputs) expect(typeof normalizeText(input, { botNames }).text).toBe('string');
  });

  it('always returns trimmed text with single spaces', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (input) => {
        const { text } = normalizeText(input, { botNames });
        expect(text).toBe(text.trim());
        expect(text).not.toMatch(/\s{2}/);
      }),
      { numRuns: 500 },
    );
  });
});

describe('parseItemNumber', () => {
  it.each([
    ['12', 12],
    ['#12', 12],
    ['＃12', 12],
    ['＃１２', 12],
    ['# 12', 12],
    ['12号', 12],
    ['12 号', 12],
    ['12號', 12],
    ['第12个', 12],
    ['第12個', 12],
    ['第12号', 12],
    ['第12项', 12],
    ['第 12 个', 12],
    ['No.12', 12],
    ['No. 12', 12],
    ['no 12', 12],
    ['NO12', 12],
    ['0012', 12],
    ['十二', 12],
    ['第十二个', 12],
    ['十二号', 12],
    ['一百零五', 105],
    ['两', 2],
    ['兩', 2],
    ['十', 10],
    ['二十', 20],
    ['二十三', 23],
    ['一百', 100],
    ['两百', 200],
    ['一百一十', 110],
    ['一百一十二', 112],
    ['三百五', 350],
    ['九百九十九', 999],
    ['1000000', 1_000_000],
    ['1', 1],
  ])('%j → %d', (input, expected) => {
    expect(parseItemNumber(input)).toBe(expected);
  });

  it.each([
    '',
    '0',
    '零',
    '〇',
    '-1',
    '+1',
    '1.5',
    '12.0',
    '1e3',
    '1000001',
    '12345678',
    'abc',
    '12个', // 个 needs 第
    '一二', // digit by digit is not a number
    '一千',
    '一百零',
    '十十',
    '第',
    '#',
    '12 13',
    '12号楼',
  ])('%j → null', (input) => {
    expect(parseItemNumber(input)).toBeNull();
  });
});

describe('parseChineseNumber', () => {
  it.each([
    ['五', 5],
    ['十五', 15],
    ['五十', 50],
    ['一百零五', 105],
    ['七百七十七', 777],
    ['零', null],
    ['百', null],
    ['五百百', null],
    ['一百零十', null],
  ])('%j → %j', (input, expected) => {
    expect(parseChineseNumber(input)).toBe(expected);
  });
});
