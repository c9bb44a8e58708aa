/**
 * Offline need classifier: a hand-made weighted lexicon of concepts, matched as substrings
 * (Chinese has no spaces) with a precompiled character trie, leftmost-longest.
 *
 * Input is Simplified Chinese (the caller converts Traditional first) or English.
 *
 * How a category is chosen:
 *  - every concept found adds its weight to its category, once per concept;
 *  - the thing the need is about (a broken lift, a meal service, a fire lane) carries weight 2–4,
 *    who is affected (老人, 孩子, 邻居) only 0.5–1: so "电梯坏了老人下不了楼" is repair;
 *  - a few combinations make a stronger concept (楼道 + 灯 → stair_light, 陪 + 医院 → escort);
 *  - ties go to the category with the heaviest single concept, then to the one named first.
 */
import { needCategories, type NeedCategory } from './categories.ts';
import { committedModel } from '../understanding/offline-model.ts';

export interface NeedClassification {
  category: NeedCategory;
  /** 0..1: how sure we are of `category` (low for `other`). */
  confidence: number;
  /** canonical concept keys found, in order of first appearance */
  concepts: string[];
}

// Flags on a concept.
const GENERIC = 1; // who/where/how, not what: not used as a topic for near-duplicates
const PROBLEM = 2; // reads like a complaint (坏了, 漏水, 太吵 …)
const WISH = 4; // reads like a request (希望, 能不能, 建议 …)
const ASK = 8; // reads like a question about the bot itself (怎么报名, 你是谁, 签到 …)
const CUE = 16; // cue only: never listed in `concepts`
const GREET = 32; // greeting or thanks: neutral, neither need nor question
const FIXED = 64; // says something was fixed (修好了)

type Cat = NeedCategory | null;

/**
 * [key, category, weight, terms, flags]. Terms are '|'-separated; 'term=2' overrides the
 * weight for that term. ASCII terms match whole words (a trailing s/es is allowed);
 * a trailing '*' lets an ASCII term match as a prefix.
 */
type Row = readonly [key: string, cat: Cat, weight: number, terms: string, flags?: number];

const LEXICON: readonly Row[] = [
  // ---- repair 物业维修: the broken thing ----
  ['lift', 'repair', 2.5, '电梯|升降梯|直梯|lift|elevator'],
  ['stair_light', 'repair', 3, '楼道灯|楼梯灯|走廊灯|声控灯|感应灯|楼道照明|stairwell light|stair light|hallway light|corridor light'],
  ['light', 'repair', 2, '灯|灯泡|灯管|照明|不亮|黑乎乎|黑漆漆|黑咕隆咚|太黑|light|lights|lamp|bulb'],
  ['street_light', 'repair', 3, '路灯|street light|streetlight'],
  ['leak', 'repair', 3, '漏水|渗水|返水|冒水|漏雨|水管|爆管|水漫|天花板|墙皮|受潮|泡了|leak|leaking|leaky|burst pipe|ceiling', PROBLEM],
  ['drip', 'repair', 1, '滴水|drip|dripping'],
  ['drain', 'repair', 2.5, '下水道|下水管|马桶堵|地漏|疏通|drain|blocked drain|sewer', PROBLEM],
  ['entry_door', 'repair', 3, '门禁|单元门|楼门|防盗门|门锁|刷卡|门卡|关不上|锁不上|door|doors|access card|entry gate'],
  ['paving', 'repair', 3, '路砖|地砖|路面|坑洼|坑|翘起|塌陷|井盖|pothole|paving|pavement'],
  ['heating', 'repair', 3, '暖气|供暖|暖气片|不热|heating|radiator'],
  ['utility', 'repair', 2, '停水|停电|没水|没电|水压|跳闸|电路|power cut|no water|no electricity'],
  ['building_shell', 'repair', 2, '外墙|屋顶|楼顶|防水|脱落|roof|wall'],
  ['railing', 'repair', 2, '栏杆|护栏|围栏|围墙|railing|fence'],
  ['play_equipment', 'repair', 1, '滑梯|秋千|跷跷板|slide|swing'],
  ['steps', 'repair', 1, '台阶|steps'],
  ['glass', 'repair', 2, '玻璃|窗玻璃|玻璃渣|broken glass|window pane'],
  ['broken', 'repair', 1,
    '坏|坏了|坏掉|坏啦|损坏|碎了|碎|失灵|故障|不好使|不能用|用不了|没反应|不工作|停了|停运|卡住|困在|维修|修一修|修一下|修修|修理|报修|修个|松了|松动|裂了|裂缝|破了|破损|老化|异响|broken|broke|not working|doesn\'t work|out of order|repair|fix|stuck',
    GENERIC | PROBLEM],
  ['fixed', null, 0, '修好|修好了|已修好|修复了|恢复了|fixed|repaired', GENERIC | CUE | FIXED],
  ['property_mgmt', 'repair', 0.5, '物业|property management', GENERIC],

  // ---- elderly 为老服务 ----
  ['elderly_person', 'elderly', 1,
    '老人|老人家|老年人|老年|老爷子|老太太|老太|老大爷|大爷|大妈|奶奶|爷爷|姥姥|姥爷|外婆|外公|伯伯|阿婆|阿公|老伴|长者|高龄|父亲|母亲|我爸|我妈|老父亲|老母亲|老两口|八十多|九十多|七十多|elderly|old people|senior|senior citizen|grandma|grandpa|grandmother|grandfather|grandparent|old lady|old man',
    GENERIC],
  ['alone_elderly', 'elderly', 3, '独居|空巢|孤寡|一个人住|独自在家|无人照顾|没人照顾|living alone|lives alone|live alone|empty nest'],
  ['meal', 'elderly', 3, '饭|送饭|助餐|吃饭|午饭|中午饭|晚饭|做饭|午餐|老年餐|饭堂|食堂|送餐|配餐|meal|meals|lunch|dinner|food delivery|deliver food'],
  ['accompany', null, 0, '陪|陪同|陪着|accompany|escort', GENERIC | CUE],
  ['escort', 'elderly', 3, '陪诊|陪同就医|陪护|陪看病'],
  ['visit', 'elderly', 3, '探访|探视|看望|上门看看|去看看|巡访|走访|关爱|结对|visit|visits|check on'],
  ['fall', 'elderly', 1, '摔倒|摔了|跌倒|绊了|fell|fall down', GENERIC],
  ['mobility', 'elderly', 1, '腿脚不好|腿脚不便|行动不便|下不了楼|上不了楼|起身困难|走不动|瘫痪|卧床|bedridden|can\'t walk'],
  ['errands', 'elderly', 3, '代买|代购|跑腿|帮忙买|送药上门|errand|errands|shopping for'],
  ['grab_bar', 'elderly', 3, '扶手|适老化|防滑|坐便椅|grab bar|grab rail|handrail'],
  ['digital_help', 'elderly', 2, '智能手机|不会用手机|手机上|用手机|网购|手机缴费|扫码|健康码|线上缴费|smartphone'],
  ['elder_care', 'elderly', 3, '养老|日间照料|托老|养老驿站|居家养老|照顾|照料|看护|elderly care|aged care|care home'],

  // ---- children 儿童青少年 ----
  ['child', 'children', 1,
    '孩子|小孩|儿童|娃|小朋友|学生|小学|初中|中学生|青少年|孩子们|宝宝|家长|kid|kids|child|children|teen|teenager|youth',
    GENERIC],
  ['after_school', 'children', 3, '放学|四点半课堂|课后托管|托管|托管班|课后|接孩子|没人接|没人看管|没人带|看孩子|带孩子|after school|after-school|childcare|daycare'],
  ['homework', 'children', 3, '作业|辅导|功课|补课|家教|homework|tutor|tutoring'],
  ['school_holiday', 'children', 2, '暑假|寒假|放假|summer holiday|school holiday|summer break'],
  ['summer_camp', 'children', 3, '夏令营|冬令营|研学|summer camp'],
  ['parent_child', 'children', 3, '亲子|parent-child|family day'],
  ['playground', 'children', 2, '游乐场|儿童乐园|游乐设施|playground'],
  ['dual_income', 'children', 1, '双职工|双职工家庭|dual income'],

  // ---- disability 助残 ----
  ['disabled', 'disability', 3, '残疾|残疾人|残障|残联|助残|肢残|disabled|disability|handicapped'],
  ['wheelchair', 'disability', 3, '轮椅|wheelchair'],
  ['ramp', 'disability', 3, '坡道|无障碍|无障碍通道|ramp|accessible|accessibility|step-free'],
  ['blind', 'disability', 3, '盲道|视障|盲人|失明|blind|visually impaired|tactile paving'],
  ['deaf', 'disability', 3, '听障|聋哑|聋人|手语|失聪|deaf|hearing impaired|sign language'],
  ['autism', 'disability', 4, '自闭症|孤独症|自闭|脑瘫|智障|智力障碍|唐氏|autism|autistic|down syndrome'],

  // ---- environment 环境卫生 ----
  ['rubbish', 'environment', 3, '垃圾|拉圾|垃极|垃圾桶|垃圾箱|垃圾站|垃圾房|垃圾堆|rubbish|garbage|trash|bin|bins'],
  ['sorting', 'environment', 3, '垃圾分类|分类|厨余|可回收|干垃圾|湿垃圾|有害垃圾|recycling|recycle|compost'],
  ['construction_waste', 'environment', 3, '装修垃圾|建筑垃圾|渣土|construction waste'],
  ['litter', 'environment', 2, '乱扔|乱丢|乱倒|满地|烟头|litter|littering'],
  ['overflow', 'environment', 2, '堆满|满了|溢出|没人收|没人清理|没人扫|没人打扫|overflowing', PROBLEM],
  ['dirty', 'environment', 2, '脏|脏乱|脏乱差|卫生|清理|打扫|保洁|清扫|落叶|积水|卫生死角|dirty|filthy|messy', PROBLEM],
  ['food_waste', 'environment', 3, '剩饭|剩菜|剩饭剩菜|泔水|food waste|leftovers'],
  ['weeds', 'environment', 3, '杂草|草太高|草长|割草|草该割|除草|野草|荒草|weeds|weed|mowing|mow'],
  ['greenery', 'environment', 2, '绿地|绿化|绿化带|草坪|草地|树|树枝|修剪|花坛|绿植|green space|trees|tree|lawn|greenery|grass'],
  ['mosquito', 'environment', 3, '蚊子|蚊虫|灭蚊|mosquito|mosquitoes|mozzies'],
  ['flies', 'environment', 3, '苍蝇|flies'],
  ['rats', 'environment', 3, '老鼠|灭鼠|鼠|rat|rats|mice|mouse'],
  ['cockroach', 'environment', 3, '蟑螂|cockroach|cockroaches|roaches'],
  ['pests', 'environment', 3, '害虫|虫子|四害|消杀|pests|pest|bugs'],
  ['smell', 'environment', 2, '臭|味道|异味|尿味|臭味|怪味|返味|恶臭|臭气|难闻|熏|smell|smells|stink|stinks|smelly|reek', PROBLEM],
  ['sewage', 'environment', 3, '污水|脏水|化粪池|sewage|wastewater'],
  ['stray_animal', 'environment', 3, '流浪猫|流浪狗|野猫|猫粪|猫屎|stray cat|stray dog|strays'],
  ['dog_mess', 'environment', 2, '狗屎|狗粪|狗便|便便|尿尿|dog poo|dog poop|dog mess'],
  ['street_vendor', 'environment', 2, '占道经营|摆摊|小摊|小贩|流动摊贩|street vendor|street stall'],
  ['fumes', 'environment', 2, '油烟|烧烤|焚烧|烧纸|fumes'],

  // ---- space 公共空间 ----
  ['boiler_room', 'space', 3, '锅炉房|boiler room'],
  ['basement', 'space', 2, '地下室|地下空间|人防|basement'],
  ['idle_space', 'space', 3, '闲置|空着|空房间|空房子|空地|荒着|废弃|利用起来|改造成|改成|腾出来|空置|vacant|unused|empty room|disused'],
  ['pocket_park', 'space', 3, '口袋公园|小公园|公园|小花园|小广场|pocket park|park'],
  ['square', 'space', 1, '广场|square|plaza'],
  ['activity_room', 'space', 3, '活动室|活动空间|活动中心|活动场地|活动场所|场地|多功能厅|activity room|community centre|community center|venue'],
  ['study_room', 'space', 2, '自习室|study room'],
  ['bike_shed', 'space', 3, '自行车棚|车棚|停车棚|非机动车|bike shed|bicycle shed|bike rack|bike shelter'],
  ['parking', 'space', 3, '停车位|车位|停车|停车场|停车难|没地方停|找不到地方停|车都停到|乱停|parking|parking space|car park'],
  ['storage', 'space', 3, '储藏间|储物间|库房|储藏室|storage|storeroom'],
  ['seating', 'space', 2, '长椅|座椅|凳子|休息区|凉亭|椅子|bench|benches|seats'],
  ['drying_space', 'space', 2, '晾衣架|晾衣绳|晾晒|晒被子|clothesline'],
  ['planning', 'space', 1, '规划|planning', GENERIC],

  // ---- culture 文化体育 ----
  ['choir', 'culture', 3, '合唱|合唱团|合唱队|唱歌|歌咏|声乐|choir|singing'],
  ['dance', 'culture', 3, '广场舞|跳舞|舞蹈|舞蹈队|舞队|交谊舞|dance|dancing|square dance'],
  ['calligraphy', 'culture', 3, '书法|毛笔字|calligraphy'],
  ['painting', 'culture', 3, '国画|绘画|画画|painting|drawing'],
  ['fitness', 'culture', 3, '健身器材|健身|锻炼|健身路径|运动器材|体育|运动|fitness|gym|exercise|workout'],
  ['reading', 'culture', 3, '图书角|图书室|图书|读书|阅读|旧书|看书|借书|书籍|书屋|读书会|阅览室|reading|library|book|books|book swap'],
  ['festival', 'culture', 3, '邻里节|百家宴|联欢|晚会|文艺|演出|节目|春晚|中秋|端午|元宵|过年|包饺子|festival|party|potluck'],
  ['taichi', 'culture', 3, '太极|太极拳|八段锦|气功|tai chi|taichi|qigong|yoga|瑜伽'],
  ['ball_sports', 'culture', 3, '乒乓球|羽毛球|篮球|足球|台球|门球|table tennis|ping pong|badminton|basketball|football'],
  ['competition', 'culture', 2, '比赛|运动会|竞赛|competition|tournament'],
  ['opera', 'culture', 3, '京剧|戏曲|越剧|票友|opera'],
  ['music', 'culture', 3, '乐器|二胡|葫芦丝|乐队|吉他|music|band'],
  ['chess', 'culture', 3, '象棋|下棋|围棋|棋牌|chess|mahjong'],
  ['model_team', 'culture', 3, '模特队|时装队|旗袍秀'],
  ['film', 'culture', 3, '电影|放电影|观影|movie|movies|film'],
  ['elder_university', 'culture', 3, '老年大学|兴趣班|兴趣小组|手工|摄影|photography|crafts|hobby'],
  ['form_group', 'culture', 1, '组建|成立|组个|社团|club', GENERIC],
  ['rehearsal', 'culture', 2, '排练|rehearse|rehearsal'],

  // ---- safety 社区安全 ----
  ['fire_lane', 'safety', 4, '消防通道|消防车道|生命通道|安全通道|安全出口|fire lane|fire exit|emergency exit'],
  ['fire_risk', 'safety', 3, '着火|火灾|失火|起火|灭火器|消防栓|消防|fire|fire extinguisher'],
  ['ebike', 'safety', 1, '电动车|电瓶车|电单车|e-bike|ebike|scooter', GENERIC],
  ['charging', 'safety', 3, '充电|插着电|插电|飞线|电瓶|charging|charge|charged'],
  ['wires', 'safety', 2, '电线|私拉|乱拉|拉线|拉电线|漏电|wires|wiring|cable'],
  ['gas', 'safety', 3, '燃气|煤气|天然气|漏气|gas leak|gas'],
  ['throwing', 'safety', 4, '高空抛物|抛物|扔东西|往下扔|扔下来|丢下来|往下倒|砸到|砸下来|坠物|掉下来|thrown from|throwing things|falling objects', PROBLEM],
  ['theft', 'safety', 3, '偷|被偷|小偷|失窃|盗窃|盗|撬|撬锁|入室|stolen|steal|stole|theft|thief|thieves|burglar|burglary', PROBLEM],
  ['lost', 'safety', 2, '丢了|丢失|不见了|missing', PROBLEM],
  ['cctv', 'safety', 3, '监控|摄像头|cctv|camera|cameras|surveillance'],
  ['stranger', 'safety', 2, '陌生人|推销|上门推销|冒充|door to door|door-to-door|salesman|selling|可疑|外来人员|闲杂人员|挨家挨户|坏人|乱发传单|stranger|strangers|suspicious'],
  ['scam', 'safety', 4, '诈骗|防诈|防诈骗|骗子|被骗|骗|传销|保健品|scam|scams|fraud|scammer'],
  ['danger', 'safety', 2, '危险|不安全|安全隐患|隐患|出事|安全|事故|dangerous|unsafe|danger|hazard', GENERIC | PROBLEM],
  ['disorder', 'safety', 3, '闹事|醉酒|耍酒疯|寻衅|斗殴|打砸|drunk|brawl|fighting in'],
  ['traffic', 'safety', 3, '车速|超速|飙车|横冲直撞|太快|骑太快|开太快|撞到|差点撞|撞了|speeding|too fast'],
  ['security_guard', 'safety', 2, '保安|门卫|巡逻|安保|security guard|guards|patrol'],
  ['missing_person', 'safety', 3, '走丢|走失|找不到家|wandered off|went missing'],

  // ---- mediation 邻里调解 ----
  ['noise', 'mediation', 3, '噪音|噪声|吵|太吵=4|吵死=4|吵到=2|扰民|咚咚|咚咚咚|砰砰|跺脚|电钻|noise|noisy|loud', PROBLEM],
  ['late_night', 'mediation', 1, '半夜|深夜|凌晨|late at night|at night|midnight', GENERIC],
  ['renovation', 'mediation', 2, '装修|renovation|renovating|drilling'],
  ['neighbour', 'mediation', 1,
    '邻居|楼上=0.5|楼下=0|对门|隔壁|邻里=0|对面|楼上邻居|楼下邻居|neighbour|neighbor|neighbours|neighbors|next door|upstairs=0.5|downstairs=0',
    GENERIC],
  ['dog', 'mediation', 3, '狗|养狗|遛狗|狗叫|犬|拴绳|牵绳|不拴绳|宠物|dog|dogs|barking|pet|pets'],
  ['quarrel', 'mediation', 3, '吵架|吵起来|吵了一架|几次架|干架|打架|纠纷|矛盾|争吵|冲突|argue|argument|dispute|quarrel|fight'],
  ['mediate', 'mediation', 4, '调解|协调|调处|评理|出面|mediate|mediation'],
  ['unresolved_talk', 'mediation', 3, '说了也没用|说也没用|说了好几次|沟通没用|沟通无果|不听|不理|劝不听|说了不听|ignores us|won\'t listen', PROBLEM],
  ['parking_dispute', 'mediation', 3, '占车位|抢车位|占我车位|堵我车|挡我车'],
  ['clutter', 'mediation', 1, '堆杂物|堆东西|堆在|杂物|占用公共|占道|私占|侵占|clutter'],
  ['ac_unit', 'mediation', 1, '空调外机|空调滴水'],
  ['smoking', 'mediation', 2, '抽烟|吸烟|烟味|smoking|smoke'],

  // ---- health 健康服务 ----
  ['clinic', 'health', 4, '义诊|卫生站|卫生服务站|卫生服务中心|社区医院|诊所|医生|大夫|医务室|家庭医生|体检|clinic|doctor|doctors|check-up|checkup|gp'],
  ['chronic', 'health', 3, '血压|血糖|高血压|糖尿病|慢性病|慢病|吃药|用药|买药|配药|药|blood pressure|diabetes|medicine|medication'],
  ['hospital', 'health', 1, '医院|看病|就医|复查|就诊|挂号|hospital|appointment', GENERIC],
  ['vaccine', 'health', 4, '疫苗|打针|接种|加强针|打疫苗|vaccine|vaccines|vaccination|jab|flu shot'],
  ['mental', 'health', 4, '心理|心理咨询|抑郁|焦虑|压力=2|睡不着|失眠|心情=2|情绪=2|想不开|心理疏导|mental health|counselling|counseling|depression|depressed|anxiety|anxious|stress|stressed|insomnia'],
  ['epidemic', 'health', 3, '疫情|防疫|流感|新冠|口罩|消毒|消毒液|核酸|发烧|传染|感染|flu|covid|epidemic|mask|masks|disinfectant'],
  ['health_talk', 'health', 3, '健康讲座|健康知识|养生|急救|急救培训|心肺复苏|first aid|cpr|aed'],
  ['rehab', 'health', 3, '康复|理疗|rehab|physiotherapy'],
  ['sick', 'health', 1, '身体不好|身体不太好|生病|病了|住院|sick|ill', GENERIC],

  // ---- convenience 便民服务 ----
  ['haircut', 'convenience', 3, '理发|剪头|剪发|理发店|理发师|剃头|haircut|barber|hairdresser'],
  ['small_repairs', 'convenience', 3, '磨刀|修鞋|修伞|配钥匙|修拉链|修自行车|修车|补衣服|缝补|修家电|家电维修|修手表|knife sharpening|shoe repair|key cutting|bike repair'],
  ['parcel_locker', 'convenience', 3, '快递柜|丰巢|智能柜|parcel locker|parcel lockers'],
  ['parcel', 'convenience', 2, '快递|包裹|取件|驿站|parcel|parcels|package|packages|courier|delivery'],
  ['groceries', 'convenience', 3, '买菜|菜站|菜市场|菜店|超市|便利店|早餐|早点|团购|蔬菜|grocery|groceries|supermarket|vegetables|breakfast'],
  ['convenience_service', 'convenience', 3, '便民|便民服务|便民点'],
  ['bills', 'convenience', 1, '缴费|交费|电费|水费|燃气费|话费|bills'],
  ['home_services', 'convenience', 2, '家政|月嫂|保姆|开锁|换锁|搬家|洗衣|裁缝|housekeeping|locksmith|laundry'],
  ['banking', 'convenience', 2, '银行|取钱|取款机|atm|bank'],
  ['transport', 'convenience', 2, '公交|班车|公交站|bus|shuttle'],

  // ---- places and blockers (no category): they stop shorter terms inside them ----
  ['stairwell', null, 0, '楼道|楼梯|楼梯间|走廊|过道|楼道里|stairwell|stairs|staircase|corridor|hallway', GENERIC],
  ['bathroom', null, 0, '卫生间|厕所|洗手间|bathroom|toilet', GENERIC],
  ['doorway', null, 0, '门口|楼门口|单元门口|大门口|doorway', GENERIC],
  ['bike', null, 0, '自行车|单车|bike|bikes|bicycle', GENERIC],
  ['car', null, 0, '私家车|汽车|车辆|car|cars', GENERIC],
  ['phone', null, 0, '手机|玩手机|phone', GENERIC],
  ['volunteer', null, 0, '志愿者|大学生|义工|volunteer|volunteers', GENERIC],

  // ---- cues ----
  ['blocked', null, 0, '堵|堵死|堵了|堵住|占了|占用|挡住|停满|blocked', GENERIC | PROBLEM | CUE],
  ['problem', null, 0,
    '难|不便|不方便|困难|没人管|不管|没人理|投诉|反映|举报|怎么办|咋办|受不了|烦死|太多|太少|太高|太远|太脏|太乱|不够|没法|没办法|不了|缺|求助|救命|帮帮|问题|不归|太危险|problem|issue|complain|complaint|can\'t|cannot|too many|too few|too much|no one|nobody|help me',
    GENERIC | PROBLEM | CUE],
  ['wish', null, 0,
    '希望|能不能|能否|可不可以|建议|想要|盼望|需要|请求|呼吁|麻烦|搞个|办个|弄个|建个|装个|设个|修个|组织|安排|hope|wish|please|pls|plz|can we|could we|could you|can you|we need|need|needs|would like|suggest|suggestion',
    GENERIC | WISH | CUE],
  ['greeting', null, 0,
    '你好|您好|哈喽|嗨|在吗|在不在|早上好|晚上好|谢谢|多谢|感谢|辛苦了|hi|hello|hey|thanks|thank you|thx',
    GENERIC | GREET | CUE],
  ['ask', null, 0,
    '你是谁|你叫什么|你是什么|你能做什么|报名|签到|请假|时长|积分|怎么用|如何使用|使用说明|帮助|菜单|功能|who are you|sign up|signup|check in|check-in|menu|how do i|what can you do',
    GENERIC | ASK | CUE],
];

/** Combinations: when all `of` are present, `make` is added and the parts are dropped. */
const COMBOS: ReadonlyArray<{ of: readonly string[]; make: string; cat: NeedCategory; w: number }> = [
  { of: ['stairwell', 'light'], make: 'stair_light', cat: 'repair', w: 3 },
  { of: ['accompany', 'hospital'], make: 'escort', cat: 'elderly', w: 3 },
];

/** Concepts that imply a broader one (for near-duplicate matching). */
export const conceptParents: Readonly<Record<string, string>> = {
  stair_light: 'light',
  street_light: 'light',
  parcel_locker: 'parcel',
  food_waste: 'rubbish',
  construction_waste: 'rubbish',
  sorting: 'rubbish',
  lost: 'theft',
};

/** The lexicon's Chinese terms (for a segmenter's user dictionary, so they are cut whole). */
export function lexiconTerms(): string[] {
  const out = new Set<string>();
  for (const [, , , terms] of LEXICON) {
    for (const raw of terms.split('|')) {
      const eq = raw.lastIndexOf('=');
      const term = eq > 0 ? raw.slice(0, eq) : raw;
      if (/^[\u3400-\u9fff]{2,}$/.test(term)) out.add(term);
    }
  }
  return [...out].sort();
}

// ---------------------------------------------------------------------------------------
// Compilation: concepts get small integer ids; terms go into a trie keyed by char code.

interface ConceptInfo {
  key: string;
  cat: number; // index into needCategories, -1 for none
  flags: number;
}

interface Hit {
  concept: number;
  w: number;
}

interface TrieNode {
  next: Map<number, TrieNode> | null;
  hits: Hit[] | null;
  ascii: boolean; // term is ASCII: needs word boundaries
  prefix: boolean; // ASCII term may be followed by more letters
}

const catIndex = new Map<NeedCategory, number>(needCategories.map((c, i) => [c, i]));
const OTHER = catIndex.get('other')!;

const conceptInfos: ConceptInfo[] = [];
const conceptIds = new Map<string, number>();

function conceptId(key: string, cat: Cat, flags: number): number {
  let id = conceptIds.get(key);
  if (id === undefined) {
    id = conceptInfos.length;
    conceptInfos.push({ key, cat: cat === null ? -1 : catIndex.get(cat)!, flags });
    conceptIds.set(key, id);
  }
  return id;
}

const root: TrieNode = { next: null, hits: null, ascii: false, prefix: false };

function addTerm(term: string, hit: Hit): void {
  let prefix = false;
  if (term.endsWith('*')) {
    prefix = true;
    term = term.slice(0, -1);
  }
  let node = root;
  for (let i = 0; i < term.length; i++) {
    const c = term.charCodeAt(i);
    node.next ??= new Map();
    let child = node.next.get(c);
    if (!child) {
      child = { next: null, hits: null, ascii: false, prefix: false };
      node.next.set(c, child);
    }
    node = child;
  }
  node.ascii = /^[\x20-\x7e]+$/.test(term);
  node.prefix ||= prefix;
  node.hits ??= [];
  const existing = node.hits.find((h) => h.concept === hit.concept);
  if (existing) existing.w = Math.max(existing.w, hit.w);
  else node.hits.push(hit);
}

for (const [key, cat, weight, terms, flags = 0] of LEXICON) {
  const id = conceptId(key, cat, flags);
  for (const raw of terms.split('|')) {
    const eq = raw.lastIndexOf('=');
    const term = (eq > 0 ? raw.slice(0, eq) : raw).toLowerCase();
    const w = eq > 0 ? Number(raw.slice(eq + 1)) : weight;
    if (term !== '') addTerm(term, { concept: id, w });
  }
}

const BROKEN = conceptIds.get('broken')!;
const REPAIR = catIndex.get('repair')!;

interface CompiledCombo {
  of: number[];
  make: number;
  w: number;
}
const combos: CompiledCombo[] = COMBOS.map((c) => ({
  of: c.of.map((k) => {
    const id = conceptIds.get(k);
    if (id === undefined) throw new Error(`combo names unknown concept ${k}`);
    return id;
  }),
  make: conceptId(c.make, c.cat, 0),
  w: c.w,
}));

// ---------------------------------------------------------------------------------------
// Matching

function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c >= 65 && c <= 90);
}

/** After an ASCII term ending at `end`: a boundary, or a plural s/es then a boundary. */
function asciiEndOk(text: string, end: number): boolean {
  const c = text.charCodeAt(end);
  if (!isWordChar(c)) return true; // NaN at end of string is fine too
  if (c === 115 /* s */ && !isWordChar(text.charCodeAt(end + 1))) return true;
  if (c === 101 /* e */ && text.charCodeAt(end + 1) === 115 && !isWordChar(text.charCodeAt(end + 2))) return true;
  return false;
}

const CJK_SPACES = /(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])/g;
const SPACES = /\s+/g;
/** @-mentions are addressing, not content: '@邻里 ', '@Linli', '@张阿姨 ' */
const MENTION = /@(?:邻里|linli)|@[^\s@]{1,24}(?=\s)/g;

/** Lower-case, full-width → half-width, spaces between Chinese characters removed. */
export function normalizeNeedText(text: string): string {
  return text
    .normalize('NFKC') // also turns the U+2005 space after a WeChat @-mention into ' '
    .toLowerCase()
    .replace(MENTION, ' ')
    .replace(CJK_SPACES, '')
    .replace(SPACES, ' ')
    .trim();
}

/** Per-concept result of a scan: weight and first position. */
export interface FoundConcept {
  id: number;
  w: number;
  pos: number;
}

function scan(text: string): Map<number, FoundConcept> {
  const found = new Map<number, FoundConcept>();
  const n = text.length;
  let i = 0;
  while (i < n) {
    const startOk = i === 0 || !isWordChar(text.charCodeAt(i - 1));
    let node: TrieNode | undefined = root;
    let bestEnd = -1;
    let bestHits: Hit[] | null = null;
    for (let j = i; j < n && node.next; j++) {
      node = node.next.get(text.charCodeAt(j));
      if (!node) break;
      if (node.hits && (!node.ascii || (startOk && (node.prefix || asciiEndOk(text, j + 1))))) {
        bestEnd = j + 1;
        bestHits = node.hits;
      }
    }
    if (bestHits) {
      for (const h of bestHits) {
        const f = found.get(h.concept);
        if (!f) found.set(h.concept, { id: h.concept, w: h.w, pos: i });
        else if (h.w > f.w) f.w = h.w;
      }
      i = bestEnd;
    } else {
      i++;
    }
  }
  // "X坏了" where X is property (light, lift, pipe): the broken object wins; the cue counts twice.
  const broken = found.get(BROKEN);
  if (broken) {
    for (const f of found.values()) {
      if (f !== broken && conceptInfos[f.id]!.cat === REPAIR && f.w >= 1) {
        broken.w += 1;
        break;
      }
    }
  }
  for (const c of combos) {
    let pos = Infinity;
    let all = true;
    for (const id of c.of) {
      const f = found.get(id);
      if (!f) {
        all = false;
        break;
      }
      pos = Math.min(pos, f.pos);
    }
    if (!all) continue;
    for (const id of c.of) found.delete(id);
    const f = found.get(c.make);
    if (!f) found.set(c.make, { id: c.make, w: c.w, pos });
    else f.w = Math.max(f.w, c.w);
  }
  return found;
}

// ---------------------------------------------------------------------------------------
// Public API

export interface NeedAnalysis extends NeedClassification {
  /** non-generic concepts with a category: what the need is about */
  topics: string[];
  problem: boolean;
  wish: boolean;
  ask: boolean;
  fixed: boolean;
}

const MIN_SCORE = 1;

export function analyzeNeed(text: string): NeedAnalysis {
  const found = scan(normalizeNeedText(typeof text === 'string' ? text : ''));
  const scores = new Float64Array(needCategories.length);
  const maxW = new Float64Array(needCategories.length);
  const firstPos = new Float64Array(needCategories.length).fill(Infinity);
  let flags = 0;
  const list: FoundConcept[] = [];
  for (const f of found.values()) {
    const info = conceptInfos[f.id]!;
    flags |= info.flags & (PROBLEM | WISH | ASK | FIXED);
    if (!(info.flags & CUE)) list.push(f);
    if (info.cat < 0 || f.w <= 0) continue;
    scores[info.cat]! += f.w;
    if (f.w > maxW[info.cat]!) maxW[info.cat] = f.w;
    if (f.pos < firstPos[info.cat]!) firstPos[info.cat] = f.pos;
  }
  list.sort((a, b) => a.pos - b.pos);

  let best = OTHER;
  let second = 0;
  for (let c = 0; c < scores.length; c++) {
    if (c === OTHER) continue;
    const s = scores[c]!;
    if (best === OTHER) {
      if (s >= MIN_SCORE) best = c;
      continue;
    }
    const b = scores[best]!;
    if (s > b || (s === b && (maxW[c]! > maxW[best]! || (maxW[c] === maxW[best] && firstPos[c]! < firstPos[best]!)))) {
      second = b;
      best = c;
    } else if (s > second) {
      second = s;
    }
  }

  let confidence: number;
  if (best === OTHER) {
    confidence = list.length === 0 ? 0.2 : 0.3;
  } else {
    const s1 = scores[best]!;
    const saturation = 1 - Math.exp(-s1 / 2.5);
    const margin = (s1 - second) / s1;
    confidence = saturation * (0.5 + 0.5 * margin);
  }

  const concepts: string[] = [];
  const topics: string[] = [];
  for (const f of list) {
    const info = conceptInfos[f.id]!;
    concepts.push(info.key);
    if (!(info.flags & GENERIC) && info.cat >= 0) topics.push(info.key);
  }
  return {
    category: needCategories[best]!,
    confidence: Math.round(confidence * 1000) / 1000,
    concepts,
    topics,
    problem: (flags & PROBLEM) !== 0,
    wish: (flags & WISH) !== 0,
    ask: (flags & ASK) !== 0,
    fixed: (flags & FIXED) !== 0,
  };
}

const HAN = /\p{Script=Han}/u;
const UNSURE = 0.3;

/**
 * Classify a need report (Simplified Chinese or English) into one of the 12 categories. Chinese
 * text goes to the trained category model (data/understanding/model.json, whose features include
 * this lexicon's concepts): it beats the lexicon alone on the corpus split and the held-out set
 * (ARCHITECTURE.md, "Understanding"). Text without Chinese, which the corpus hardly has, and any
 * text when no model file is present, keep the lexicon. `concepts` always come from the lexicon.
 */
export function classifyNeed(text: string): NeedClassification {
  const model = typeof text === 'string' && HAN.test(text) ? committedModel() : null;
  if (!model) {
    const { category, confidence, concepts } = analyzeNeed(text);
    return { category, confidence, concepts };
  }
  const normalized = model.normalize(text);
  const analysis = analyzeNeed(normalized);
  const guess = model.categoryOf(model.features(normalized, analysis));
  // A guess this unsure ("今天天气不错" is about nothing) is no category: `other`, for a worker to set.
  return { category: guess.p < UNSURE ? 'other' : guess.category, confidence: Math.round(guess.p * 1000) / 1000, concepts: analysis.concepts };
}

const DECENT_CONFIDENCE = 0.4;

/**
 * Whether free text addressed to the bot reads like a need report (a problem or a wish)
 * rather than a question to the bot (你好 / 怎么报名 / 你是谁 / 谢谢), which gets help instead.
 *
 * Greetings and thanks are neutral ("你好，电梯坏了" is a need). Words about the bot's own
 * functions (报名, 签到, 时长, 你是谁) make it a question unless the text also names a
 * category and a problem or wish. "电梯修好了" without a complaint is not a need.
 */
export function looksLikeNeed(text: string): boolean {
  const a = analyzeNeed(text);
  const hasCategory = a.category !== 'other' && a.confidence >= DECENT_CONFIDENCE;
  const complaint = a.problem || a.wish;
  if (a.ask) return hasCategory && complaint;
  if (a.fixed && !a.problem) return false;
  return hasCategory || complaint;
}
