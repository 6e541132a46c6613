//! The content of every fixture chart: wording from seed 001 (the 长治高新区
//! charts), with each planted defect declared next to the box that carries
//! it, so the expected catalog and the .docx come from the same facts.

pub const DEPARTMENT: &str = "长治高新区组织和人力资源部";

/// One chart: titles, steps top to bottom, and the risk/measure boxes.
pub struct Chart {
    /// The text inside `<…>` of the title: `行政裁决类1`.
    pub category_raw: &'static str,
    /// `职权名称` or `权力名称`.
    pub name_label: &'static str,
    pub name: &'static str,
    pub steps: Vec<Step>,
    /// In step order, then top to bottom (the order of the expected catalog).
    pub points: Vec<Point>,
    /// Empty string: the number cell is left blank (as in most seed charts).
    pub service_phone: &'static str,
    pub supervision_phone: &'static str,
    /// Risks on the left and measures on the right (headers swapped too).
    pub mirrored: bool,
    /// The chart is a picture: no boxes at all.
    pub image_only: bool,
    /// Chart-level planted findings (`chart.image_only`, `chart.duplicate`).
    pub findings: Vec<Finding>,
}

impl Chart {
    pub fn title(&self) -> String {
        format!("权力运行廉政风险防控图<{}>", self.category_raw)
    }

    pub fn name_line(&self) -> String {
        format!("{}：{}", self.name_label, self.name)
    }
}

pub struct Step {
    /// The box text as written (`受    理`).
    pub raw: &'static str,
    pub name: String,
    pub actor: Option<&'static str>,
    pub time_limit: Option<&'static str>,
}

/// The risk box and the measure box that sit beside one step.
pub struct Point {
    /// Index into `Chart::steps`.
    pub step: usize,
    pub risk: Option<BoxText>,
    pub measure: Option<BoxText>,
}

/// The paragraphs of one risk or measure box, and the defects planted in it.
pub struct BoxText {
    pub paras: Vec<Para>,
    pub findings: Vec<Finding>,
}

pub enum Para {
    /// A paragraph whose number (if any) is typed in the text.
    Line(Line),
    /// A paragraph numbered by Word auto-numbering (`w:numPr`): the number is
    /// not in the text, Word renders it from numbering.xml.
    Auto { num_id: u32, text: &'static str },
    Grade {
        raw: &'static str,
        level: &'static str,
    },
    Responsible {
        raw: &'static str,
        names: Vec<&'static str>,
    },
}

pub struct Line {
    /// The paragraph exactly as typed: `1.故意刁难申请人。`.
    pub written: &'static str,
    pub n: Option<u32>,
    pub marker: Option<&'static str>,
    pub text: &'static str,
}

#[derive(Clone)]
pub struct Finding {
    pub code: &'static str,
    pub evidence: String,
}

impl BoxText {
    fn with(mut self, code: &'static str, evidence: &str) -> Self {
        self.findings.push(Finding {
            code,
            evidence: evidence.to_string(),
        });
        self
    }
}

fn step(raw: &'static str) -> Step {
    Step {
        raw,
        name: raw.split_whitespace().collect(),
        actor: None,
        time_limit: None,
    }
}

/// Splits a typed paragraph into marker and text the way the catalog
/// convention reads it: leading ASCII digits, then any run of `.` `、` `．`;
/// digits glued straight to text (`1擅自…`) are a marker of their own.
fn line(written: &'static str) -> Line {
    let digits = written.bytes().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 {
        return Line {
            written,
            n: None,
            marker: None,
            text: written.trim(),
        };
    }
    let seps: usize = written[digits..]
        .chars()
        .take_while(|c| matches!(c, '.' | '、' | '．'))
        .map(char::len_utf8)
        .sum();
    let end = digits + seps;
    Line {
        written,
        n: written[..digits].parse().ok(),
        marker: Some(&written[..end]),
        text: written[end..].trim(),
    }
}

/// One box from its lines, one paragraph per line.
fn b(src: &'static str) -> BoxText {
    let paras = src
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            if l.starts_with("风险等级") {
                let level = if l.ends_with('高') {
                    "high"
                } else if l.ends_with('中') {
                    "medium"
                } else {
                    "low"
                };
                Para::Grade { raw: l, level }
            } else if l.starts_with("责任人") {
                let names = l
                    .split_once(['：', ':'])
                    .map(|(_, rest)| rest.split('、').map(str::trim).collect())
                    .unwrap_or_default();
                Para::Responsible { raw: l, names }
            } else {
                Para::Line(line(l))
            }
        })
        .collect();
    BoxText {
        paras,
        findings: Vec::new(),
    }
}

/// A risk box numbered by Word auto-numbering list `num_id`.
fn auto_box(num_id: u32, items: &[&'static str], grade: &'static str) -> BoxText {
    let mut out = b(grade);
    let mut paras: Vec<Para> = items
        .iter()
        .map(|&text| Para::Auto { num_id, text })
        .collect();
    paras.append(&mut out.paras);
    out.paras = paras;
    out
}

fn both(step: usize, risk: BoxText, measure: BoxText) -> Point {
    Point {
        step,
        risk: Some(risk),
        measure: Some(measure),
    }
}

fn chart(
    category_raw: &'static str,
    name: &'static str,
    steps: Vec<Step>,
    points: Vec<Point>,
) -> Chart {
    Chart {
        category_raw,
        name_label: "职权名称",
        name,
        steps,
        points,
        service_phone: "",
        supervision_phone: "",
        mirrored: false,
        image_only: false,
        findings: Vec::new(),
    }
}

// Boxes that several charts share, as the seed's charts do.
const RISK_SHOULI: &str = "1.故意刁难申请人。\n2.不按规定程序受理。\n3.无原因超时办理。\n4.不能一次告知所需材料。\n5.不严格审查或故意让虚假资料通过。\n风险等级：中";
const MEASURE_SHOULI: &str = "1.建立受理单制度。\n2.严格履行服务承诺制度，做到首问负责和一次性告知。\n3.政务公开，明确工作程序、时限等，按照项目核准规定办理。\n4.内部监督检查、投诉举报受理。\n责任人：受理人";
const MEASURE_JUEDING: &str = "1.严格按照相关标准、程序及权限审核审批。\n2.实行事前事中事后全过程监察，加强教育，杜绝人情关系。\n3.严格执行会商机制。\n4.严格执行责任追究制度。\n责任人：分管领导";
const RISK_SONGDA: &str =
    "1.擅自改动内容，制作文书不规范。\n2.不及时办结。\n3.未及时送达。\n风险等级：低";
const MEASURE_SONGDA: &str = "1.严格执行文书制作操作规范。\n2.落实文书制作限时制。\n3.实行政务公开制度。\n4.加强内部监管，落实责任追究。\n责任人：办理人";
const MEASURE_JIANGUAN: &str = "1.强化事后监管，发现并及时纠正审批过程中存在的问题。\n2.严格执行责任追究制度。\n责任人：纪检负责人";
const RISK_GEIFU_SHOULI: &str = "1.故意刁难经办人。\n2.利用各种方式收取额外费用。\n3.无原因超时办理，久拖不办。\n4.不能一次告知所需材料。\n风险等级：低";
const MEASURE_GEIFU_SHOULI: &str = "1.建立受理制度。\n2.严格履行服务承诺制度，做到首问负责和一次性告知。\n3.政务公开，明确工作程序、时限等，按照规定办理。\n4.内部监督检查、投诉举报受理。\n责任人：受理人";

/// gaoxin_boxes.docx: five charts of Word text boxes carrying most planted defects.
pub fn gaoxin_boxes() -> Vec<Chart> {
    let mut caijue = chart(
        "行政裁决类1",
        "调解仲裁用人单位与劳动者发生的劳动人事争议",
        vec![
            step("申    请"),
            step("受    理"),
            step("调    解"),
            step("送    达"),
            step("事后监管"),
            step("办    结"),
        ],
        vec![
            both(
                1,
                b("1.故意刁难申请人。\n2.无原因超时办理。\n2.不按规定程序受理。\n3.不能一次告知所需材料。\n4.不严格审查或故意让虚假资料通过。\n风险等级：中")
                    .with("numbering.duplicate", "2.不按规定程序受理。"),
                b(MEASURE_SHOULI),
            ),
            both(
                2,
                b("1擅自改变审查结论。\n2.受申请人请托，违反程序、违规越权审核审批。\n3.会审、会签中压件不办，或不按规定把关。\n风险等级：高")
                    .with("numbering.malformed", "1擅自改变审查结论。"),
                b(MEASURE_JUEDING),
            ),
            both(3, b(RISK_SONGDA), b(MEASURE_SONGDA)),
            both(
                4,
                b("1.监管不严格，敷衍了事，形式主义。\n风险等级：中"),
                b(MEASURE_JIANGUAN),
            ),
        ],
    );
    caijue.service_phone = "0355-8583591";
    caijue.supervision_phone = "0355-8583592";

    let geifu = chart(
        "行政给付类2",
        "企业退休人员基本养老金待遇给付",
        vec![
            step("申    请"),
            step("受    理"),
            step("审    核"),
            step("决    定"),
            step("办    结"),
        ],
        vec![
            both(
                1,
                b(
                    "1.利用各种方式收取额外费用。\n2.无原因超时办理，久拖不办。\n3.不能一次告知所需材料。\n风险等级：低",
                ),
                b(MEASURE_SHOULI),
            ),
            both(
                2,
                b(
                    "1.可能存在对材料、证件审核不严。\n2.擅自增加或减少审查条件、程序。\n3.无原因超时办理。\n风险等级：低",
                ),
                b(
                    "1.履行廉政承诺。\n2.严格内部监督检查制度。\n3.政务公开，明确工作程序、时限等，坚持落实“层层责任制”，审核严格把关，按照业务规定办理，进行核定待遇。\n责任人：科室负责人",
                ),
            ),
            both(
                3,
                b("没有按文件规定流程实效办理。\n风险等级：低"),
                b("1.政务公开，明确工作程序、时限等。\n2.内部监督检查、落实责任追究。")
                    .with("responsible.missing", "1.政务公开，明确工作程序、时限等。"),
            ),
        ],
    );

    // Both risk boxes share numbering list 1, so Word renders the second 6–10.
    let queren = chart(
        "行政确认类12",
        "企业养老保险参保、变更、注销登记、年度报告",
        vec![
            step("申    请"),
            step("受    理"),
            step("审    查"),
            step("登记"),
            step("办    结"),
        ],
        vec![
            both(
                1,
                auto_box(
                    1,
                    &[
                        "故意刁难申请人。",
                        "不按规定程序受理。",
                        "无原因超时办理。",
                        "不能一次告知所需材料。",
                        "不严格审查或故意让虚假资料通过。",
                    ],
                    "风险等级：中",
                ),
                b(MEASURE_SHOULI),
            ),
            both(
                2,
                auto_box(
                    1,
                    &[
                        "擅自增加或减少审查条件、程序。",
                        "对申报材料的审核把关不严，对重大质疑点，疏忽或故意隐瞒。",
                        "无原因超时办理。",
                        "故意刁难，附加有偿服务或指定中介服务。",
                        "擅自借阅、涂改、抽取、调换档案材料等。",
                    ],
                    "风险等级：高",
                )
                .with("numbering.continued", "6.\t擅自增加或减少审查条件、程序。"),
                b(
                    "1.实行形式审查、现场审查、综合审查制度，量化审查标准，执行回避制度。\n2.实行审查人和复核人同时审查制度，如有必要邀请专家审查。\n3.实行审查留痕制度。\n4.建立健全《现场审查人员工作守则》《现场审查组公正性及保密事项承诺》等制度，并严格执行。\n5.综合审查采用会议形式，集体研究决定。\n6.定期抽查、集体评议；加强纪检监察；设立举报电话、举报箱和信访受理。\n责任人：部门负责人、审查人",
                ),
            ),
            both(
                3,
                b(
                    "1.擅自改变审查结论。\n2.违反程序、违规越权审核审批。\n3.对符合条件的不批准。\n风险等级：高",
                ),
                b(
                    "1.严格按照相关标准、程序及权限审定。\n2.严格执行责任追究制度。\n责任人：分管领导",
                ),
            ),
            Point {
                step: 4,
                risk: None,
                measure: Some(b(
                    "1.严格按照相关时限及程序要求和资料清单归档。\n2.严格执行责任追究制度。\n责任人：部门负责人",
                )),
            },
        ],
    );

    let qiangzhi = chart(
        "行政强制类9",
        "先行证据登记保存措施",
        vec![
            step("提出申请"),
            step("批准"),
            step("催告"),
            step("决    定"),
            step("解除措施"),
        ],
        vec![
            both(
                0,
                b("1.徇私舞弊，对应进行证据登记保存的不采取相应措施。\n2.对不需要进行证据登记保存的采取措施。\n风险等级：中"),
                b("1.服务承诺，回避制度。\n2.内部监督检查，复查复审。\n3.纪检跟踪督察，受理举报。\n4.健全办案管理制度。\n责任人：部门负责人"),
            ),
            both(
                2,
                b("未按时送达或送达方式违法。\n风险等级：低"),
                b("1.执行内部监督检查，纪检跟踪督察制度。\n2.加强对案件台账的内部监督检查。\n责任人：具体承办人"),
            ),
            both(
                3,
                b("未按时作出处理决定。\n风险等级：中"),
                b("1..严格按法律规定程序进行。\n2.执行内部监督检查，纪检跟踪督察制度。\n责任人：部门负责人")
                    .with("numbering.malformed", "1..严格按法律规定程序进行。"),
            ),
            both(
                4,
                b("未及时进行措施解除。\n风险等级：高"),
                b("1.严格按法律规定按时解除相应措施。\n2.执行内部监督检查制度，纪检组跟踪督察制度。\n责任人：具体承办人"),
            ),
        ],
    );

    let beian = chart(
        "其他权力15",
        "劳动用工备案",
        vec![
            step("申    请"),
            step("受    理"),
            step("审    查"),
            step("决定备案"),
            step("送    达"),
            step("事后监管"),
            step("办    结"),
        ],
        vec![
            both(1, b(RISK_SHOULI), b(MEASURE_SHOULI)),
            both(
                2,
                b(
                    "1.擅自增加或减少审查条件、程序。\n2.对申报材料的审核把关不严，对重大质疑点，疏忽或故意隐瞒。\n3.无原因超时办理。\n4.故意刁难，附加有偿服务或指定中介服务。\n5.接受申请人的宴请、贿赂，擅自降低审查标准。\n风险等级：高",
                ),
                b(
                    "1.量化审查标准，执行回避制度，严格操作程序。\n2.实行审查留痕制度。\n3.定期抽查、集体评议。\n4.加强纪检监察。\n5.设立举报电话、举报箱和信访受理。\n责任人：纪检负责人",
                ),
            ),
            both(
                3,
                b(
                    "1.擅自改变审查结论。\n2.受申请人请托，违反程序、违规越权审核审批。\n3.会审、会签中压件不办，或不按规定把关。\n风险等级：高",
                ),
                b(MEASURE_JUEDING),
            ),
            both(
                4,
                b("1.擅自改动内容，制作文书不规范。\n2.不及时办结。\n3.未及时送达。")
                    .with("grade.missing", "1.擅自改动内容，制作文书不规范。"),
                b(MEASURE_SONGDA),
            ),
            both(
                5,
                b("1.监管不严格，敷衍了事，形式主义。\n风险等级;中")
                    .with("text.punctuation", "风险等级;中"),
                b(MEASURE_JIANGUAN),
            ),
        ],
    );

    vec![caijue, geifu, queren, qiangzhi, beian]
}

/// group_canvas.docx: one chart in a `wpg:wgp` group, one in a `wpc:wpc` canvas.
pub fn group_canvas() -> Vec<Chart> {
    let chufa = chart(
        "其他权力20",
        "用人单位未按照规定支付劳动报酬和经济补偿处理",
        vec![
            step("发现违法事实"),
            step("立  案"),
            step("调  查"),
            step("告  知"),
            step("送  达"),
            step("结  案"),
        ],
        vec![
            both(
                0,
                b(
                    "1.不按规定受理或回避、隐瞒违法违规线索、举报、投诉等。\n2.向被举报或被调查对象泄露信息。\n3.超越职权，擅自销案。\n风险等级：中",
                ),
                b(
                    "1.建立查处案件台帐，定期进行检查。\n2.严格按照法规程序进行监督。\n3.加强信息保密管理。\n责任人：受理人",
                ),
            ),
            both(
                2,
                b(
                    "1.调查取证时接受请托，不按规定组织调查，调查对象或方案带有倾向性，办理人情案。\n2.伪造、丢失、损毁、不按规定取证，导致案件调查无法正常进行。\n3.回避或隐瞒调查信息，隐报、擅改调查结果，重要情况不如实向分管领导汇报。\n风险等级：高",
                ),
                b(
                    "1.规范处分程序，执行回避制度。\n2.调查取证可采取现场录音、录像等技术手段。\n3.按规定程序组织开展调查，调查方案、进展组织集体研究，定期向分管领导汇报。\n责任人：执法人员",
                ),
            ),
            both(
                3,
                b("1.不进行告知。\n2.不听取当事人申辩。\n风险等级：中"),
                b(
                    "1.严格政务公开制度。\n2.健全信访投诉举报受理制度。\n3.实行一次性告知制。\n4.实行申诉制度。\n责任人：执法人员",
                ),
            ),
            both(
                4,
                b("1.不按时送达或故意拖延送达时间。\n风险等级：低"),
                b(
                    "1.严格按照法规程序进行监督。\n2.建立行政处分送达台帐，定期进行检查。\n责任人：执法人员",
                ),
            ),
        ],
    );

    let geifu = chart(
        "行政给付类3",
        "机关事业单位离退休基本养老金待遇支付",
        vec![
            step("申    请"),
            step("受    理"),
            step("审    核"),
            step("决    定"),
            step("发    放"),
        ],
        vec![
            both(1, b(RISK_GEIFU_SHOULI), b(MEASURE_GEIFU_SHOULI)),
            both(
                2,
                b(
                    "1.不告知不予受理理由。\n2.未一次性告知所需材料。\n3.无原因超时办理或不办。\n风险等级：低",
                ),
                b(
                    "严格按照行政给付事项的有关规定办理。具体措施如下：\n1.履行廉政承诺。\n2.严格内部监督检查制度。\n3.政务公开，明确工作程序、时限等，坚持落实“层层责任制”，审核严格把关，按照业务规定办理，进行核定待遇。\n责任人：审核人",
                ),
            ),
            both(
                3,
                b("没有按文件规定流程实效办理。\n风险等级：低"),
                b("1.政务公开，明确工作程序、时限等。\n2.实行责任追究制度。\n责任人：科室负责人"),
            ),
            both(
                4,
                b(
                    "后续按照政策及时调整离退休人员养老金待遇发放标准，监督其是否有多领和漏领养老金待遇情况。\n风险等级：中",
                ),
                b(
                    "1.加强廉政教育。\n2.制定考核奖惩办法。\n3.内部监督检查、落实责任追究。\n责任人：部门负责人",
                ),
            ),
        ],
    );

    vec![chufa, geifu]
}

/// wps_vml.docx: two charts of WPS-style VML boxes.
pub fn wps_vml() -> Vec<Chart> {
    let gongzi = chart(
        "其他权力36",
        "机关事业单位工资审批",
        vec![
            step("申    请"),
            step("受理"),
            step("审核"),
            step("批准"),
            step("接收数据"),
        ],
        vec![
            both(
                1,
                b(
                    "1.推诿、刁难申请人，不予受理。\n2.不能一次告知所需材料。\n3.不严格审查或故意让虚假资料通过。\n风险等级：中",
                ),
                b(
                    "1.严格履行服务承诺制度，做到首问负责和一次性告知。\n2.政务公开，明确工作程序、时限等，按照项目核准规定办理。\n3.内部监督检查、投诉举报受理。\n责任人：业务办理人",
                ),
            ),
            both(
                2,
                b(
                    "1.不执行回避制度。\n2.擅自降低审查标准。\n3.现场检查结果的判断，不客观、公正。\n4.故意刁难申请人。\n5.无原因超时办理。\n风险等级：中",
                ),
                b(
                    "1.履行服务承诺制度，投诉举报受理。\n2.纪检跟踪督察。\n3.内部监督，采取定期抽查制度。\n责任人：科室负责人",
                ),
            ),
            both(
                3,
                b(
                    "1.以权谋私，厚此薄彼。\n2.擅自降低审查标准，帮助做假。\n3.擅自改变审查结论。\n4.对符合条件的不批准。\n风险等级：中",
                ),
                b(
                    "1.履行廉政承诺。\n2.严格内部监督检查制度。\n3.民主议事制度，集体决策。\n4.纪检监察制度，投诉和信访受理。\n责任人：部门负责人",
                ),
            ),
        ],
    );

    let kaoshi = chart(
        "其他权力35",
        "人事考试应试人员违纪违规行为处理",
        vec![
            step("申    请"),
            step("受理"),
            step("审查"),
            step("决定"),
            step("送达"),
            step("办    结"),
        ],
        vec![
            both(
                1,
                b(
                    "1.故意刁难申请人。\n2.不按规定程序受理。\n3.无原因超时办理。\n4.不能一次告知哪些行为属于违纪违规行为。\n5.不严格审查。\n风险等级：中",
                ),
                b(
                    "1.建立受理单制度。\n2.严格履行服务承诺制度，做到首问负责和一次性告知。\n3.政务公开，明确工作程序、时限等，按照项目核准规定办理。\n4.内部监督检查、投诉举报受理。\n责任人：临时考务负责人",
                ),
            ),
            both(
                2,
                b(
                    "1.擅自增加或减少审查条件、程序。\n2.对申报材料的审核把关不严，对重大质疑点，疏忽或故意隐瞒。\n3.无原因超时办理。\n4.故意刁难，附加有偿服务或指定中介服务。\n风险等级：高",
                ),
                b(
                    "1.量化审查标准，执行回避制度。\n2.实行审查留痕制度。\n3.加强纪检监察。\n4.设立举报电话、举报箱和信访受理。\n责任人：科室负责人",
                ),
            ),
            both(
                3,
                b(
                    "1.擅自改变审查结论。\n2.违反程序、违规越权审核。\n3.对符合条件的不记入《考场情况报告单》。\n风险等级：高",
                ),
                b(
                    "1.强化事后监管，发现并及时纠正审查过程中存在的问题。\n2.严格执行责任追究制度。\n责任人：部门负责人",
                ),
            ),
            both(
                4,
                b(RISK_SONGDA),
                b(
                    "1.严格执行文书制作操作规范。\n2.落实文书制作限时制。\n3.加强内部监管，落实责任追究。\n责任人：具体承办人",
                ),
            ),
        ],
    );

    vec![gongzi, kaoshi]
}

/// The inspection chart of seed 行政检查类6/7: two charts, identical content.
fn jiancha(category_raw: &'static str, name_label: &'static str, name: &'static str) -> Chart {
    let mut c = chart(
        category_raw,
        name,
        vec![
            step("接到线索"),
            step("立    案"),
            step("检    查"),
            step("审    查"),
            step("决    定"),
            step("办    结"),
        ],
        vec![
            both(
                1,
                b(
                    "1.检查组成人员有直接利害关系人。\n2.超时、超权限立案。\n3.无检查方案。\n风险等级：中",
                ),
                b("1.执行回避制度。\n2.实行检查组组长审批制。\n责任人：检查组人员"),
            ),
            both(
                2,
                b(
                    "1.检查过程中不严、不细致，对情况了解不全面。\n2.检查人员不负责任或接受他人委托、收受当事人财物等，致使检查有重大疏漏。\n3.擅自发布检查信息。\n4.现场和相关证据痕迹、物证、文件、资料等不齐全或丢失。\n5.检查不及时、不准确。\n风险等级：高",
                ),
                b(
                    "1.坚持实事求是、尊重科学的原则。\n2.执行信息公开审签制度。\n3.落实物证等清单制度和专人管理制度。\n4.加强纪检监察。\n责任人：检查组人员",
                ),
            ),
            both(
                3,
                b(
                    "1.擅自改变检查结论。\n2.审核过程中对重大质疑点，疏忽或故意隐瞒。\n3.超时上报检查报告。\n4.存在接受请托、宴请以及收受礼品、礼金等违纪行为。\n5.检查人员泄密，违反相关纪律。\n风险等级：高",
                ),
                b(
                    "1.落实监督机制，实行全过程监督。\n2.严格按照相关标准、程序及权限审查。\n3.落实限时办结制。\n责任人：检查组人员",
                ),
            ),
            both(
                4,
                b(
                    "1.包庇、袒护负有责任的人员。\n2.超权限和程序处罚、处分单位和责任人。\n3.信息公开不及时、不完整。\n风险等级：高",
                ),
                b("1.加强责任追究。\n2.严格落实问责制度。\n责任人：负责人"),
            ),
        ],
    );
    c.name_label = name_label;
    c
}

/// mixed.docx: an image-only chart, an identical pair, a mirrored chart.
pub fn mixed() -> Vec<Chart> {
    let mut image = chart("行政给付类4", "失业保险待遇给付", Vec::new(), Vec::new());
    image.image_only = true;
    image.findings.push(Finding {
        code: "chart.image_only",
        evidence: image.name_line(),
    });

    let first = jiancha(
        "行政检查类6",
        "职权名称",
        "对劳动保障法律法规执行情况的检查",
    );
    let mut second = jiancha(
        "行政检查类7",
        "权力名称",
        "用人单位执行《带薪年休假制度》情况的检查",
    );
    second.findings.push(Finding {
        code: "chart.duplicate",
        evidence: second.name.to_string(),
    });

    let mut window = step("窗口受理,责任人: 熊用云(时限1个工作日)");
    window.name = "窗口受理".to_string();
    window.actor = Some("熊用云");
    window.time_limit = Some("1个工作日");
    let mut mirrored = chart(
        "其他权力38",
        "养老保险待遇领取人员生存资格认证",
        vec![
            step("申    请"),
            window,
            step("认    证"),
            step("审核审批"),
            step("送    达"),
        ],
        vec![
            both(
                1,
                b(
                    "1.对申请材料审核把关不严。\n2.现场考查及资料审核事实不清、疏忽或故意隐瞒。\n3.未按规定程序进行操作。\n4.刁难申请人，徇私谋利。\n5.无故超期办理。\n风险等级：高",
                ),
                b(
                    "1.量化审查标准，严格操作程序。\n2.实行审查留痕制度。\n3.加强纪检监察。\n4.设立举报电话、举报箱和信访受理。\n责任人：科室负责人",
                ),
            ),
            both(
                2,
                b(
                    "1.对不符合条件的予以认证，对符合条件的不予认证。\n2.未一次性告知和说明所需材料。\n3.徇私谋利等。\n风险等级：中",
                ),
                b(
                    "1.严格履行服务承诺制度，做到首问负责和一次性告知。\n2.制定受理、审核操作规程。\n3.政务公开。\n4.加强监督，失职追究。\n责任人：业务办理人",
                ),
            ),
            both(
                3,
                b(
                    "1.违规审批，对不符合法定条件的申请人准予行政审批的，对符合法定条件的申请人不予行政审批。\n2.审批超时。\n风险等级：中",
                ),
                b(
                    "1.严格执行会商机制。\n2.加强教育，杜绝人情关系。\n3.严格执行责任追究制度。\n责任人：部门负责人",
                ),
            ),
            both(
                4,
                b("未及时送达文件。\n风险等级：低"),
                b("1.实行政务公开制度。\n2.加强内部监管，落实责任追究。\n责任人：办理人"),
            ),
        ],
    );
    mirrored.mirrored = true;
    mirrored.service_phone = "8583591";
    mirrored.supervision_phone = "2032510";

    vec![image, first, second, mirrored]
}
