import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as OpenCC from 'opencc-js';
import { describe, expect, it } from 'vitest';
import {
  categoryLabel,
  isNeedCategory,
  needCategories,
  parseCategory,
  type NeedCategory,
} from '../../../src/core/needs/categories.ts';
import { classifyNeed, looksLikeNeed } from '../../../src/core/needs/classify-need.ts';

// The caller converts Traditional to Simplified before classifying; the tests do the same.
const toSimplified = OpenCC.Converter({ from: 'hk', to: 'cn' });

interface Labelled {
  text: string;
  category: NeedCategory;
}

function score(cases: readonly Labelled[]): { accuracy: number; misses: string[] } {
  const misses: string[] = [];
  for (const c of cases) {
    const got = classifyNeed(toSimplified(c.text));
    if (got.category !== c.category) {
      misses.push(
        `  expected ${c.category} got ${got.category} (${got.confidence.toFixed(2)} [${got.concepts.join(',')}]): ${c.text}`,
      );
    }
  }
  return { accuracy: (cases.length - misses.length) / cases.length, misses };
}

function report(name: string, cases: readonly Labelled[]): number {
  const { accuracy, misses } = score(cases);
  console.log(`${name}: ${cases.length - misses.length}/${cases.length} = ${accuracy.toFixed(3)}`);
  if (misses.length > 0) console.log(`${name} misses:\n${misses.join('\n')}`);
  return accuracy;
}

// --- the shared labelled dev set ---------------------------------------------------------

const devUrl = new URL('../../../../shared/data/needs-dev.jsonl', import.meta.url);
const devPath = fileURLToPath(devUrl);
const haveDev = existsSync(devPath);

describe('classifyNeed on the shared dev set', () => {
  it.skipIf(!haveDev)(`accuracy >= 0.9 on ${devPath} (skipped when the file is absent)`, () => {
    const cases = readFileSync(devPath, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as Labelled);
    expect(cases.length).toBeGreaterThan(0);
    for (const c of cases) expect(isNeedCategory(c.category)).toBe(true);
    expect(report('dev set', cases)).toBeGreaterThanOrEqual(0.9);
  });
  if (!haveDev) {
    it.skip(`dev set missing: ${devPath} not found (expects ../shared/data beside the repo)`, () => {});
  }
});

// --- held-out cases, written before the lexicon was built; not tuned on the dev set ---------

const heldOut: Labelled[] = [
  // repair
  { text: '6栋的电梯今天早上又卡住了，困在里面十分钟😱', category: 'repair' },
  { text: '楼道灯坏了好久了谁来管管啊', category: 'repair' },
  { text: '我家厨房水管爆了，水漫到楼下了，物业电话打不通！！', category: 'repair' },
  { text: '单元门关不上，谁都能进来', category: 'repair' },
  { text: '下水道堵了，一楼返水', category: 'repair' },
  { text: 'the lift in building 4 has been broken since monday', category: 'repair' },
  // elderly
  { text: '我家老爷子八十多了，一个人住，中午饭没着落', category: 'elderly' },
  { text: '老人家不会在手机上交电费，谁能教教', category: 'elderly' },
  { text: '能不能安排人定期上门看看孤寡老人', category: 'elderly' },
  { text: 'my grandmother lives alone and needs someone to deliver lunch', category: 'elderly' },
  // children
  { text: '娃放暑假了没人带，上班族愁死了😭', category: 'children' },
  { text: '小孩作业不会做，家长也辅导不了，求大学生志愿者', category: 'children' },
  { text: 'can the community run a homework club for kids after school', category: 'children' },
  // disability
  { text: '残疾人出行太难了，楼门口没有无障碍通道', category: 'disability' },
  { text: '我哥是聋哑人，想找点手工活做', category: 'disability' },
  { text: '希望组织自闭症孩子的家长交流会', category: 'disability' },
  // environment
  { text: '拉圾桶满了也没人收，臭死了', category: 'environment' },
  { text: '绿化带里老鼠乱窜，是不是该灭鼠了', category: 'environment' },
  { text: '有人往绿地里倒剩饭剩菜，招苍蝇', category: 'environment' },
  { text: 'rubbish bins by the north gate smell awful', category: 'environment' },
  // space
  { text: '小区能不能多划点停车位，车都停到马路上了', category: 'space' },
  { text: '地下室一直闲置着，改成乒乓球室多好', category: 'space' },
  { text: '楼下那块空地荒着，建个小公园吧', category: 'space' },
  // culture
  { text: '想学太极拳，有没有老师愿意教', category: 'culture' },
  { text: '小区能不能办个乒乓球比赛', category: 'culture' },
  { text: '我们几个老姐妹想成立个舞蹈队', category: 'culture' },
  { text: 'any chance of a reading corner or book swap?', category: 'culture' },
  // safety
  { text: '电瓶车推进电梯上楼充电，出事怎么办', category: 'safety' },
  { text: '楼上又往下扔烟头，晾的衣服都烫了个洞', category: 'safety' },
  { text: '半夜有人撬车锁，监控也看不清', category: 'safety' },
  { text: 'my bike got stolen last night', category: 'safety' },
  // mediation
  { text: '楼上装修天天电钻，周末都不停，跟他们说也没用', category: 'mediation' },
  { text: '隔壁家空调外机滴水滴到我家窗台，吵了好几次架', category: 'mediation' },
  { text: '邻居家狗老是在电梯里尿尿', category: 'mediation' },
  { text: 'the neighbours upstairs are so noisy at night', category: 'mediation' },
  // health
  { text: '社区能不能请医生来讲讲高血压怎么吃药', category: 'health' },
  { text: '流感疫苗在哪打？社区能组织吗', category: 'health' },
  { text: '最近心情特别差，总是焦虑，想找人聊聊', category: 'health' },
  // convenience
  { text: '附近连个修自行车的都没有', category: 'convenience' },
  { text: '能不能拉个团购群买菜', category: 'convenience' },
  { text: '快递老是被放在门口，希望装个快递柜', category: 'convenience' },
  { text: 'pls bring back the barber who came every month', category: 'convenience' },
  // other
  { text: '想问下居住证怎么办理', category: 'other' },
  { text: '社区什么时候发高温补贴', category: 'other' },
];

// A second held-out batch, written after the lexicon and scored once before any tuning
// (first run: see the report in the PR); it stays here as a regression set.
const heldOut2: Labelled[] = [
  { text: '三单元门口的下水井盖没了，晚上太危险', category: 'repair' },
  { text: '我家暖气片不热，打物业电话没人接', category: 'repair' },
  { text: '窗户玻璃被风吹碎了，楼道里到处是玻璃渣', category: 'repair' },
  { text: '2号楼顶漏雨了，家里墙都湿了', category: 'repair' },
  { text: '我想反映一下，小区的路灯晚上十点就关了', category: 'repair' },
  { text: 'the playground slide is broken and kids could get hurt', category: 'repair' },
  { text: '奶奶九十岁了，想请人每周来帮忙洗个澡', category: 'elderly' },
  { text: '老伴走了以后老爷子一个人很孤单，社区有没有人能陪他说说话', category: 'elderly' },
  { text: '老人腿脚不方便，想有人帮忙代买药品和日用品', category: 'elderly' },
  { text: '孩子们放学后在小区里乱跑，能不能开个兴趣班', category: 'children' },
  { text: '初三学生想找人辅导英语', category: 'children' },
  { text: '希望给残障朋友提供一些就业培训', category: 'disability' },
  { text: '轮椅推不上去，楼门口那几级台阶太难了', category: 'disability' },
  { text: '楼下垃圾站夏天臭得要命，苍蝇乱飞', category: 'environment' },
  { text: '小区的树好多年没修剪了，树枝都伸到窗户里了', category: 'environment' },
  { text: 'lots of litter around the bins near gate 2', category: 'environment' },
  { text: '二号院里那片空地能不能改成停车场', category: 'space' },
  { text: '老年活动室太小了，下棋的人都挤不下', category: 'space' },
  { text: '想请社区组织个乒乓球队', category: 'culture' },
  { text: '周末能不能放场露天电影', category: 'culture' },
  { text: '想学葫芦丝，有老师吗', category: 'culture' },
  { text: '晚上小区门口总有人喝酒闹事', category: 'safety' },
  { text: '楼道里停了三辆电瓶车，还插着电', category: 'safety' },
  { text: '有人冒充燃气公司上门收费，大家小心', category: 'safety' },
  { text: "there's a stranger going door to door selling stuff", category: 'safety' },
  { text: '楼下邻居嫌我家孩子吵，天天敲暖气管', category: 'mediation' },
  { text: '隔壁把垃圾堆在我家门口，说了也不听', category: 'mediation' },
  { text: "neighbour's dog keeps pooping in the corridor", category: 'mediation' },
  { text: '想问问社区有没有免费测血压的地方', category: 'health' },
  { text: '孩子老是咳嗽，社区医生什么时候坐诊', category: 'health' },
  { text: '能不能在小区里放个早餐车', category: 'convenience' },
  { text: '附近没有ATM取钱太不方便了', category: 'convenience' },
  { text: '求推荐靠谱的家政阿姨', category: 'convenience' },
  { text: '请问居委会几点下班', category: 'other' },
];

describe('classifyNeed on held-out cases', () => {
  it('held-out accuracy >= 0.9', () => {
    expect(report('held-out', heldOut)).toBeGreaterThanOrEqual(0.9);
  });
  it('second held-out batch accuracy >= 0.9', () => {
    expect(report('held-out 2', heldOut2)).toBeGreaterThanOrEqual(0.9);
  });
});

// --- explicit cases --------------------------------------------------------------------

describe('classifyNeed explicit cases', () => {
  const perCategory: Array<[string, NeedCategory]> = [
    ['3号楼楼道灯坏了', 'repair'],
    ['电梯坏了老人下不了楼', 'repair'],
    ['希望给独居老人送饭', 'elderly'],
    ['孩子放学没人接', 'children'],
    ['楼门口需要修个无障碍坡道', 'disability'],
    ['垃圾分类点臭气熏天', 'environment'],
    ['锅炉房能不能改成活动室', 'space'],
    ['想组建合唱团', 'culture'],
    ['消防通道被车堵了', 'safety'],
    ['楼上邻居太吵了，半夜还在跳', 'mediation'],
    ['想在社区打疫苗', 'health'],
    ['希望有人定期来理发', 'convenience'],
    ['今天天气不错', 'other'],
  ];
  it.each(perCategory)('%s → %s', (text, category) => {
    expect(classifyNeed(text).category).toBe(category);
  });

  it('covers every category in the explicit cases', () => {
    expect(new Set(perCategory.map(([, c]) => c))).toEqual(new Set(needCategories));
  });

  it('the broken object wins over who is affected', () => {
    expect(classifyNeed('电梯坏了老人下不了楼').category).toBe('repair');
    expect(classifyNeed('楼道灯不亮，老人晚上摔了一跤').category).toBe('repair');
    expect(classifyNeed('孩子们玩的滑梯螺丝松了').category).not.toBe('children');
    expect(classifyNeed('停车场的灯坏了好几盏').category).toBe('repair');
    // but equipment that belongs to another category keeps it (as in the dev set)
    expect(classifyNeed('广场上的健身器材坏了好几个').category).toBe('culture');
    expect(classifyNeed('监控是不是坏了，车被偷了').category).toBe('safety');
  });

  it('@-mentions of the bot are not content', () => {
    expect(classifyNeed('@邻里 你好').category).toBe('other');
    expect(classifyNeed('@邻里\u2005电梯坏了').category).toBe('repair');
    expect(classifyNeed('@Linli 楼道灯不亮').concepts).toContain('stair_light');
  });

  it('typos, spacing and emoji', () => {
    expect(classifyNeed('拉圾没人收').category).toBe('environment');
    expect(classifyNeed('电 梯 又 坏 了 😡😡').category).toBe('repair');
    expect(classifyNeed('３号楼楼道灯坏啦！！！').category).toBe('repair');
    expect(classifyNeed('外卖员骑车太快差点撞到孩子').category).toBe('safety');
  });

  it('returns canonical concept keys', () => {
    expect(classifyNeed('希望社区给独居老人送饭').concepts).toContain('meal');
    expect(classifyNeed('独居老人吃饭难，能不能搞个助餐点').concepts).toContain('meal');
    expect(classifyNeed('楼道灯坏了').concepts).toContain('stair_light');
    expect(classifyNeed('楼道里的灯又不亮了').concepts).toContain('stair_light');
    expect(classifyNeed('电梯停运两天了').concepts).toContain('lift');
  });

  it('confidence is in [0,1]; other has low confidence', () => {
    for (const t of ['电梯坏了', '你好', '', '   ', '🙏🙏🙏', 'x'.repeat(5000)]) {
      const r = classifyNeed(t);
      expect(r.confidence).toBeGreaterThanOrEqual(0);
      expect(r.confidence).toBeLessThanOrEqual(1);
    }
    expect(classifyNeed('').category).toBe('other');
    expect(classifyNeed('今天天气不错').confidence).toBeLessThan(0.5);
    expect(classifyNeed('3号楼电梯坏了三天了').confidence).toBeGreaterThan(0.5);
  });

  it('English input', () => {
    expect(classifyNeed('The elevator is broken again').category).toBe('repair');
    expect(classifyNeed('Stairwell light not working in building 3').category).toBe('repair');
    expect(classifyNeed('Elderly neighbours living alone need meals').category).toBe('elderly');
    expect(classifyNeed('Someone is charging an e-bike in the corridor').category).toBe('safety');
    expect(classifyNeed('Dog barking all night next door').category).toBe('mediation');
    expect(classifyNeed('Could we have a free clinic to check blood pressure').category).toBe('health');
    expect(classifyNeed('Need a parcel locker').category).toBe('convenience');
    expect(classifyNeed('Weeds and mosquitoes behind block 5').category).toBe('environment');
    // "lift" only as a word: not inside "uplifting"
    expect(classifyNeed('what an uplifting day').concepts).not.toContain('lift');
  });

  it('Traditional input after conversion', () => {
    const cases: Array<[string, NeedCategory]> = [
      ['電梯按鈕失靈了，請物業儘快維修', 'repair'],
      ['樓道燈壞了一個星期', 'repair'],
      ['希望社區給獨居老人送飯', 'elderly'],
      ['垃圾房旁邊的污水一直流到路上，很臭', 'environment'],
      ['消防通道被私家車堵死了', 'safety'],
      ['樓上鄰居半夜跳繩，太吵了', 'mediation'],
      ['想組建一個合唱團', 'culture'],
      ['社區能不能辦個免費義診', 'health'],
    ];
    for (const [text, category] of cases) {
      expect(classifyNeed(toSimplified(text)).category, text).toBe(category);
    }
  });
});

describe('looksLikeNeed', () => {
  const needs = [
    '电梯坏了',
    '楼道灯不亮',
    '我家天花板漏水',
    '希望社区办个书法班',
    '能不能多装几个快递柜',
    '建议垃圾桶多放几个',
    '楼上太吵了',
    '东门那个坑一直没人管',
    '下水道又堵了',
    '求助：我妈一个人在家摔倒了',
    '@邻里 3号楼2单元楼道灯坏了',
    'the lift is broken',
    '独居老人吃饭难',
    '你好，3号楼电梯坏了',
    '谢谢！楼道灯又不亮了',
    '半夜还在咚咚咚，烦死了',
    '合唱团能不能多排练几次',
    '电 梯 坏 了',
  ];
  const questions = [
    '你好',
    '你好呀',
    '怎么报名',
    '你是谁',
    '谢谢',
    '谢谢你！',
    '怎么报名书法班？',
    '我的志愿时长是多少',
    '明天的活动几点开始',
    '怎么签到',
    'hello',
    'who are you?',
    'thanks',
    '',
    '👍',
    '@邻里 你好',
    '谢谢，电梯修好了',
    '书法班怎么报名？',
    '我报名的活动取消了吗',
    '请假怎么弄',
    '今天天气不错',
  ];
  it.each(needs)('need: %s', (t) => expect(looksLikeNeed(t)).toBe(true));
  it.each(questions)('not a need: %s', (t) => expect(looksLikeNeed(t)).toBe(false));
});

describe('categories', () => {
  it('has the 12 codes in the contract order', () => {
    expect(needCategories).toEqual([
      'elderly', 'children', 'disability', 'environment', 'repair', 'space',
      'culture', 'safety', 'mediation', 'health', 'convenience', 'other',
    ]);
  });

  it('labels', () => {
    const hans = needCategories.map((c) => categoryLabel(c, 'zh-Hans'));
    expect(hans).toEqual([
      '为老服务', '儿童青少年', '助残', '环境卫生', '物业维修', '公共空间',
      '文化体育', '社区安全', '邻里调解', '健康服务', '便民服务', '其他',
    ]);
    expect(categoryLabel('elderly', 'zh-Hant')).toBe('為老服務');
    expect(categoryLabel('repair', 'zh-Hant')).toBe('物業維修');
    expect(categoryLabel('elderly', 'en')).toBe('Elderly care');
    // Traditional labels are the OpenCC conversion of the Simplified ones
    const toHant = OpenCC.Converter({ from: 'cn', to: 'tw' });
    for (const c of needCategories) expect(categoryLabel(c, 'zh-Hant')).toBe(toHant(categoryLabel(c, 'zh-Hans')));
    for (const c of needCategories) expect(categoryLabel(c, 'en').length).toBeGreaterThan(0);
  });

  it('isNeedCategory', () => {
    expect(isNeedCategory('repair')).toBe(true);
    expect(isNeedCategory('Repair')).toBe(false);
    expect(isNeedCategory('物业维修')).toBe(false);
    expect(isNeedCategory(3)).toBe(false);
  });

  it('parseCategory accepts codes, zh labels (both scripts) and English labels', () => {
    for (const c of needCategories) {
      expect(parseCategory(c)).toBe(c);
      expect(parseCategory(categoryLabel(c, 'zh-Hans'))).toBe(c);
      expect(parseCategory(categoryLabel(c, 'zh-Hant'))).toBe(c);
      expect(parseCategory(categoryLabel(c, 'en'))).toBe(c);
    }
    expect(parseCategory('  REPAIR ')).toBe('repair');
    expect(parseCategory('（物业维修）')).toBe('repair');
    expect(parseCategory('elderly care')).toBe('elderly');
    expect(parseCategory('Children and youth')).toBe('children');
    expect(parseCategory('Neighbor mediation')).toBe('mediation');
    expect(parseCategory('')).toBeNull();
    expect(parseCategory('维修啊')).toBeNull();
    expect(parseCategory('toString')).toBeNull();
  });
});
