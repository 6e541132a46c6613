//! 一览表 and post-table fixtures: one description per file (rows with their
//! risk items, measures, grades and 责任人 as structured facts), from which
//! both the cell texts and the expected catalog are written.
//!
//! Wording from seed 002 (the XX局 2021 一览表, ★ grades) and seed 003 (the
//! 办公室岗位风险防控要点 post table, 一/二/三 grades).

use serde::Serialize;

/// One numbered (or unnumbered) line of a cell, as the catalog reads it.
#[derive(Clone, Copy)]
pub struct Item {
    pub n: Option<u32>,
    pub marker: Option<&'static str>,
    pub text: &'static str,
}

impl Item {
    /// The line exactly as typed: marker then text.
    pub fn written(&self) -> String {
        format!("{}{}", self.marker.unwrap_or(""), self.text)
    }
}

/// `num("1、", "…")`: a numbered line; its number is the marker's digits.
fn num(marker: &'static str, text: &'static str) -> Item {
    let digits: String = marker.chars().take_while(char::is_ascii_digit).collect();
    Item {
        n: digits.parse().ok(),
        marker: Some(marker),
        text,
    }
}

fn plain(text: &'static str) -> Item {
    Item {
        n: None,
        marker: None,
        text,
    }
}

/// A grade as the catalog records it.
#[derive(Clone, Copy)]
pub struct Grade {
    pub level: &'static str,
    pub scale: &'static str,
    pub raw: &'static str,
}

/// How several items share one cell.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Joiner {
    /// Typed one after the other on one line (`1、…2、…3、…`).
    RunTogether,
    /// One line each (Alt+Enter in Excel).
    Lines,
}

/// Where a row's grade is written.
#[derive(Clone, Copy)]
pub enum GradeCell {
    /// No grade anywhere (`grade.missing`).
    None,
    /// A ★ prefix in front of the risk cell's first item.
    Stars(Grade),
    /// The value of a 风险等级 column.
    Column(Grade),
}

impl GradeCell {
    fn grade(&self) -> Option<Grade> {
        match *self {
            GradeCell::None => None,
            GradeCell::Stars(g) | GradeCell::Column(g) => Some(g),
        }
    }
}

/// One data row of the table.
pub struct Row {
    /// 流程 (process tables) or 岗位名称 (post tables): the chart it belongs to.
    pub group: &'static str,
    /// 关键环节; None in post tables.
    pub step: Option<&'static str>,
    /// 涉及对象; None when the table has no such column.
    pub object: Option<&'static str>,
    pub grade: GradeCell,
    pub risks: Vec<Item>,
    pub measures: Vec<Item>,
    /// The 责任主体 / 责任人 cell as written ("" when left empty).
    pub responsible: &'static str,
    /// The names the catalog lists for it.
    pub names: Vec<&'static str>,
}

impl Row {
    /// The risk cell: a ★ prefix (when the grade is written so), then the items.
    pub fn risk_cell(&self, joiner: Joiner) -> String {
        let stars = match self.grade {
            GradeCell::Stars(g) => g.raw,
            _ => "",
        };
        format!("{stars}{}", join(&self.risks, joiner))
    }

    pub fn measure_cell(&self, joiner: Joiner) -> String {
        join(&self.measures, joiner)
    }

    pub fn grade_cell(&self) -> &'static str {
        match self.grade {
            GradeCell::Column(g) => g.raw,
            _ => "",
        }
    }
}

fn join(items: &[Item], joiner: Joiner) -> String {
    let sep = match joiner {
        Joiner::RunTogether => "",
        Joiner::Lines => "\n",
    };
    items
        .iter()
        .map(Item::written)
        .collect::<Vec<_>>()
        .join(sep)
}

/// A column of the table and what it holds.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Col {
    Group,
    Step,
    Object,
    Risk,
    Grade,
    Measure,
    Responsible,
}

/// One table fixture: the lines above the table, its columns and rows.
pub struct Table {
    pub department: Option<&'static str>,
    pub title: &'static str,
    /// Header text and role of each column, left to right.
    pub columns: Vec<(&'static str, Col)>,
    pub joiner: Joiner,
    pub rows: Vec<Row>,
}

impl Table {
    /// The text of row `r` in column `col` ("" for an empty cell).
    pub fn cell(&self, r: usize, col: Col) -> String {
        let row = &self.rows[r];
        match col {
            Col::Group => row.group.to_string(),
            Col::Step => row.step.unwrap_or("").to_string(),
            Col::Object => row.object.unwrap_or("").to_string(),
            Col::Risk => row.risk_cell(self.joiner),
            Col::Grade => row.grade_cell().to_string(),
            Col::Measure => row.measure_cell(self.joiner),
            Col::Responsible => row.responsible.to_string(),
        }
    }

    /// Runs of rows with the same 流程 / 岗位 (first row, row count).
    pub fn groups(&self) -> Vec<(usize, usize)> {
        let mut out: Vec<(usize, usize)> = Vec::new();
        for (i, row) in self.rows.iter().enumerate() {
            match out.last_mut() {
                Some((first, n)) if self.rows[*first].group == row.group => *n += 1,
                _ => out.push((i, 1)),
            }
        }
        out
    }
}

/// `fixtures/table/yilanbiao.docx`: 廉政风险点防控一览表, three 流程 groups,
/// ★ grades in the risk cells, items run together in one cell.
pub fn yilanbiao_docx() -> Table {
    let stars = |raw: &'static str, level: &'static str| {
        GradeCell::Stars(Grade {
            level,
            scale: "stars",
            raw,
        })
    };
    let jiwei = || vec!["局XX纪委"];
    Table {
        department: None,
        title: "XX局2021年廉政风险点防控措施一览表",
        columns: vec![
            ("流程", Col::Group),
            ("关键环节", Col::Step),
            ("涉及对象", Col::Object),
            ("廉政风险点及等级", Col::Risk),
            ("防控措施", Col::Measure),
            ("责任主体", Col::Responsible),
        ],
        joiner: Joiner::RunTogether,
        rows: vec![
            Row {
                group: "协助XX党委加强党风廉政建设",
                step: Some("责任分解"),
                object: Some("XX各处室、局直各单位"),
                grade: stars("★★", "medium"),
                risks: vec![plain("责任分解不到位。")],
                measures: vec![
                    num(
                        "1、",
                        "深刻领会中央和自治区党委关于党风廉政建设的指导精神。",
                    ),
                    num("2、", "结合工作实际认真贯彻执行。"),
                    num("3、", "定期检查责任分解落实情况。"),
                ],
                responsible: "局党组、XX党委",
                names: vec!["局党组", "XX党委"],
            },
            Row {
                group: "协助XX党委加强党风廉政建设",
                step: Some("责任督查"),
                object: Some("XX党委所属基层党建组织"),
                grade: stars("★", "low"),
                risks: vec![plain(
                    "责任督查不认真，监督力量薄弱，疏忽或故意隐瞒发现的问题。",
                )],
                measures: vec![plain("加强监督检查力度，发现问题及时督促整改。")],
                responsible: "局XX纪委",
                names: jiwei(),
            },
            Row {
                group: "协助XX党委加强党风廉政建设",
                step: Some("责任报告"),
                object: Some("XX党委所属基层党建组织"),
                // Planted: no ★ in front of the risk → grade.missing.
                grade: GradeCell::None,
                risks: vec![plain("责任报告不真实。")],
                measures: vec![plain("对报送的述职述廉报告进行认真的把关审阅。")],
                responsible: "局XX纪委",
                names: jiwei(),
            },
            Row {
                group: "来信来访来电受理",
                step: Some("审查"),
                object: Some("局XX纪委工作人员"),
                grade: stars("★★★", "high"),
                risks: vec![
                    num("1、", "当日来信未及时拆封，造成不良后果。"),
                    num("2、", "随信寄来的证件和物品丢失。"),
                    num("3、", "接待群众来访投诉不热情、态度生硬，敷衍塞责。"),
                ],
                measures: vec![
                    num("1、", "严格按程序进行呈报。"),
                    num("2、", "当日来信当日拆封登记。"),
                ],
                responsible: "局XX纪委",
                names: jiwei(),
            },
            Row {
                group: "来信来访来电受理",
                step: Some("登记"),
                object: Some("局XX纪委工作人员"),
                grade: stars("★★", "medium"),
                risks: vec![plain("登记不及时，登记信息错漏。")],
                measures: vec![plain("专人登记，当日登记。")],
                // Planted: 责任主体 left empty → responsible.missing.
                responsible: "",
                names: vec![],
            },
            Row {
                group: "案件查办",
                step: Some("初核"),
                object: Some("局XX纪委工作人员"),
                grade: stars("★★★", "high"),
                risks: vec![plain(
                    "提出初核报告时未依法公正，收受调查对象好处给调查对象减轻责任。",
                )],
                measures: vec![plain("根据实际拟出初核调查方案，认真细致，不遗留线索。")],
                responsible: "局XX纪委",
                names: jiwei(),
            },
            Row {
                group: "案件查办",
                step: Some("立案"),
                object: Some("专案人员"),
                grade: stars("★★", "medium"),
                risks: vec![plain("不按规定程序进行立案。")],
                measures: vec![plain("严格执行立案审批制度。")],
                responsible: "局XX纪委",
                names: jiwei(),
            },
            Row {
                group: "案件查办",
                step: Some("调查"),
                object: Some("专案人员"),
                grade: stars("★★★", "high"),
                risks: vec![
                    num("1、", "谈话取证不规范。"),
                    num("2、", "泄露信访案件的内容和办理情况。"),
                ],
                measures: vec![
                    num("1、", "规范谈话取证过程，谈话取证时保证有两名人员在场。"),
                    num("2、", "承办人员严格保守秘密。"),
                ],
                responsible: "专案负责人",
                names: vec!["专案负责人"],
            },
        ],
    }
}

/// `fixtures/table/gangwei.docx`: 岗位廉政风险表, one chart per post, grades
/// 一级/二级/三级 in their own column.
pub fn gangwei_docx() -> Table {
    let tier = |raw: &'static str, level: &'static str| {
        GradeCell::Column(Grade {
            level,
            scale: "tier",
            raw,
        })
    };
    Table {
        department: Some("XX区国家税务局办公室"),
        title: "办公室岗位廉政风险表",
        columns: vec![
            ("岗位名称", Col::Group),
            ("风险表现", Col::Risk),
            ("风险等级", Col::Grade),
            ("防控措施", Col::Measure),
            ("责任人", Col::Responsible),
        ],
        joiner: Joiner::RunTogether,
        rows: vec![
            Row {
                group: "主任岗",
                step: None,
                object: None,
                grade: tier("一级", "high"),
                risks: vec![
                    num("1、", "在公文、保密、财务等工作中把关不严，造成工作失误。"),
                    num("2、", "在印章的使用过程中审核把关不严；印章遗失、被盗。"),
                ],
                measures: vec![
                    num("1、", "加强管理制度建设，规范公文处理。"),
                    num("2、", "严格执行印章管理使用规定，印章由专人管理和使用。"),
                ],
                responsible: "主任",
                names: vec!["主任"],
            },
            Row {
                group: "机要保密岗",
                step: None,
                object: None,
                grade: tier("一级", "high"),
                risks: vec![plain("发生重大失泄密事件。")],
                measures: vec![
                    num("1、", "严格按照有关规定保管机要文件；"),
                    num("2、", "开展局机关日常保密自查及检查；"),
                    num("3、", "根据政策调整及时调整保密范围和密级。"),
                ],
                responsible: "机要员",
                names: vec!["机要员"],
            },
            Row {
                group: "文秘写作岗",
                step: None,
                object: None,
                grade: tier("二级", "medium"),
                risks: vec![plain(
                    "在信息、宣传工作中发表违法言论，出现失实报道，提供虚假新闻。",
                )],
                measures: vec![
                    num("1、", "严格遵守写作纪律，把握好宣传口径。"),
                    num("2、", "严格执行信息、宣传稿件审核制度。"),
                ],
                responsible: "副主任",
                names: vec!["副主任"],
            },
            Row {
                group: "网站管理岗",
                step: None,
                object: None,
                grade: tier("三级", "low"),
                risks: vec![
                    num("1、", "没有及时对内外网站栏目、信息进行维护和监控；"),
                    num("2、", "信息审核把关不严造成泄密。"),
                ],
                measures: vec![plain("认真落实网站管理的各项制度，实行信息三审制。")],
                responsible: "网站管理员",
                names: vec!["网站管理员"],
            },
        ],
    }
}

/// `fixtures/excel/yilanbiao.xlsx` (and .xls): a title row merged across,
/// 流程 merged down, a 风险等级 column with 高/中/低, Alt+Enter lines.
pub fn yilanbiao_xlsx() -> Table {
    let word = |raw: &'static str, level: &'static str| {
        GradeCell::Column(Grade {
            level,
            scale: "word",
            raw,
        })
    };
    Table {
        department: None,
        title: "财务科廉政风险点防控一览表",
        columns: vec![
            ("流程", Col::Group),
            ("关键环节", Col::Step),
            ("廉政风险点", Col::Risk),
            ("风险等级", Col::Grade),
            ("防控措施", Col::Measure),
            ("责任人", Col::Responsible),
        ],
        joiner: Joiner::Lines,
        rows: vec![
            Row {
                group: "经费报销",
                step: Some("审核"),
                object: None,
                grade: word("高", "high"),
                risks: vec![
                    num("1.", "审核把关不严，对不合规票据予以报销。"),
                    num("2.", "虚列支出，套取资金。"),
                ],
                measures: vec![
                    num("1.", "实行财务人员双人审核。"),
                    num("2.", "每季度公开经费支出情况。"),
                ],
                responsible: "会计",
                names: vec!["会计"],
            },
            Row {
                group: "经费报销",
                step: Some("审批"),
                object: None,
                grade: word("中", "medium"),
                risks: vec![plain("超标准、超范围审批报销。")],
                measures: vec![
                    num("1.", "严格执行经费审批权限。"),
                    num("2.", "大额支出集体研究决定。"),
                ],
                responsible: "分管领导",
                names: vec!["分管领导"],
            },
            Row {
                group: "经费报销",
                step: Some("支付"),
                object: None,
                grade: word("高", "high"),
                risks: vec![num("1.", "公款私存。"), num("2.", "违规提取现金。")],
                measures: vec![plain("严格执行现金管理规定，大额支付一律转账。")],
                responsible: "出纳",
                names: vec!["出纳"],
            },
            Row {
                group: "政府采购",
                step: Some("需求申报"),
                object: None,
                grade: word("低", "low"),
                risks: vec![plain("虚报采购数量和种类。")],
                measures: vec![
                    num("1.", "采购计划集体研究确定。"),
                    num("2.", "采购需求公开。"),
                ],
                responsible: "办公室主任",
                names: vec!["办公室主任"],
            },
            Row {
                group: "政府采购",
                step: Some("验收"),
                object: None,
                grade: word("中", "medium"),
                risks: vec![
                    num("1.", "验收走过场。"),
                    num("2.", "与供应商串通，以次充好。"),
                ],
                measures: vec![plain("两人以上共同验收，签字确认。")],
                // Merged with the cell above in the workbook (one 责任人 for both rows).
                responsible: "办公室主任",
                names: vec!["办公室主任"],
            },
        ],
    }
}

// ---- the expected catalog ---------------------------------------------------

#[derive(Serialize)]
pub struct Expected {
    pub status: &'static str,
    pub charts: Vec<ExChart>,
    pub findings: Vec<ExFinding>,
}

#[derive(Serialize)]
pub struct ExChart {
    pub ordinal: usize,
    pub layout: &'static str,
    pub title: Option<&'static str>,
    pub department: Option<&'static str>,
    pub category: Option<&'static str>,
    pub category_raw: Option<&'static str>,
    pub code: Option<&'static str>,
    pub name: String,
    pub time_limit: Option<&'static str>,
    pub contacts: Vec<()>,
    pub steps: Vec<ExStep>,
    pub risk_points: Vec<ExRiskPoint>,
}

#[derive(Serialize)]
pub struct ExStep {
    pub seq: usize,
    pub name: String,
    pub raw: String,
    pub actor: Option<&'static str>,
    pub time_limit: Option<&'static str>,
}

#[derive(Serialize)]
pub struct ExRiskPoint {
    pub label: Option<&'static str>,
    pub step: Option<usize>,
    pub grade: Option<ExGrade>,
    pub items: Vec<ExLine>,
    pub measures: Vec<ExLine>,
    pub responsible: Vec<&'static str>,
}

#[derive(Serialize)]
pub struct ExGrade {
    pub level: &'static str,
    pub scale: &'static str,
    pub raw: &'static str,
}

#[derive(Serialize)]
pub struct ExLine {
    pub n: Option<u32>,
    pub marker: Option<&'static str>,
    pub text: &'static str,
}

#[derive(Serialize)]
pub struct ExFinding {
    pub code: &'static str,
    pub chart: usize,
    pub evidence: String,
}

fn lines(items: &[Item]) -> Vec<ExLine> {
    items
        .iter()
        .map(|i| ExLine {
            n: i.n,
            marker: i.marker,
            text: i.text,
        })
        .collect()
}

/// Pretty JSON with a final newline.
pub fn to_json(e: &Expected) -> Vec<u8> {
    let mut json = serde_json::to_string_pretty(e).expect("plain structs serialise");
    json.push('\n');
    json.into_bytes()
}

/// The expected catalog of a table fixture: one chart per 流程 / 岗位 group,
/// its 关键环节 as steps (actor: the 涉及对象 of the step's first row), one
/// risk point per row; `grade.missing` where a row with risks has no grade,
/// `responsible.missing` where a row with measures names no one.
pub fn expected(t: &Table) -> Expected {
    let mut out = Expected {
        status: "ok",
        charts: Vec::new(),
        findings: Vec::new(),
    };
    for (gi, (first, count)) in t.groups().into_iter().enumerate() {
        let ordinal = gi + 1;
        let rows = &t.rows[first..first + count];
        let mut steps: Vec<ExStep> = Vec::new();
        let mut risk_points = Vec::new();
        for row in rows {
            let step = row.step.map(|name| {
                if steps.last().is_none_or(|s| s.raw != name) {
                    steps.push(ExStep {
                        seq: steps.len() + 1,
                        name: name.split_whitespace().collect(),
                        raw: name.to_string(),
                        actor: row.object,
                        time_limit: None,
                    });
                }
                steps.len()
            });
            if let (Some(first), None) = (row.risks.first(), row.grade.grade()) {
                out.findings.push(ExFinding {
                    code: "grade.missing",
                    chart: ordinal,
                    evidence: first.written(),
                });
            }
            if let (Some(first), true) = (row.measures.first(), row.names.is_empty()) {
                out.findings.push(ExFinding {
                    code: "responsible.missing",
                    chart: ordinal,
                    evidence: first.written(),
                });
            }
            risk_points.push(ExRiskPoint {
                label: None,
                step,
                grade: row.grade.grade().map(|g| ExGrade {
                    level: g.level,
                    scale: g.scale,
                    raw: g.raw,
                }),
                items: lines(&row.risks),
                measures: lines(&row.measures),
                responsible: row.names.clone(),
            });
        }
        out.charts.push(ExChart {
            ordinal,
            layout: "table",
            title: Some(t.title),
            department: t.department,
            category: None,
            category_raw: None,
            code: None,
            name: rows[0].group.to_string(),
            time_limit: None,
            contacts: Vec::new(),
            steps,
            risk_points,
        });
    }
    out
}
