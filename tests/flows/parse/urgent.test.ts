// The urgent-word rule (src/flows/parse/urgent.ts): what happens now gets the emergency numbers;
// what happened before, did not happen, or might happen does not.
import { describe, expect, test } from 'vitest';
import { emergencyNumbers, readUrgent, type Emergency } from '../../../src/flows/parse/urgent.ts';
import { normalizeText } from '../../../src/flows/parse/normalize.ts';

const read = (s: string) => readUrgent(normalizeText(s, { botNames: ['邻里助手'] }).text);

describe('readUrgent', () => {
  test.each<[string, Emergency]>([
    ['有人摔倒了', 'medical'],
    ['3号楼门口有人摔倒了，快来', 'medical'],
    ['楼下老人摔倒了起不来', 'medical'],
    ['张奶奶晕倒了', 'medical'],
    ['有人昏倒在电梯里', 'medical'],
    ['他头上出血了！', 'medical'],
    ['老人没有呼吸了', 'medical'],
    ['不小心摔倒了，腿动不了', 'medical'],
    ['我以前不在这住，刚才我妈摔倒了', 'medical'],
    ['5楼着火了！', 'fire'],
    ['地下室失火', 'fire'],
    ['楼道里冒浓烟', 'fire'],
    ['厨房起火了快来人', 'fire'],
    ['楼道里有很重的煤气味', 'gas'],
    ['好像燃气泄漏了', 'gas'],
    ['1单元有燃氣洩漏', 'gas'], // Traditional
    ['我家老人走失了，穿蓝衣服', 'police'],
    ['孩子走丢了', 'police'],
    ['救命', 'help'],
    ['救命啊！！', 'help'],
    ['@邻里助手 有人晕倒了', 'medical'],
    ['去年着火过，今天又着火了', 'fire'],
  ])('%s → %s', (text, kind) => {
    expect(read(text)).toBe(kind);
  });

  test.each([
    '我去年摔倒过',
    '以前着过火',
    '以前这里着火过',
    '我妈前年摔倒过一次，现在好多了',
    '三天前摔倒了，现在好了',
    '没有着火，是邻居在烧烤',
    '不是煤气味，是下水道',
    '没有人摔倒',
    '如果着火了怎么办',
    '万一有人晕倒，先打电话',
    '下周三消防演练，模拟着火',
    '楼道堆杂物有火灾隐患',
    '社区讲座：老人跌倒了怎么办',
    '如何预防老人走失',
    '防走失手环到了',
    '我家猫走失了',
    '双十一出血价',
    '这个办法是救命稻草',
    '笑死我了救命',
    '楼道灯坏了',
    '需求 3号楼楼道灯坏了',
    '明天几点开始？',
    '+1',
    '着火的话往楼下跑',
    '小时候摔倒过很多次',
    '曾经晕倒过',
    '跳楼价甩卖',
  ])('%s → not urgent', (text) => {
    expect(read(text)).toBeNull();
  });

  test('every kind has its number', () => {
    expect(emergencyNumbers).toEqual({ fire: '119', gas: '119', medical: '120', police: '110', help: '110 / 119 / 120' });
  });
});
