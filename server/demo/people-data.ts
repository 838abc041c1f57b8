// Word lists and region codes for the demo's residents. Synthetic people, real naming habits:
// surname frequencies, given-name characters by generation, the counties floating workers come from.

/** [surname, weight]: western Zhejiang's mix (王 and 陈 first; 章, 俞, 钱, 楼, 应, 盛 common locally). */
export const LOCAL_SURNAMES: readonly (readonly [string, number])[] = [
  ['王', 6.5], ['陈', 5.5], ['张', 4.5], ['李', 3.5], ['吴', 3.2], ['徐', 3.0], ['周', 2.6], ['胡', 2.4],
  ['杨', 2.0], ['朱', 2.0], ['章', 1.8], ['俞', 1.8], ['钱', 1.6], ['何', 1.6], ['方', 1.5], ['汪', 1.5],
  ['潘', 1.4], ['叶', 1.4], ['金', 1.4], ['沈', 1.3], ['刘', 1.3], ['姚', 1.2], ['楼', 1.2], ['黄', 1.2],
  ['应', 1.1], ['盛', 1.0], ['洪', 1.0], ['郑', 1.0], ['赵', 1.0], ['孙', 0.9], ['许', 0.9], ['程', 0.9],
  ['蒋', 0.8], ['童', 0.8], ['葛', 0.7], ['邵', 0.7], ['余', 0.7], ['马', 0.6], ['林', 0.6], ['毛', 0.6],
  ['严', 0.6], ['骆', 0.5], ['冯', 0.5], ['唐', 0.5], ['宋', 0.5], ['谢', 0.5], ['蔡', 0.5], ['丁', 0.5],
  ['吕', 0.5], ['施', 0.5], ['韩', 0.4], ['凌', 0.4], ['卢', 0.4], ['陆', 0.4], ['夏', 0.4], ['江', 0.4],
  ['袁', 0.4], ['詹', 0.3], ['舒', 0.3], ['邱', 0.3], ['范', 0.3], ['顾', 0.3], ['鲍', 0.3], ['柴', 0.3],
  ['项', 0.3], ['帅', 0.2], ['屠', 0.2], ['厉', 0.2], ['储', 0.2], ['喻', 0.2], ['樊', 0.2], ['裘', 0.2],
];

/** [surname, weight]: the national frequency list (for people from other provinces). */
export const NATIONAL_SURNAMES: readonly (readonly [string, number])[] = [
  ['王', 7.12], ['李', 7.0], ['张', 6.74], ['刘', 5.1], ['陈', 4.61], ['杨', 3.22], ['黄', 2.45], ['赵', 2.29],
  ['吴', 2.05], ['周', 1.99], ['徐', 1.62], ['孙', 1.48], ['马', 1.44], ['朱', 1.38], ['胡', 1.32], ['郭', 1.2],
  ['何', 1.14], ['林', 1.13], ['高', 1.08], ['罗', 1.04], ['郑', 0.93], ['梁', 0.92], ['谢', 0.81], ['宋', 0.76],
  ['唐', 0.76], ['许', 0.69], ['韩', 0.68], ['冯', 0.66], ['邓', 0.65], ['曹', 0.63], ['彭', 0.61], ['曾', 0.59],
  ['肖', 0.57], ['田', 0.55], ['董', 0.54], ['袁', 0.53], ['潘', 0.52], ['于', 0.52], ['蒋', 0.51], ['蔡', 0.5],
  ['余', 0.49], ['杜', 0.48], ['叶', 0.48], ['程', 0.47], ['苏', 0.46], ['魏', 0.45], ['吕', 0.44], ['丁', 0.43],
  ['任', 0.42], ['沈', 0.41], ['姚', 0.4], ['卢', 0.39], ['姜', 0.38], ['崔', 0.37], ['钟', 0.36], ['谭', 0.35],
  ['陆', 0.34], ['汪', 0.33], ['范', 0.32], ['金', 0.31], ['石', 0.3], ['廖', 0.29], ['贾', 0.28], ['夏', 0.27],
  ['韦', 0.26], ['付', 0.25], ['方', 0.24], ['白', 0.23], ['邹', 0.22], ['孟', 0.21], ['熊', 0.2], ['秦', 0.2],
  ['邱', 0.19], ['江', 0.19], ['尹', 0.18], ['薛', 0.18], ['闫', 0.17], ['段', 0.17], ['雷', 0.16], ['侯', 0.16],
  ['龙', 0.15], ['史', 0.15], ['陶', 0.14], ['黎', 0.14], ['贺', 0.13], ['顾', 0.13], ['毛', 0.12], ['郝', 0.12],
  ['龚', 0.12], ['邵', 0.11], ['万', 0.11], ['钱', 0.11], ['严', 0.1], ['覃', 0.1], ['武', 0.1], ['戴', 0.1],
];

/** Given-name characters by birth cohort and sex: [first characters, second characters]. */
export type Cohort = 'old' | 'mid' | 'young' | 'child';
export const GIVEN_CHARS: Record<Cohort, Record<'male' | 'female', readonly [string, string]>> = {
  // Born before 1960: 建国, 金根, 水根, 秀英, 桂兰 …
  old: {
    male: ['建国德永金水荣福长志忠树炳锡宝寿仁有家明新土春木发文顺', '国华明根林生发富荣才祥法海清元兴良贵全昌龙成民忠强泉山田'],
    female: ['秀桂玉金美彩月素凤爱宝菊雪银杏春冬梅翠小', '英兰珍芳花娟琴仙妹娥凤娣云莲珠香梅菊玉仙'],
  },
  // 1960–1989: 建军, 海平, 晓东, 丽萍, 海燕 …
  mid: {
    male: ['建志国海伟卫晓永立红小新宏俊文剑军明利振学向春东云', '军强平明华东伟斌峰勇刚林杰涛波辉亮红兵锋忠新荣飞龙'],
    female: ['丽美晓红海秀雪春玲建小彩慧燕亚雅爱素秋莉', '芳萍琴英红燕霞丽娟敏华玲艳娜芬珍莉静平兰'],
  },
  // 1990–2009: 子豪, 俊杰, 佳怡, 思雨 …
  young: {
    male: ['子浩俊宇家天嘉鑫佳泽文志晨一博明思凯', '杰豪宇涛鹏轩辰阳然航辉磊帆伟超浩威楠'],
    female: ['欣佳梦雨思诗晓婷雅静心文舒可子怡', '怡琪婷颖雯洁瑶悦妍倩丹璐蕾菲琳月宁萱'],
  },
  // 2010 on: 梓轩, 宇宸, 语涵, 一诺 …
  child: {
    male: ['梓子宇浩皓俊一睿奕宸泽铭沐逸煜锦嘉景承', '轩宸辰睿泽航铭阳涵杰浩骁霖川恒翔瑞琛'],
    female: ['梓欣语一可诗雨思若紫馨依芷沐佳安书晨', '涵萱琪彤怡悦汐然诺妍菲瑶晴宁琳冉月桐'],
  },
};

/** Lin'an district's own code: registered residents' ID numbers mostly start with it. */
export const LOCAL_REGION = { code: '330112', name: '浙江省杭州市临安区' } as const;

/**
 * Where spouses who married in were born (their ID numbers keep the birthplace): neighbouring
 * counties of Zhejiang and, across the border, of southern Anhui.
 */
export const MARRIED_IN_REGIONS: readonly (readonly [string, string])[] = [
  ['330106', '浙江省杭州市西湖区'],
  ['330110', '浙江省杭州市余杭区'],
  ['330122', '浙江省杭州市桐庐县'],
  ['330127', '浙江省杭州市淳安县'],
  ['330182', '浙江省杭州市建德市'],
  ['330523', '浙江省湖州市安吉县'],
  ['330824', '浙江省衢州市开化县'],
  ['341824', '安徽省宣城市绩溪县'],
  ['341881', '安徽省宣城市宁国市'],
  ['341021', '安徽省黄山市歙县'],
];

export interface OriginRegion {
  code: string;
  name: string;
  weight: number;
  /** Ethnic groups besides 汉族 with their shares, for autonomous prefectures. */
  minorities?: readonly (readonly [string, number])[];
}

/**
 * Home counties of the floating population: Anhui across the border first, then Jiangxi, Henan,
 * Guizhou, Sichuan, Chongqing… Weights are shares in per cent.
 */
export const ORIGIN_REGIONS: readonly OriginRegion[] = [
  { code: '341802', name: '安徽省宣城市宣州区', weight: 3 },
  { code: '341881', name: '安徽省宣城市宁国市', weight: 2.5 },
  { code: '341824', name: '安徽省宣城市绩溪县', weight: 2.5 },
  { code: '341882', name: '安徽省宣城市广德市', weight: 2 },
  { code: '341021', name: '安徽省黄山市歙县', weight: 2.5 },
  { code: '341022', name: '安徽省黄山市休宁县', weight: 1.5 },
  { code: '341221', name: '安徽省阜阳市临泉县', weight: 3 },
  { code: '341222', name: '安徽省阜阳市太和县', weight: 2.5 },
  { code: '341225', name: '安徽省阜阳市阜南县', weight: 2.5 },
  { code: '341522', name: '安徽省六安市霍邱县', weight: 2.5 },
  { code: '340822', name: '安徽省安庆市怀宁县', weight: 2 },
  { code: '341623', name: '安徽省亳州市利辛县', weight: 2 },
  { code: '341322', name: '安徽省宿州市萧县', weight: 1.5 },
  { code: '361128', name: '江西省上饶市鄱阳县', weight: 3 },
  { code: '361127', name: '江西省上饶市余干县', weight: 2.5 },
  { code: '361123', name: '江西省上饶市玉山县', weight: 2 },
  { code: '360428', name: '江西省九江市都昌县', weight: 2.5 },
  { code: '360731', name: '江西省赣州市于都县', weight: 2 },
  { code: '361002', name: '江西省抚州市临川区', weight: 2 },
  { code: '411525', name: '河南省信阳市固始县', weight: 3 },
  { code: '411524', name: '河南省信阳市商城县', weight: 2 },
  { code: '411625', name: '河南省周口市郸城县', weight: 2.5 },
  { code: '411722', name: '河南省驻马店市上蔡县', weight: 2 },
  { code: '411381', name: '河南省南阳市邓州市', weight: 2 },
  { code: '411481', name: '河南省商丘市永城市', weight: 1.5 },
  { code: '511324', name: '四川省南充市仪陇县', weight: 2 },
  { code: '511725', name: '四川省达州市渠县', weight: 2 },
  { code: '511621', name: '四川省广安市岳池县', weight: 1.5 },
  { code: '511923', name: '四川省巴中市平昌县', weight: 1.5 },
  { code: '512021', name: '四川省资阳市安岳县', weight: 1.5 },
  { code: '513401', name: '四川省凉山彝族自治州西昌市', weight: 1.5, minorities: [['彝族', 0.4]] },
  { code: '520502', name: '贵州省毕节市七星关区', weight: 2.5, minorities: [['彝族', 0.08], ['苗族', 0.05]] },
  { code: '520524', name: '贵州省毕节市织金县', weight: 2, minorities: [['苗族', 0.12], ['彝族', 0.05]] },
  { code: '520624', name: '贵州省铜仁市思南县', weight: 2, minorities: [['土家族', 0.3]] },
  { code: '522601', name: '贵州省黔东南苗族侗族自治州凯里市', weight: 2.5, minorities: [['苗族', 0.4], ['侗族', 0.15]] },
  { code: '522701', name: '贵州省黔南布依族苗族自治州都匀市', weight: 1.5, minorities: [['布依族', 0.3], ['苗族', 0.15]] },
  { code: '522301', name: '贵州省黔西南布依族苗族自治州兴义市', weight: 1.5, minorities: [['布依族', 0.3], ['苗族', 0.08]] },
  { code: '500101', name: '重庆市万州区', weight: 2 },
  { code: '500235', name: '重庆市云阳县', weight: 2 },
  { code: '500236', name: '重庆市奉节县', weight: 2 },
  { code: '421125', name: '湖北省黄冈市浠水县', weight: 2 },
  { code: '421181', name: '湖北省黄冈市麻城市', weight: 2 },
  { code: '530627', name: '云南省昭通市镇雄县', weight: 3 },
  { code: '330824', name: '浙江省衢州市开化县', weight: 2 },
  { code: '330327', name: '浙江省温州市苍南县', weight: 1.5 },
  { code: '331127', name: '浙江省丽水市景宁畲族自治县', weight: 1.5, minorities: [['畲族', 0.15]] },
  { code: '320321', name: '江苏省徐州市丰县', weight: 1.5 },
  { code: '620522', name: '甘肃省天水市秦安县', weight: 1.5 },
];

/** Where returnees came back from (the place they worked). */
export const RETURN_FROM: readonly string[] = [
  '上海市', '北京市', '广东省深圳市', '广东省广州市', '广东省东莞市', '江苏省苏州市', '江苏省南京市',
  '湖北省武汉市', '浙江省宁波市', '浙江省义乌市', '福建省厦门市', '四川省成都市', '天津市', '海南省三亚市',
];

/** Residential compounds in the streets' communities: a prefix from the community's name and a suffix. */
export const COMPOUND_SUFFIXES: readonly string[] = ['苑', '花园', '家园', '小区', '公寓', '新村', '府', '雅居', '名邸', '嘉园'];
/** Fictional employers whose dormitories house floating workers in the streets. */
export const EMPLOYERS: readonly string[] = ['锦达电子', '临光机械', '天目新材', '青山精工', '恒远光电', '苕溪纺织', '安信电缆', '东湖食品', '华临竹木', '瑞丰汽配'];

/** The first three digits of mainland mobile numbers, all carriers. */
export const MOBILE_PREFIXES: readonly string[] = [
  '134', '135', '136', '137', '138', '139', '147', '150', '151', '152', '157', '158', '159', '178', '182', '183',
  '184', '187', '188', '198', '130', '131', '132', '155', '156', '166', '175', '176', '185', '186', '133', '149',
  '153', '173', '177', '180', '181', '189', '191', '199',
];
