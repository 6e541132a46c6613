//! Benchmark of riskflow's line clustering (`riskflow::dedup::cluster`).
//!
//! Builds a fixed corpus of 1,000,000 risk/measure lines with known true
//! clusters, clusters it, and prints wall time, peak memory and B-cubed
//! precision/recall/F1. Run: `cargo run --release --example bench_dedup`
//! (optional arguments: number of lines, bands, rows, n-gram size, short bands).
//!
//! The corpus: base sentences are real risk and measure lines (below, from
//! the project's seed charts) plus sentences joined from their clauses; bases
//! closer than the clustering threshold to an earlier base are dropped, so
//! every true cluster is one base and its planted variants. Each line is a
//! base (frequency skewed towards the first bases) written as is, or with
//! formatting changes (markers, width, spaces, punctuation), or with 1–2
//! planted typos / a word swap / a rare character. Everything comes from a
//! fixed-seed generator, so every run sees the same corpus.

use std::collections::{HashMap, HashSet};
use std::time::Instant;

use riskflow::dedup::{DedupRules, cluster, normalise_key};

const LINES: usize = 1_000_000;
const BASES: usize = 10_000;

/// Real lines from the seed charts (numbering removed).
const SEED_LINES: &str = r#"
做好相关监督工作。
资格复审材料全部要求原件、复印件审查，做好资料存档工作。
计划拟制层层把关，防止指向明显的计划；
各个环节的结果均要经过股室领导、局领导层层审批；
资格初审材料要认真核对、并做好资料存档工作。
按照政务公开要求，及时公开用地预审结果；
认真履行职责，严格执行《建设项目用地预审管理办法》及有关规定。
干部选拔任用工作任何环节都要2人以上共同进行；
谈话推荐和考察过程中，认真做好记录，并有谈话人签名确认。
认真记录各种变动情况，防止疏漏，及时为发生变动的人员变更工资；
认真计算工资，保证在职及离退休人员能正常准确发工资；
严把审核关。
要严格保证档案柜的安全性；
档案借用，转递要严格按照规定操作；
要保证档案的完整性，保留个人原始资料；
要准确登记
严格按照有关规定制定工作方案，明确程序，分配名额，经股室领导、局领导层层审批。
严格按照有关规定进行公示，公示时间不少于5个工作日。
建立受理单制度。
严格履行服务承诺制度，做到首问负责和一次性告知。
政务公开，明确工作程序、时限等，按照项目核准规定办理。
内部监督检查、投诉举报受理。
故意刁难申请人。
不按规定程序受理。
无原因超时办理。
不能一次告知所需材料。
不严格审查或故意让虚假资料通过。
严格按照相关标准、程序及权限审核审批。
实行事前事中事后全过程监察，加强教育，杜绝人情关系。
严格执行会商机制。
严格执行责任追究制度。
擅自改变审查结论。
受申请人请托，违反程序、违规越权审核审批。
会审、会签中压件不办，或不按规定把关。
严格执行文书制作操作规范。
落实文书制作限时制。
实行政务公开制度。
加强内部监管，落实责任追究。
擅自改动内容，制作文书不规范。
不及时办结。
未及时送达。
监管不严格，敷衍了事，形式主义。
强化事后监管，发现并及时纠正审批过程中存在的问题。
建立受理制度。
政务公开，明确工作程序、时限等，按照规定办理。
故意刁难经办人。
利用各种方式收取额外费用。
无原因超时办理，久拖不办。
实行审批留痕制度。
严格内部监督检查制度。
可能存在对材料、证件审核不严。
擅自增加或减少审查条件、程序。
政务公开，明确工作程序、时限等。
内部监督检查、落实责任追究。
履行廉政承诺。
不告不予受理理由。
未一次性告知所需材料。
无原因超时办理或不办。
实行责任追究制度。
加强廉政教育。
制定考核奖惩办法。
量化审查标准,执行回避制度.
及时登记,严格报批手续.
制定受理、审核、审批操作规程。
刁难申请人,徇私谋利。
坚持实事求是、尊重科学的原则。
执行信息公开审签制度。
落实物证等清单制度和专人管理制度。
加强纪检监察。
执行回避制度。
实行检查组组长审批制。
擅自改变检查结论。
审核过程中对重大质疑点，疏忽或故意隐瞒。
超时上报检查报告。
存在接受请托、宴请以及收受礼品、礼金等违纪行为。
检查人员泄密，违反相关纪律。
检查过程中不严、不细致，对情况了解不全面。
检查人员不负责任或接受他人委托、收受当事人财物等，致使检查有重大疏漏。
擅自发布检查信息。
现场和相关证据痕迹、物证、文件、资料等不齐全或丢失。
检查不及时、不准确。
检查组成人员有直接利害关系人。
超时、超权限立案。
无检查方案。
包庇、袒护负有责任的人员。
超权限和程序处罚、处分单位和责任人。
超时批复检查报告。
信息公开不及时、不完整。
故意拖延或者拒绝落实经批复的处理意见。
风险防范和整改措施落实不到位。
检查材料归档不齐全、不完整。
强化事后监管，发现并及时纠正调查、审查、批复过程中存在的问题。
设立举报电话、举报箱和信访受理。
加强责任追究。
严格落实问责制度。
落实监督机制，实行全过程监督。
严格按照相关标准、程序及权限审查。
落实限时办结制。
徇私舞弊,对应进行证据登记保存的不采取相应播施
服务承诺，回避制度。
内部监督检查，复查复审。
纪检跟踪督察，受理举报。
健全办案管理制度。
加强对案件台账的内部监督检查。
执行内部监督检查，纪检跟踪督察制度。
实行案件终身负责制；
内部监督检查，对查处案件台账定期进行检查；
纪检跟踪督察，举报投诉受理。
徇私舞弊，对应进行证据登记保存的不采取相应措施；
对不需要进行证据登记保存的采取措施。
执行内部监督检查，纪检组跟踪督察制度；
严格按法律规定程序进行；
执行内部监督检查制度，纪检组跟踪督察制度。
严格按法律规定按时解除相应措施；
对申报材料的审核把关不严，对重大质疑点，疏忽或故意隐瞒。
故意刁难，附加有偿服务或指定中介服务。
擅自借阅、涂改、抽取、调换档案材料等。
实行形式审查、现场审查、综合审查制度，量化审查标准，执行回避制度。
实行审查人和复核人同时审查制度，如有必要邀请专家审查。
综合审查采用会议形式，集体研究决定。
定期抽查、集体评议；加强纪检监察；设立举报电话、举报箱和信访受理。
严格按照相关标准、程序及权限审定。
违反程序、违规越权审核审批。
对符合条件的不批准。
严格按照相关时限及程序要求和资料清单归档。
严格按照社会保险登记工作流程办事。
加强廉政教育建设，严格执行责任追究制度。
利用职务之便吃拿卡要。
不按企业养老保险登记工作流程办事。
未能一次性告知所需材料。
未按承诺时限办理事项。
按照承诺时限办事，提高服务质量。
严格执行登记证制作规范。
落实登记证制作限时制度。
擅自改动内容，制作登记证不规范。
不及时结办。
接受申请人的宴请、贿赂，擅自降低审查标准。
量化审查标准，执行回避制度，严格操作程序。
实行审查留痕制度。
定期抽查、集体评议。
严格执行财务管理规定。
落实责任追究制度。
严格按照法规程序进行监督。
建立行政处分送达台帐，定期进行检查。
严格层级审批制度，量化处罚标准。
严格政务公开制度。
健全信访投诉举报受理制度。
实行一次性告知制。
实行申诉制度。
加强信息保密管理。
规范处分程序，执行回避制度。
调查取证可采取现场录音、录像等技术手段。
按规定程序组织开展调查，调查方案、进展组织集体研究，定期向分管领导汇报。
建立查处案件台帐，定期进行检查。
随意从轻或减轻处分。
截留或私分罚没款物，使用丢失或损毁扣押的财物。
不按时送达或故意拖延送达时间。
久拖不批或越权审批，无故拖延案件办理。
利用职务便利接受贿赂为当事人谋利益。
随意行使自由裁量权。
法律法规运用错误。
该上案审会的不上案审会，少数人说了算。
不按规定受理申诉。
不进行告知。
不听取当事人申辩。
调查取证时接受请托，不按规定组织调查，调查对象或方案带有倾向性,办理人情案。
伪造、丢失、损毁、不按规定取证，导致案件调查无法正常进行。
回避或隐瞒调查信息，隐报、擅改调查结果,重要情况不如实向分管领导汇报。
接受行政相对人请托，为行政相对人说情。
不按规定受理或回避、隐瞒违法违规线索、举报、投诉等。
向被举报或被调查对象泄露信息。
超越职权，擅自销案。
应该监管而玩忽职守、巡视舞弊监督不到位或者监督不及时。
严格落实公开公示制度。
建立登记档案和分管领导定期抽查制度。
受人请托违规决定。
严格限行服务承诺制度，做到首问负责和一次性告知。
执行回避制度，严格操作程序。
不按规定程序执行。
无原因超时实施。。
擅自降低检查标准。
审核本人工资调资表中参加工作年限是否符合申报条件。
将当年所报信息与中国人事信息管理系统进行对比确定信息的准确性。
录入系统。
无故超期办理。
随意延长培训课时。
违反规定泄露考试考核相关内容。
考试考核执法不严格。
考核结束后，依照考核结果公示考核成绩。
不能一次告知哪些行为属于违纪违规行为
不严格审查。
违反程序、违规越权审核。
对符合条件的不记入《考场情况报告单》。
纪检跟踪督察。
内部监督，采取定期抽查制度。
擅自降低审查标准。
现场检查结果的判断，不客观、公正。
民主议事制度，集体决策。
纪检监察制度，投诉和信访受理。
擅自降低审查标准，帮助做假。
建立疑难案件会议审核制度。
建立兑现机制，对违反规定的人员严肃处理。
擅自篡改劳动能力鉴定委员会作出的鉴定结论的。
未在规定时限作出劳动能力鉴定结论的。
对不符合条件的予以认证，对符合条件的不予认证。
未一次性告知和说明所需材料。
徇私谋利等。
制定受理、审核操作规程。
政务公开。
加强监督，失职追究。
对申请材料审核把关不严。
现场考查及资料审核事实不清、疏忽或故意隐瞒。
未按规定程序进行操作。
审查超时。
审批超时。
量化审查标准，严格操作程序。
严格按照相关标准、程序及权限审核。
加强教育，杜绝人情关系。
纪检跟踪督查。
量化考察标准，执行回避制度、多人参加考察。
主动公布办事指南和监督电话。
严格落实过错责任追究制。
不按规定进行民主推荐。
没有及时制止跑关系、拉选票等非法组织活动。
暗箱操作，抉择选拔作用规定。
借用职务之便为自己或他人谋利。
政务公开，接受办事群众监督，明确工作程序，严格按照法定条件和程序办理。
纪检跟踪监督。
建立民主科学决策制度。
绘制权力运行流程图。
规范谈话取证过程,
承办人员严格保守秘密,信访案件的内容、
廉政风险点及
降低处罚标准或不予处罚。
加强抽检、检测。
发现施工单位虚报工程量,
据施工图设计和现场实测工
实行建设单位工作人员建设单位廉政保证金奖罚制度。
故意拖延审批时间系统,按规定的时限审批价审核
2020年廉政风险点防控措施一览表
识别风险点:基于收集到的信息,确定可能存在廉政风险的关键环节和部门。
分析风险原因:对每个风险点进行深入分析,确定导致廉政风险的根本原因。
评估风险影响:评估每个风险点发生时可能对组织造成的影响程度。
综合评估:综合概率和影响,对每个风险点进行综合评估,确定风险的优先级。
实施控制措施:将制定的控制措施付诸实施,并确保所有相关人员都理解并遵守这些措施。
监督和检查:建立监督和检查机制,定期对控制措施的有效性进行评估。
分析风险趋势:对收集到的风险信息进行分析,识别风险的发展趋势和变化。
党纪国法
廉洁自律
职业道德
明确职责范围
制定工作制度
公开公正办事
定期自查自纠
重大决策:科学论证,集体讨论,公开公示。
选人用人:群众推荐,组织考察,教代会评议评议。
资金使用:按要求使用,专款专用,不违规使用。
投诉举报
述职述廉
纪律保证
引言在引言部分,应简要介绍廉政风险流程图的目的和背景。
2外部风险评估:组织应该对外部环境进行评估,了解可能存在的廉政风险。
2风险影响评估:组织应该评估廉政风险对组织的影响程度。
2风险应对措施:组织应该制定应对廉政风险的措施,以减轻其可能的影响。
本站资源下载后的文档和图纸-无水印,预览文档经过压缩,下载后原文更清晰。
试题试卷类文档,如果标题没有明确说明有答案则都视为没有答案,请知晓。
综合协调机关和直属单位工作,督促重大事项落实。
综合性报告、重要文件起草。
机关“准军事化”建设工作。
机关和所属事业单位人事和机构编制。
负责县(市、区)人民防空办公室主任、副主任任免征求意见。
机关党务、离退休人员、工青妇和计划生育工作。
在印章使用管理方面,存在未审批盖章和批量盖章时不派员监印致使印章使用失控的风险。
机关安全方面有安保执勤中的无登记混入等风险。
针对未及时将文件报送领导审批的风险点
针对未及时将文件转发承办科室的风险点
针对未督促科室按时办结的风险点
针对文件多环节运转后去向不明的风险点
针对未审批盖章的风险点
针对印章使用失控的风险点
针对干部考核任免过程中滥用职权、失职渎职,弃原则为交易等风险点
针对公务员管理过程中,考核失察,谋取私利,违反政策法规办事等风险点
负责组织制定城市人民防空袭方案、指导制定重要目标防护方案;
拟订利用人民防空资源参与抢险救灾应急救援方案、城市人口疏散方案和各种保障计划;
制定疏散基地、疏散地域、应急避难场所建设规划、计划;
组织开展人民防空知识教育;
战时组织城市人民防空袭斗争,参与组织消除空袭后果、恢复生产和生活秩序。
在组织开展人民防空知识宣传教育方面,可能存在宣传不到位、教育不能普及的风险。
认真掌握信息化建设发展变化,及时调整各种建设规划。
负责全市人民防空财务管理工作;
负责编制、审核人民防空年度经费预决算;
负责组织开展会计核算、财务管理和内部审计工作;
负责人防物资材料管理和财务统计工作。
用章使用管理不规范,存在风险漏洞。
票据报销审核存在不够细心、不够严谨。
财务处理有不规范行为。
个别固定资产登记不够及时。
廉政教育存在薄弱环节,意识淡化。
负责拟定全市人民防空工程建设总体规划和年度计划。
审核城市总体规划中贯彻人民防空要求的内容。
负责人民防空工程建设管理工作
指导监督人民防空工程维护管理、地下空间开发利用和平站转换措施落实。
在行政窗口受理项目文件方面,存在不能及时高效将待审核文件报送至工程科审批的风险。
承办市政府法制部门和上级人防主管部门交办法制工作。
作风拖拉、推诿扯皮,审核效率不高,贻误办案期限。
在组织开展人防宣传教育活动中,把关不严,有可能造成经费浪费,接受回扣,谋取好处。
对外宣传审核把关不到位,带来消极负面影响。
不断规范案件处理流程,加大对行政审批、行政执法工作开展情况的监督检查力度。
加强宣传纪律教育,严格对外宣传稿件的审核把关。
加强责任意识,严格按照执法权限和执法流程认真履行工作职责。
对执法中的发现问题提出整改意见,限期改正,杜绝接受被检查单位的吃请。
检查受监工程的勘察、设计、施工、监理单位和人民防空构配件厂的资质等级和营业范围;
承担人民防空主管部门赋予的其他任务。
作风拖拉、推诿扯皮,贻误报监受理时限。
强化政治学习,提高思想意识,培养自身爱岗敬业精神。
认真学习业务知识,强化业务素养,提高服务质量。
加强理论学习,提高政治素养,培养自身节操,洁身自好,坚持原则。
明确并宣传监督职能,防止监督过程中越权卡要。
"#;

/// Pairs of words that stand in for each other in real charts.
const WORD_SWAPS: &[(&str, &str)] = &[
    ("申请人", "经办人"),
    ("申请人", "当事人"),
    ("审查", "审核"),
    ("制度", "机制"),
    ("严格", "认真"),
    ("及时", "按时"),
    ("落实", "执行"),
    ("规定", "要求"),
    ("监督", "监管"),
];

/// Look-alike and same-sound slips seen in real charts.
const SLIPS: &[(char, char)] = &[
    ('未', '朱'),
    ('需', '霄'),
    ('原', '照'),
    ('予', '子'),
    ('己', '已'),
    ('责', '贵'),
    ('管', '官'),
    ('办', '力'),
    ('审', '宙'),
    ('受', '爱'),
];

/// Hanzi outside GB2312, for "rare character" variants.
const RARE: &[char] = &['鶐', '喆', '堃', '昇', '燊', '鑫'];

const MARKERS: &[&str] = &[
    "1.",
    "2、",
    "（3）",
    "①",
    "1",
    "４．",
    "(2)",
    "一、",
    "措施一：",
    "3..",
];

/// xorshift64*: small, fast, and the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

fn main() {
    // Optional: number of lines, then bands, rows and n-gram size to try
    // other MinHash shapes than rules/dedup.toml's.
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let lines_wanted = args.first().copied().unwrap_or(LINES);
    let defaults = DedupRules::default();
    let rules = DedupRules {
        bands: args.get(1).copied().unwrap_or(defaults.bands),
        rows: args.get(2).copied().unwrap_or(defaults.rows),
        ngram: args.get(3).copied().unwrap_or(defaults.ngram),
        short_bands: args.get(4).copied().unwrap_or(defaults.short_bands),
        ..defaults
    };
    println!(
        "MinHash: {} bands x {} rows over {}-grams, {} more over single characters up to {} chars; threshold {}",
        rules.bands,
        rules.rows,
        rules.ngram,
        rules.short_bands,
        rules.short_max_chars,
        rules.threshold
    );
    let mut rng = Rng(0x5EED_2026_D1CE_0001);

    let started = Instant::now();
    let bases = make_bases(&mut rng, &rules);
    println!(
        "bases: {} in {:.1} s",
        bases.len(),
        started.elapsed().as_secs_f64()
    );
    let (lines, truth) = make_lines(&mut rng, &bases, lines_wanted, &rules);
    println!(
        "corpus: {} lines, {} true clusters, {} distinct texts, built in {:.1} s",
        lines.len(),
        bases.len(),
        lines.iter().collect::<HashSet<_>>().len(),
        started.elapsed().as_secs_f64()
    );

    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let threads = rayon::current_num_threads();
    let started = Instant::now();
    let cpu_before = cpu_seconds();
    let result = cluster(&refs, &rules);
    let wall = started.elapsed().as_secs_f64();
    let cpu = cpu_seconds() - cpu_before;
    let peak = peak_rss_mib();
    println!(
        "cluster(): {wall:.2} s wall ({cpu:.2} s CPU) on {threads} threads, peak RSS {peak} MiB (VmHWM, whole process)"
    );
    println!(
        "clusters found: {} (true: {})",
        result.canonical.len(),
        bases.len()
    );

    let (p, r, f1) = b_cubed(&result.cluster_of, &truth);
    println!("B-cubed precision {p:.4}, recall {r:.4}, F1 {f1:.4}");

    explain_splits(&refs, &result, &truth, &bases, &rules);

    let started = Instant::now();
    let cpu_before = cpu_seconds();
    let single = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a one-thread pool")
        .install(|| cluster(&refs, &rules));
    println!(
        "1 thread: {:.2} s wall ({:.2} s CPU); identical result: {}",
        started.elapsed().as_secs_f64(),
        cpu_seconds() - cpu_before,
        single == result
    );
}

/// Seed lines, then sentences joined from seed clauses, keeping only bases
/// farther than the threshold from every kept base.
fn make_bases(rng: &mut Rng, rules: &DedupRules) -> Vec<String> {
    let seeds: Vec<&str> = SEED_LINES.lines().filter(|l| !l.is_empty()).collect();
    let clauses: Vec<String> = seeds
        .iter()
        .flat_map(|l| l.split(['，', '、', '；', ',', ';', '：']))
        .map(|c| c.trim_end_matches(['。', '.', '；']).to_string())
        .filter(|c| c.chars().count() >= 3)
        .collect();
    let mut kept = Separated::default();
    for s in &seeds {
        kept.try_add(s, rules);
    }
    let mut attempts = 0;
    while kept.bases.len() < BASES && attempts < BASES * 20 {
        attempts += 1;
        let parts = 1 + rng.below(3);
        let joined: Vec<&str> = (0..parts).map(|_| rng.pick(&clauses).as_str()).collect();
        let sentence = format!("{}。", joined.join("，"));
        if sentence.chars().count() <= 60 {
            kept.try_add(&sentence, rules);
        }
    }
    kept.bases
}

/// Bases pairwise farther apart than the clustering threshold, checked
/// exactly: every pair within the threshold shares a bigram, and the bigram
/// count filter below never drops such a pair, so only survivors need the
/// full edit distance (strsim, independent of riskflow's own).
#[derive(Default)]
struct Separated {
    bases: Vec<String>,
    keys: Vec<Vec<char>>,
    gram_counts: Vec<usize>,
    exact: HashSet<String>,
    postings: HashMap<(char, char), Vec<u32>>,
    shared: Vec<u32>,
}

impl Separated {
    fn try_add(&mut self, base: &str, rules: &DedupRules) {
        let key_text = normalise_key(base);
        let key: Vec<char> = key_text.chars().collect();
        if key.len() < 4 || self.exact.contains(&key_text) {
            return;
        }
        let grams: HashSet<(char, char)> = key.windows(2).map(|w| (w[0], w[1])).collect();
        self.shared.resize(self.keys.len(), 0);
        let mut touched = Vec::new();
        for g in &grams {
            for &b in self.postings.get(g).map(Vec::as_slice).unwrap_or(&[]) {
                if self.shared[b as usize] == 0 {
                    touched.push(b);
                }
                self.shared[b as usize] += 1;
            }
        }
        let mut close = false;
        for &b in &touched {
            let other = &self.keys[b as usize];
            let longer = key.len().max(other.len());
            let k = max_edits(rules, longer);
            let other_grams = self.gram_counts[b as usize];
            let need = grams.len().max(other_grams).saturating_sub(2 * k);
            if !close
                && self.shared[b as usize] as usize >= need
                && key.len().abs_diff(other.len()) <= k
            {
                let a: String = key.iter().collect();
                let o: String = other.iter().collect();
                close = strsim::levenshtein(&a, &o) <= k;
            }
            self.shared[b as usize] = 0;
        }
        if close {
            return;
        }
        let id = self.keys.len() as u32;
        self.gram_counts.push(grams.len());
        for g in grams {
            self.postings.entry(g).or_default().push(id);
        }
        self.keys.push(key);
        self.exact.insert(key_text);
        self.bases.push(base.to_string());
    }
}

fn max_edits(rules: &DedupRules, len: usize) -> usize {
    ((1.0 - rules.threshold) * len as f64 + 1e-9).floor() as usize
}

/// `count` lines and the true cluster (base index) of each.
fn make_lines(
    rng: &mut Rng,
    bases: &[String],
    count: usize,
    rules: &DedupRules,
) -> (Vec<String>, Vec<u32>) {
    // Typo characters: the seed wording's hanzi, without negations, whose
    // insertion would state the opposite rather than misspell.
    let pool: Vec<char> = SEED_LINES
        .chars()
        .filter(|c| ('\u{4E00}'..='\u{9FFF}').contains(c) && !rules.negations.contains(*c))
        .collect();
    let mut lines = Vec::with_capacity(count);
    let mut truth = Vec::with_capacity(count);
    for _ in 0..count {
        // u² skews use towards the first bases: a few lines are everywhere,
        // most are in a handful of charts.
        let u = rng.unit();
        let b = ((u * u * bases.len() as f64) as usize).min(bases.len() - 1);
        let base = &bases[b];
        let roll = rng.unit();
        let mut text = if roll < 0.60 {
            base.clone()
        } else if roll < 0.82 {
            reformat(rng, base)
        } else if roll < 0.96 {
            typo(rng, base, &pool, rules)
        } else if roll < 0.99 {
            swap_word(rng, base, rules).unwrap_or_else(|| typo(rng, base, &pool, rules))
        } else {
            rare_char(rng, base)
        };
        if roll >= 0.82 && rng.below(3) == 0 {
            text = reformat(rng, &text);
        }
        lines.push(text);
        truth.push(b as u32);
    }
    (lines, truth)
}

/// Changes that leave the normalised key alone.
fn reformat(rng: &mut Rng, text: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for _ in 0..1 + rng.below(3) {
        match rng.below(5) {
            0 => {
                let marker: Vec<char> = rng.pick(MARKERS).chars().collect();
                chars.splice(0..0, marker);
            }
            1 => {
                if chars.last() == Some(&'。') {
                    chars.pop();
                } else {
                    chars.push('。');
                }
            }
            2 => {
                let at = rng.below(chars.len() + 1);
                chars.insert(at, if rng.below(2) == 0 { ' ' } else { '\u{3000}' });
            }
            3 => {
                for c in chars.iter_mut() {
                    *c = match *c {
                        '，' => ',',
                        ',' => '，',
                        '；' => ';',
                        '：' => ':',
                        other => other,
                    };
                }
            }
            _ => {
                if chars.last() == Some(&'。') {
                    chars.pop();
                    chars.push(if rng.below(2) == 0 { '.' } else { '；' });
                }
            }
        }
    }
    chars.into_iter().collect()
}

/// One or two character edits, never more than the threshold allows.
fn typo(rng: &mut Rng, base: &str, pool: &[char], rules: &DedupRules) -> String {
    let mut chars: Vec<char> = base.chars().collect();
    let body = chars.len() - usize::from(chars.last() == Some(&'。'));
    let allowed = max_edits(rules, normalise_key(base).chars().count());
    if allowed == 0 || body < 2 {
        return base.to_string();
    }
    let edits = if allowed >= 2 && rng.below(3) == 0 {
        2
    } else {
        1
    };
    for _ in 0..edits {
        let body = chars.len() - usize::from(chars.last() == Some(&'。'));
        let at = rng.below(body);
        match rng.below(10) {
            0..=4 => chars[at] = *rng.pick(pool),
            5..=6 => {
                let slip = SLIPS.iter().find(|(right, _)| chars.contains(right));
                match slip {
                    Some(&(right, wrong)) => {
                        if let Some(c) = chars.iter_mut().find(|c| **c == right) {
                            *c = wrong;
                        }
                    }
                    None => chars[at] = *rng.pick(pool),
                }
            }
            // Dropping a negation (不按规定 → 按规定) states the opposite:
            // that is a different line, not a typo, so it is not planted.
            7 if !rules.negations.contains(chars[at]) => {
                chars.remove(at);
            }
            7 => chars[at] = *rng.pick(pool),
            _ => chars.insert(at, *rng.pick(pool)),
        }
    }
    chars.into_iter().collect()
}

fn swap_word(rng: &mut Rng, base: &str, rules: &DedupRules) -> Option<String> {
    let start = rng.below(WORD_SWAPS.len());
    let limit = max_edits(rules, normalise_key(base).chars().count());
    (0..WORD_SWAPS.len())
        .map(|i| WORD_SWAPS[(start + i) % WORD_SWAPS.len()])
        .find(|(from, to)| {
            base.contains(from) && from.chars().count().max(to.chars().count()) <= limit
        })
        .map(|(from, to)| base.replacen(from, to, 1))
}

fn rare_char(rng: &mut Rng, base: &str) -> String {
    let mut chars: Vec<char> = base.chars().collect();
    if chars.len() >= 6 {
        let at = rng.below(chars.len() - 1);
        chars[at] = *rng.pick(RARE);
    }
    chars.into_iter().collect()
}

/// Why recall is not 1: for lines outside the main cluster of their true
/// cluster, counts by cause, with a few examples.
fn explain_splits(
    lines: &[&str],
    found: &riskflow::dedup::Clustering,
    truth: &[u32],
    bases: &[String],
    rules: &DedupRules,
) {
    let mut main: HashMap<u32, HashMap<u32, usize>> = HashMap::new();
    for (&f, &t) in found.cluster_of.iter().zip(truth) {
        *main.entry(t).or_default().entry(f).or_default() += 1;
    }
    let main_of: HashMap<u32, u32> = main
        .iter()
        .map(|(&t, counts)| {
            (
                t,
                counts
                    .iter()
                    .max_by_key(|(f, n)| (**n, std::cmp::Reverse(**f)))
                    .map(|(f, _)| *f)
                    .unwrap_or(0),
            )
        })
        .collect();
    let (mut within, mut beyond, mut shown) = (0usize, 0usize, 0usize);
    let mut seen = HashSet::new();
    for (i, (&f, &t)) in found.cluster_of.iter().zip(truth).enumerate() {
        if main_of[&t] == f || !seen.insert(lines[i]) {
            continue;
        }
        let key = normalise_key(lines[i]);
        let base = normalise_key(&bases[t as usize]);
        let longer = key.chars().count().max(base.chars().count());
        let d = strsim::levenshtein(&key, &base);
        if d <= max_edits(rules, longer) {
            within += 1;
            if shown < 8 {
                shown += 1;
                let canonical = lines[found.canonical[f as usize] as usize];
                println!(
                    "  split: {:?} (base {:?}, {d} edits) went to {:?}",
                    lines[i], bases[t as usize], canonical
                );
            }
        } else {
            beyond += 1;
        }
    }
    println!(
        "distinct texts outside their true cluster's main cluster: {within} within the threshold of their base, {beyond} beyond it"
    );
}

/// B-cubed precision, recall and F1 of `found` against `truth`.
fn b_cubed(found: &[u32], truth: &[u32]) -> (f64, f64, f64) {
    let mut both: HashMap<(u32, u32), u64> = HashMap::new();
    let mut found_size: HashMap<u32, u64> = HashMap::new();
    let mut truth_size: HashMap<u32, u64> = HashMap::new();
    for (&f, &t) in found.iter().zip(truth) {
        *both.entry((f, t)).or_default() += 1;
        *found_size.entry(f).or_default() += 1;
        *truth_size.entry(t).or_default() += 1;
    }
    let n = found.len().max(1) as f64;
    let (mut p, mut r) = (0.0, 0.0);
    for (&(f, t), &k) in &both {
        let k = k as f64;
        p += k * k / found_size[&f] as f64;
        r += k * k / truth_size[&t] as f64;
    }
    let (p, r) = (p / n, r / n);
    (p, r, 2.0 * p * r / (p + r))
}

/// User + system CPU time of this process so far, to tell our own work
/// from waiting for a shared machine.
fn cpu_seconds() -> f64 {
    // SAFETY: getrusage only writes into the struct we pass.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) } != 0 {
        return 0.0;
    }
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    secs(usage.ru_utime) + secs(usage.ru_stime)
}

/// Peak resident memory of this process in MiB, from /proc/self/status.
fn peak_rss_mib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .map_or(0, |kb| kb / 1024)
}
