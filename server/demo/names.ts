// Word lists for the synthetic district: plausible place names and personal names, no real people.

/** A small, fast, seedable PRNG (mulberry32): the same seed gives the same district every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
export type Rng = () => number;

export const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;

// Common surnames, weighted towards those frequent in western Zhejiang (钱, 俞, 章, 楼, 应 …).
const SURNAMES = [
  '王',
  '李',
  '张',
  '刘',
  '陈',
  '杨',
  '黄',
  '赵',
  '吴',
  '周',
  '徐',
  '孙',
  '马',
  '朱',
  '胡',
  '郭',
  '何',
  '林',
  '罗',
  '郑',
  '梁',
  '谢',
  '宋',
  '唐',
  '许',
  '韩',
  '冯',
  '邓',
  '曹',
  '彭',
  '曾',
  '沈',
  '潘',
  '蒋',
  '蔡',
  '余',
  '叶',
  '程',
  '汪',
  '方',
  '金',
  '钱',
  '俞',
  '章',
  '楼',
  '应',
  '洪',
  '毛',
  '姚',
  '盛',
  '童',
  '严',
  '葛',
  '骆',
  '陈',
  '王',
  '张',
  '李',
  '吴',
  '徐',
  '俞',
  '钱',
  '章',
] as const;
const GIVEN = [
  '伟',
  '芳',
  '娜',
  '敏',
  '静',
  '丽',
  '强',
  '磊',
  '军',
  '洋',
  '勇',
  '艳',
  '杰',
  '涛',
  '明',
  '超',
  '霞',
  '平',
  '刚',
  '桂英',
  '建国',
  '建华',
  '国庆',
  '志强',
  '海燕',
  '秀英',
  '红梅',
  '晓东',
  '卫东',
  '春华',
  '德明',
  '永福',
  '金根',
  '水根',
  '雪琴',
  '美华',
  '建军',
  '立新',
  '新民',
  '玉兰',
  '文斌',
  '俊杰',
  '晓燕',
  '丽萍',
  '宏伟',
  '志刚',
  '海平',
  '云飞',
  '佳怡',
  '梓涵',
  '浩然',
  '欣怡',
  '一鸣',
  '子豪',
  '思远',
  '婷婷',
  '慧敏',
  '国华',
  '荣根',
  '彩凤',
] as const;

export const personName = (rng: Rng) => pick(rng, SURNAMES) + pick(rng, GIVEN);

// Village names: a first and a second character, as hill-country villages are named (东坞, 白沙, 石门 …).
const VILLAGE_A = [
  '东',
  '西',
  '南',
  '北',
  '上',
  '下',
  '前',
  '后',
  '大',
  '小',
  '高',
  '长',
  '青',
  '白',
  '石',
  '竹',
  '桃',
  '杨',
  '柳',
  '梅',
  '金',
  '龙',
  '凤',
  '马',
  '双',
  '九',
  '花',
  '云',
  '平',
  '和',
  '横',
  '徐',
  '潘',
  '胡',
  '朱',
  '吴',
  '章',
  '洪',
  '汪',
  '方',
  '紫',
  '黄',
  '红',
  '新',
  '太',
  '干',
  '枫',
  '松',
  '茶',
  '银',
] as const;
const VILLAGE_B = [
  '坞',
  '岭',
  '溪',
  '桥',
  '山',
  '塘',
  '坑',
  '口',
  '源',
  '田',
  '湾',
  '坂',
  '川',
  '庄',
  '头',
  '峰',
  '畈',
  '岗',
  '林',
  '家',
  '阳',
  '里',
  '亭',
  '圩',
  '渡',
  '滩',
  '门',
  '岩',
  '泉',
  '丰',
] as const;
// Community (社区) names in the streets: townscape words.
const COMMUNITY_A = [
  '锦',
  '城',
  '石',
  '苕',
  '吴',
  '钱',
  '玲',
  '青',
  '华',
  '雅',
  '新',
  '翠',
  '临',
  '安',
  '东',
  '西',
  '南',
  '北',
  '湖',
  '溪',
  '衣',
  '武',
  '江',
  '畔',
] as const;
const COMMUNITY_B = [
  '苑',
  '园',
  '湖',
  '溪',
  '桥',
  '山',
  '庭',
  '府',
  '景',
  '城',
  '街',
  '门',
  '丰',
  '源',
  '泉',
  '星',
  '墅',
  '洲',
] as const;

/** A name not used yet in the district: two characters plus 村 or 社区. */
export function placeName(rng: Rng, used: Set<string>, community: boolean): string {
  const [a, b, suffix] = community ? [COMMUNITY_A, COMMUNITY_B, '社区'] : [VILLAGE_A, VILLAGE_B, '村'];
  for (let attempt = 0; ; attempt++) {
    const first = pick(rng, a);
    const second = pick(rng, b);
    if (first === second) continue;
    // After many collisions (only at scales far beyond a district) a numeral keeps names unique.
    const name = first + second + (attempt > 200 ? chineseNumber(attempt - 200) : '') + suffix;
    if (!used.has(name)) {
      used.add(name);
      return name;
    }
  }
}

const DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'] as const;

/** 1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 35 → 三十五 (enough for grids in a village). */
export function chineseNumber(n: number): string {
  if (n < 10) return DIGITS[n]!;
  if (n < 100) {
    const tens = Math.floor(n / 10);
    const ones = n % 10;
    return (tens === 1 ? '' : DIGITS[tens]!) + '十' + (ones === 0 ? '' : DIGITS[ones]!);
  }
  return String(n);
}
