// The parser for the commands of tickets, needs answered and projects from the chat: what each
// form reads as, and the near misses that stay chatter or ask for the usage.
import { describe, expect, test } from 'vitest';
import { normalizeText } from '../../../src/flows/parse/normalize.ts';
import { parseCommand } from '../../../src/flows/parse/parse-command.ts';

const parse = (s: string) => parseCommand(normalizeText(s, { botNames: [] }).text);
const usage = (command: string, exact = false) => ({ kind: 'usage', command, exact });

describe('tickets', () => {
  test.each<[string, unknown]>([
    ['转人工 家里老人想咨询低保', { kind: 'human', text: '家里老人想咨询低保' }],
    ['聯繫社工 想咨詢低保', { kind: 'human', text: '想咨询低保' }],
    ['/human need a home visit', { kind: 'human', text: 'need a home visit' }],
    ['转人工', usage('human', true)],
    ['回复 T3 明天上午上门', { kind: 'answerTicket', number: 3, text: '明天上午上门' }],
    ['回复 t3：好的', { kind: 'answerTicket', number: 3, text: '好的' }],
    ['回复 T-12 好的', { kind: 'answerTicket', number: 12, text: '好的' }],
    ['/reply T3 on my way', { kind: 'answerTicket', number: 3, text: 'on my way' }],
    ['回复 T3', usage('answerTicket')],
    ['结束 T3', { kind: 'closeTicket', number: 3 }],
    ['结束工单 3', { kind: 'closeTicket', number: 3 }],
    ['结束了', null], // chatter
    ['结束', null],
    ['评价工单 T3 5', { kind: 'rateTicket', number: 3, rating: 5 }],
    ['评价工单 T3 五星', { kind: 'rateTicket', number: 3, rating: 5 }],
    ['评价工单 T3 9', usage('rateTicket')],
  ])('%s', (text, expected) => {
    expect(parse(text)).toEqual(expected);
  });
});

describe('needs answered', () => {
  test.each<[string, unknown]>([
    // A number only is a lookup (regression: `需求 12` used to record a need whose text was "12").
    ['需求 12', { kind: 'need', text: '12', lookup: 12 }],
    ['需求 #12', { kind: 'need', text: '#12', lookup: 12 }],
    ['需求 3号楼灯坏了', { kind: 'need', text: '3号楼灯坏了' }],
    ['处理需求 12 已解决 灯已换好', { kind: 'needOutcome', number: 12, outcome: 'resolved', note: '灯已换好' }],
    ['处理需求 12 已解决', { kind: 'needOutcome', number: 12, outcome: 'resolved', note: '' }],
    ['处理需求 12 不予处理 不属于社区管理', { kind: 'needOutcome', number: 12, outcome: 'rejected', note: '不属于社区管理' }],
    ['处理需求 12 不予处理', usage('needOutcome')],
    ['处理需求 12 转交 物业公司 已报修', { kind: 'needOutcome', number: 12, outcome: 'referred', to: '物业公司', note: '已报修' }],
    ['转交 12 物业公司 已报修', { kind: 'referNeed', number: 12, outcome: 'referred', to: '物业公司', note: '已报修' }],
    ['转交 12 物业公司', { kind: 'referNeed', number: 12, outcome: 'referred', to: '物业公司', note: '' }],
    ['/outcome 12 declined not ours', { kind: 'needOutcome', number: 12, outcome: 'rejected', note: 'not ours' }],
    ['处理需求 12 看看', usage('needOutcome')],
  ])('%s', (text, expected) => {
    expect(parse(text)).toEqual(expected);
  });
});

describe('projects and shifts from the chat', () => {
  test.each<[string, unknown]>([
    ['立项 12,15 楼道灯维修', { kind: 'makeProject', needs: [12, 15], title: '楼道灯维修' }],
    ['立项 12、15、#16 楼道灯维修', { kind: 'makeProject', needs: [12, 15, 16], title: '楼道灯维修' }],
    ['立项 12', { kind: 'makeProject', needs: [12], title: '' }],
    ['立项', usage('makeProject', true)],
    ['加班次 3 12月20日 9:00-11:00 3人 3号楼门口', { kind: 'addShift', number: 3, when: '12月20日 9:00-11:00', capacity: 3, place: '3号楼门口' }],
    ['加班次 3 周六上午 招5人', { kind: 'addShift', number: 3, when: '周六上午', capacity: 5, place: '' }],
    ['加班次 3 明天晚上10点到早上6点 两人 值班室', { kind: 'addShift', number: 3, when: '明天晚上10点到早上6点', capacity: 2, place: '值班室' }],
    ['加班次 3 周六上午', usage('addShift')],
    ['加班次数太多了', null],
    ['改班次 3 A 12月21日 9:00-11:00', { kind: 'moveShift', number: 3, shift: 'A', when: '12月21日 9:00-11:00' }],
    ['改班次 3 b 周日下午', { kind: 'moveShift', number: 3, shift: 'B', when: '周日下午' }],
    ['改班次 3 A', usage('moveShift')],
    ['取消班次 3 B 天气原因', { kind: 'cancelShift', number: 3, shift: 'B', reason: '天气原因' }],
    ['取消班次 3 B', { kind: 'cancelShift', number: 3, shift: 'B', reason: '' }],
    ['取消报名 3', { kind: 'cancel', number: 3 }],
    ['待办', { kind: 'todo' }],
    ['/todo', { kind: 'todo' }],
  ])('%s', (text, expected) => {
    expect(parse(text)).toEqual(expected);
  });
});
