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

export const demoCommunities = [
  { code: 'HT01', name: '回天一社区', street: '霍营街道', district: '昌平区' },
  { code: 'HT02', name: '回天二社区', street: '霍营街道', district: '昌平区' },
] as const;

export const demoGroups = [
  { id: 'ht01-b3', title: '3号楼邻里群', community: 'HT01', building: '3号楼' },
  { id: 'ht01-all', title: '回天一社区居民群', community: 'HT01', building: undefined },
  { id: 'ht02-all', title: '回天二社区居民群', community: 'HT02', building: undefined },
] as const;

/** Needs already raised when the demo starts: (who, where, text, who else said +1). */
export const demoNeeds = [
  { by: 'liu-daye', group: 'ht01-all', text: '12号楼前面的路砖翘起来了，昨天有老人绊了一跤', plus: ['zhang-ayi'] },
  { by: 'zhang-ayi', group: 'ht01-all', text: '希望社区能给独居老人送饭，我们楼好几位老人做饭不方便', plus: ['liu-daye', 'xiao-li'] },
  { by: 'xiao-li', group: 'ht01-all', text: '小区里电动车在楼道充电，太危险了', plus: [] },
] as const;
