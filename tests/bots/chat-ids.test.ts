// The chat id a person copies from a platform, read as the id that platform's adapter uses.
import { describe, expect, test } from 'vitest';
import { groupChatIdOf } from '../../src/bots/chat-ids.ts';
import type { Platform } from '../../src/bots/types.ts';

describe('groupChatIdOf', () => {
  test.each<[Platform, string, string]>([
    ['wecom', 'wrkSFfCgAAGROUP1', 'bot:wrkSFfCgAAGROUP1'], // the chatid WeCom gives
    ['wecom', '  wrkSFfCgAAGROUP1\n', 'bot:wrkSFfCgAAGROUP1'],
    ['wecom', 'bot:wrkSFfCgAAGROUP1', 'bot:wrkSFfCgAAGROUP1'], // already Linli's form: unchanged
    ['wecom', 'hook:3号楼', 'hook:3号楼'], // a robot-webhook group has no other name
    ['telegram', '-1001234567890', '-1001234567890'],
    ['telegram', ' -100 1234 567890 ', '-1001234567890'],
    ['telegram', '-123456789', '-123456789'], // a basic group
    ['telegram', 'https://t.me/c/1234567890/42', '-1001234567890'],
    ['telegram', 't.me/c/1234567890', '-1001234567890'],
    ['wechat', '123456789@chatroom', '123456789@chatroom'],
    ['wechat', ' 123456789@chatroom ', '123456789@chatroom'],
    ['web', 'g1', 'g1'],
  ])('%s %j → %s', (platform, typed, chatId) => {
    expect(groupChatIdOf(platform, typed)).toEqual({ chatId });
  });

  test.each<[Platform, string, RegExp]>([
    ['wecom', 'app:zhangsan', /private chat/],
    ['wecom', 'wr kSF', /not a WeCom group id/],
    ['wecom', 'bot:', /not a WeCom group id/],
    ['wecom', '', /not a WeCom group id/],
    ['telegram', '1234567890', /a person's id, not a group's/],
    ['telegram', '@huitian', /not a Telegram group id/],
    ['telegram', '-99999999999999999', /not a Telegram group id/], // beyond what a JS number holds exactly
    ['telegram', 'https://t.me/huitian/5', /not a Telegram group id/], // a public link names no id
    ['wechat', 'wxid_abc123', /a person's WeChat id/],
    ['wechat', '123 @chatroom', /not a WeChat room id/],
    ['web', '  ', /needed/],
  ])('%s %j is refused', (platform, typed, why) => {
    expect(groupChatIdOf(platform, typed).problem).toMatch(why);
  });
});
