/**
 * Need categories: the contract from shared/domain.md ("Need categories").
 * Codes are stored; labels are what residents and workers see.
 */

export const needCategories = [
  'elderly',
  'children',
  'disability',
  'environment',
  'repair',
  'space',
  'culture',
  'safety',
  'mediation',
  'health',
  'convenience',
  'other',
] as const;

export type NeedCategory = (typeof needCategories)[number];

export type CategoryLocale = 'zh-Hans' | 'zh-Hant' | 'en';

const labels: Readonly<Record<NeedCategory, Readonly<Record<CategoryLocale, string>>>> = {
  elderly: { 'zh-Hans': '为老服务', 'zh-Hant': '為老服務', en: 'Elderly care' },
  children: { 'zh-Hans': '儿童青少年', 'zh-Hant': '兒童青少年', en: 'Children & youth' },
  disability: { 'zh-Hans': '助残', 'zh-Hant': '助殘', en: 'Disability support' },
  environment: { 'zh-Hans': '环境卫生', 'zh-Hant': '環境衛生', en: 'Environment & sanitation' },
  repair: { 'zh-Hans': '物业维修', 'zh-Hant': '物業維修', en: 'Property repairs' },
  space: { 'zh-Hans': '公共空间', 'zh-Hant': '公共空間', en: 'Public space' },
  culture: { 'zh-Hans': '文化体育', 'zh-Hant': '文化體育', en: 'Culture & sports' },
  safety: { 'zh-Hans': '社区安全', 'zh-Hant': '社區安全', en: 'Community safety' },
  mediation: { 'zh-Hans': '邻里调解', 'zh-Hant': '鄰里調解', en: 'Neighbour mediation' },
  health: { 'zh-Hans': '健康服务', 'zh-Hant': '健康服務', en: 'Health services' },
  convenience: { 'zh-Hans': '便民服务', 'zh-Hant': '便民服務', en: 'Convenience services' },
  other: { 'zh-Hans': '其他', 'zh-Hant': '其他', en: 'Other' },
};

const categorySet: ReadonlySet<string> = new Set(needCategories);

export function isNeedCategory(s: unknown): s is NeedCategory {
  return typeof s === 'string' && categorySet.has(s);
}

export function categoryLabel(code: NeedCategory, locale: CategoryLocale = 'zh-Hans'): string {
  return labels[code][locale];
}

/** Lower-case, drop spaces, brackets, '#', and spell '&' as 'and'. */
function normalizeInput(input: string): string {
  return input
    .normalize('NFKC')
    .trim()
    .toLowerCase()
    .replace(/&/g, 'and')
    .replace(/[\s#"'“”‘’()（）[\]【】<>《》「」:：,，.。!！?？_\-]+/g, '');
}

const parseIndex: ReadonlyMap<string, NeedCategory> = (() => {
  const m = new Map<string, NeedCategory>();
  for (const code of needCategories) {
    m.set(normalizeInput(code), code);
    for (const label of Object.values(labels[code])) m.set(normalizeInput(label), code);
  }
  // British/American spelling of the one English label that differs.
  m.set(normalizeInput('Neighbor mediation'), 'mediation');
  return m;
})();

/**
 * Parse a worker's category input: a code (`repair`), a Chinese label in Simplified
 * or Traditional (`物业维修`, `物業維修`) or the English label (`Property repairs`).
 * Case, spaces, brackets and `&`/`and` are forgiven. Returns null when unknown.
 */
export function parseCategory(input: string): NeedCategory | null {
  if (typeof input !== 'string') return null;
  const key = normalizeInput(input);
  if (key === '') return null;
  return parseIndex.get(key) ?? null;
}
