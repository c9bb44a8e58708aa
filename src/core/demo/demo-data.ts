import type { NeedCategory } from '../needs/categories.ts';

/** The people of the demo, as the web chat's persona switcher shows them. */
export interface Persona {
  id: string;
  name: string;
  role: 'resident' | 'volunteer' | 'worker' | 'org';
  roleLabel: string;
  avatar: string;
}

export const demoPersonas: readonly Persona[] = [
  { id: 'zhang-ayi', name: '张阿姨', role: 'resident', roleLabel: '居民 · 3号楼', avatar: '👵' },
  { id: 'liu-daye', name: '刘大爷', role: 'resident', roleLabel: '居民 · 3号楼', avatar: '👴' },
  { id: 'xiao-li', name: '小李', role: 'volunteer', roleLabel: '志愿者', avatar: '🙋' },
  { id: 'wang-shuji', name: '王书记', role: 'worker', roleLabel: '社区工作者', avatar: '👩‍💼' },
  { id: 'chen-laoshi', name: '陈老师', role: 'org', roleLabel: '夕阳天使志愿服务队', avatar: '👩‍🏫' },
  { id: 'zhou-jingli', name: '周经理', role: 'org', roleLabel: '辖区单位 · 回天超市', avatar: '🧑‍💼' },
];

/**
 * Neighbours who are in the demo's records but not in the persona switcher (web accounts nobody
 * types as): residents who raised needs, said +1, rated and voted, and volunteers.
 */
export const demoNeighbours = [
  { id: 'demo-li-nainai', name: '李奶奶' },
  { id: 'demo-zhao-shushu', name: '赵叔叔' },
  { id: 'demo-sun-ayi', name: '孙阿姨' },
  { id: 'demo-zhou-dage', name: '周大哥' },
  { id: 'demo-wu-laoshi', name: '吴老师' },
  { id: 'demo-zheng-ayi', name: '郑阿姨' },
  { id: 'demo-ma-shifu', name: '马师傅' },
  { id: 'demo-he-tongxue', name: '何同学' },
  { id: 'demo-xiao-wang', name: '小王' },
  { id: 'demo-xiao-chen', name: '小陈' },
  { id: 'demo-xiao-liu', name: '小刘' },
  { id: 'demo-yang-jie', name: '杨姐' },
] as const;

export const demoCommunities = [
  { code: 'HT01', name: '回天一社区', street: '霍营街道', district: '昌平区' },
  { code: 'HT02', name: '回天二社区', street: '霍营街道', district: '昌平区' },
] as const;

export const demoGroups = [
  { id: 'ht01-b3', title: '3号楼邻里群', community: 'HT01', building: '3号楼' },
  { id: 'ht01-all', title: '回天一社区居民群', community: 'HT01', building: undefined },
  { id: 'ht02-all', title: '回天二社区居民群', community: 'HT02', building: undefined },
] as const;

/** A need of the demo: who raised it, in which group, how many days before the load day, who said +1. */
export interface DemoNeed {
  /** The category the text is about (the classifier reads it; the loader corrects it as a worker would if it reads otherwise). */
  category: NeedCategory;
  by: string;
  group: string;
  daysAgo: number;
  text: string;
  plus: readonly string[];
  /** A key the demo's projects refer to. */
  key?: string;
}

/**
 * Three months of needs in 回天一社区, every category at least twice, oldest first. The first three
 * are the needs the demo always had (the web chat's examples refer to them).
 */
export const demoNeeds: readonly DemoNeed[] = [
  { category: 'repair', by: 'liu-daye', group: 'ht01-all', daysAgo: 88, text: '12号楼前面的路砖翘起来了，昨天有老人绊了一跤', plus: ['zhang-ayi', 'demo-li-nainai'] },
  { category: 'elderly', by: 'zhang-ayi', group: 'ht01-all', daysAgo: 86, text: '希望社区能给独居老人送饭，我们楼好几位老人做饭不方便', plus: ['liu-daye', 'xiao-li', 'demo-li-nainai', 'demo-sun-ayi'] },
  { category: 'safety', by: 'xiao-li', group: 'ht01-all', daysAgo: 84, text: '小区里电动车在楼道充电，太危险了', plus: ['demo-zhao-shushu'] },
  { category: 'health', by: 'demo-li-nainai', group: 'ht01-all', daysAgo: 80, text: '希望社区组织义诊，给老人量量血压', plus: ['zhang-ayi', 'liu-daye', 'demo-zheng-ayi', 'demo-sun-ayi', 'demo-ma-shifu'], key: 'clinic' },
  { category: 'children', by: 'demo-wu-laoshi', group: 'ht01-all', daysAgo: 77, text: '放学后孩子没人管，希望社区办个四点半课堂', plus: ['demo-zhou-dage', 'demo-sun-ayi'] },
  { category: 'environment', by: 'demo-zhao-shushu', group: 'ht01-all', daysAgo: 74, text: '垃圾分类点每天都堆满了，味道很大', plus: ['liu-daye'] },
  { category: 'disability', by: 'demo-zheng-ayi', group: 'ht01-all', daysAgo: 71, text: '社区卫生站门口没有无障碍坡道，轮椅上不去', plus: ['demo-li-nainai', 'zhang-ayi'] },
  { category: 'culture', by: 'zhang-ayi', group: 'ht01-b3', daysAgo: 68, text: '想在社区成立一个合唱队，大家一起唱歌', plus: ['demo-sun-ayi', 'demo-zheng-ayi'] },
  { category: 'convenience', by: 'liu-daye', group: 'ht01-b3', daysAgo: 65, text: '希望社区每个月有一次免费理发', plus: ['demo-ma-shifu', 'demo-li-nainai'] },
  { category: 'mediation', by: 'demo-sun-ayi', group: 'ht01-all', daysAgo: 62, text: '楼上邻居每天半夜还在跳绳，噪音太大，沟通了几次也没用', plus: [] },
  { category: 'space', by: 'demo-zhou-dage', group: 'ht01-all', daysAgo: 59, text: '地下室一直空着，能不能改成居民活动室', plus: ['demo-wu-laoshi', 'zhang-ayi', 'demo-he-tongxue'] },
  { category: 'other', by: 'demo-ma-shifu', group: 'ht01-all', daysAgo: 56, text: '想问一下社区居委会周末几点有人办事', plus: [] },
  { category: 'elderly', by: 'demo-sun-ayi', group: 'ht01-all', daysAgo: 53, text: '能不能定期有人上门看看独居的老人，陪他们聊聊天', plus: ['zhang-ayi', 'liu-daye', 'demo-li-nainai'], key: 'visits' },
  { category: 'repair', by: 'demo-zheng-ayi', group: 'ht01-all', daysAgo: 50, text: '7号楼电梯老是坏，老人上下楼很困难', plus: ['demo-li-nainai', 'liu-daye', 'demo-zhao-shushu'] },
  { category: 'environment', by: 'demo-he-tongxue', group: 'ht01-all', daysAgo: 47, text: '小区绿化带里有很多烟头和塑料袋，希望组织大家清理一下', plus: ['xiao-li', 'demo-zhou-dage'], key: 'greenbelt' },
  { category: 'safety', by: 'demo-zhou-dage', group: 'ht01-all', daysAgo: 44, text: '消防通道总是被私家车堵住', plus: ['demo-ma-shifu', 'demo-zhao-shushu'] },
  { category: 'children', by: 'demo-sun-ayi', group: 'ht01-all', daysAgo: 41, text: '暑假能不能组织孩子们参加夏令营活动', plus: ['demo-wu-laoshi'] },
  { category: 'health', by: 'demo-zheng-ayi', group: 'ht01-all', daysAgo: 38, text: '想了解流感疫苗在哪里打，能不能组织集体接种', plus: ['demo-li-nainai'] },
  { category: 'culture', by: 'demo-wu-laoshi', group: 'ht01-all', daysAgo: 35, text: '希望社区开个书法班，大家一起练字', plus: ['liu-daye'] },
  { category: 'mediation', by: 'demo-zhao-shushu', group: 'ht01-all', daysAgo: 32, text: '邻居家的狗不拴绳，还在单元门口随地大小便，说了也不听', plus: [] },
  { category: 'disability', by: 'demo-li-nainai', group: 'ht01-all', daysAgo: 29, text: '小区盲道被车占了，视障邻居没法走', plus: ['demo-zheng-ayi'] },
  { category: 'convenience', by: 'demo-he-tongxue', group: 'ht01-all', daysAgo: 26, text: '小区里没有快递柜，取快递很不方便', plus: ['xiao-li', 'demo-zhou-dage', 'demo-wu-laoshi'] },
  { category: 'space', by: 'demo-ma-shifu', group: 'ht01-all', daysAgo: 23, text: '自行车棚太乱了，好多僵尸车，想重新规划一下', plus: ['demo-zhao-shushu'] },
  { category: 'other', by: 'demo-wu-laoshi', group: 'ht01-all', daysAgo: 20, text: '建议社区公众号多发点通知', plus: ['demo-he-tongxue'] },
  { category: 'elderly', by: 'liu-daye', group: 'ht01-b3', daysAgo: 17, text: '8号楼的王奶奶腿脚不好，想找人陪她去医院复查', plus: ['zhang-ayi'] },
  { category: 'children', by: 'demo-zhou-dage', group: 'ht01-all', daysAgo: 14, text: '想找志愿者给初中生辅导数学作业', plus: ['demo-sun-ayi'] },
  { category: 'environment', by: 'zhang-ayi', group: 'ht01-b3', daysAgo: 11, text: '5号楼后面草坪杂草太多，蚊子特别多', plus: ['liu-daye'] },
  { category: 'safety', by: 'demo-sun-ayi', group: 'ht01-all', daysAgo: 8, text: '有人从楼上往下扔东西，太危险了', plus: ['zhang-ayi', 'demo-zheng-ayi'] },
  { category: 'health', by: 'demo-zhao-shushu', group: 'ht01-all', daysAgo: 6, text: '有些居民心理压力大，希望有心理咨询服务', plus: [] },
  // Two reports of one problem in other words: the first step of the console's "try this" list merges them.
  { category: 'repair', by: 'demo-ma-shifu', group: 'ht01-all', daysAgo: 4, text: '东门的路灯坏了，晚上出门黑乎乎的', plus: ['demo-he-tongxue'], key: 'lamp1' },
  { category: 'repair', by: 'xiao-li', group: 'ht01-all', daysAgo: 2, text: '东门口晚上太暗了，走路都看不清，上周有人摔了', plus: ['demo-zhou-dage'], key: 'lamp2' },
  { category: 'culture', by: 'demo-he-tongxue', group: 'ht01-all', daysAgo: 1, text: '希望社区建一个图书角，大家可以借书看', plus: [] },
];

/** 回天二社区's needs: a few, so the street's roll-up compares two communities. */
export const demoNeedsHT02: readonly DemoNeed[] = [
  { category: 'repair', by: 'demo-zhou-dage', group: 'ht02-all', daysAgo: 70, text: '2号楼单元门的门禁坏了，谁都能进', plus: [] },
  { category: 'elderly', by: 'demo-zheng-ayi', group: 'ht02-all', daysAgo: 45, text: '希望社区办个老年食堂，老人中午能吃口热饭', plus: [] },
  { category: 'environment', by: 'demo-ma-shifu', group: 'ht02-all', daysAgo: 30, text: '小区垃圾桶太少了，经常满出来', plus: [] },
  { category: 'convenience', by: 'demo-wu-laoshi', group: 'ht02-all', daysAgo: 12, text: '想请师傅来社区修鞋、磨刀', plus: [] },
  { category: 'culture', by: 'demo-sun-ayi', group: 'ht02-all', daysAgo: 3, text: '健身器材太少，希望多装几个', plus: [] },
];

/** Years of service before Linli, carried into the ledger once: they give the demo's volunteers their stars. */
export const demoCarriedHours = [
  { who: 'xiao-li', hours: 126 },
  { who: 'chen-laoshi', hours: 318 },
  { who: 'demo-yang-jie', hours: 642 },
] as const;
