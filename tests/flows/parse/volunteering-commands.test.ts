// The command words this issue adds (签退, 补签, 通过时长, 受益) and the ones it wires
// (签到, 签到码, 评价, 提醒, 结项, 退订, 订阅): what they parse to, and what stays chatter.
import { describe, expect, test } from 'vitest';
import { parseCommand } from '../../../src/flows/parse/parse-command.ts';
import { normalizeText } from '../../../src/flows/parse/normalize.ts';
import { readReminderAnswer } from '../../../src/flows/reminder-flow.ts';

const parse = (text: string) => parseCommand(normalizeText(text, { botNames: ['邻里助手'] }).text);

describe('volunteering commands', () => {
  test.each([
    ['签到 3 123456', { kind: 'checkin', number: 3, code: '123456' }],
    ['簽到 #3 123 456', { kind: 'checkin', number: 3, code: '123456' }],
    ['/checkin 3 123456', { kind: 'checkin', number: 3, code: '123456' }],
    ['签到码 3', { kind: 'checkinCode', number: 3 }],
    ['/code 3', { kind: 'checkinCode', number: 3 }],
    ['签退 3', { kind: 'checkout', number: 3 }],
    ['簽退 3', { kind: 'checkout', number: 3 }],
    ['/checkout 3', { kind: 'checkout', number: 3 }],
    ['补签 3 张阿姨', { kind: 'attend', number: 3, name: '张阿姨' }],
    ['/attend 3 Zhang Wei', { kind: 'attend', number: 3, name: 'Zhang Wei' }],
    ['通过时长 3', { kind: 'approveHours', number: 3 }],
    ['审核时长 #3', { kind: 'approveHours', number: 3 }],
    ['/approvehours 3', { kind: 'approveHours', number: 3 }],
    ['受益 3 120', { kind: 'served', number: 3, count: 120 }],
    ['受益人次 3 120人次', { kind: 'served', number: 3, count: 120 }],
    ['/served 3 120', { kind: 'served', number: 3, count: 120 }],
    ['评价 3 5 很及时', { kind: 'rate', number: 3, rating: 5, comment: '很及时' }],
    ['提醒 3', { kind: 'remind', number: 3 }],
    ['结项 3', { kind: 'close', number: 3 }],
    ['退订', { kind: 'unsubscribe' }],
    ['订阅', { kind: 'subscribe' }],
  ])('%s', (text, command) => expect(parse(text)).toEqual(command));

  test.each(['签退', '补签 3', '受益 3', '受益 3 很多', '通过时长'])('%s asks for its arguments', (text) => {
    expect(parse(text)).toMatchObject({ kind: 'usage' });
  });

  test.each(['受益匪浅', '签退了吗', '补签了吗', '1', '2', '好的'])('%s is not a command (a reminder answer or chatter)', (text) => {
    expect(parse(text)).toBeNull();
  });

  test('reminder answers', () => {
    expect(['1', '１', '确认', '好的', 'OK', 'yes', '1。'].map((t) => readReminderAnswer(normalizeText(t, { botNames: [] }).text))).toEqual(['1', '1', '1', '1', '1', '1', '1']);
    expect(['2', '请假', '去不了', 'leave'].map((t) => readReminderAnswer(t))).toEqual(['2', '2', '2', '2']);
    expect(['3', '明天再说', '12'].map((t) => readReminderAnswer(t))).toEqual([null, null, null]);
  });
});
