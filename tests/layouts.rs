//! The table, list and prose layouts end to end: blocks in, chart drafts out,
//! through `riskflow::layout::charts` (segmenting and dispatch included).

#[path = "support/shared.rs"]
mod shared;

use riskflow::document::{Block, BlockKind, Document};
use riskflow::ingest::{FileResult, Options, Reading, assemble};
use riskflow::layout::{ChartDraft, charts};
use riskflow::read::Format;
use riskflow::rules::Rules;

fn para(text: &str, n: usize) -> Block {
    Block {
        text: text.into(),
        kind: BlockKind::Paragraph,
        rect: None,
        page: 0,
        origin: format!("line {n}"),
    }
}

fn cell(table: u32, row: u32, col: u32, row_span: u32, col_span: u32, text: &str) -> Block {
    Block {
        text: text.into(),
        kind: BlockKind::Cell {
            table,
            row,
            col,
            row_span,
            col_span,
        },
        rect: None,
        page: 0,
        origin: format!("Sheet1!{}{}", (b'A' + col as u8) as char, row + 1),
    }
}

fn run(blocks: Vec<Block>) -> Vec<ChartDraft> {
    let doc = Document {
        blocks,
        ..Default::default()
    };
    charts(&doc, &Rules::builtin())
}

fn lines(v: &[riskflow::layout::LineDraft]) -> Vec<String> {
    v.iter().map(|l| l.raw.clone()).collect()
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// The seed file whose name starts with `prefix`, from `../shared/seeds`
/// beside the repository (or two levels up, from a worktree); None after a
/// SKIPPED line when the folder is not there (a failure under CI).
fn seed(prefix: &str) -> Option<String> {
    let Some(dir) = shared::shared("seeds") else {
        shared::missing(std::path::Path::new("../shared/seeds"));
        return None;
    };
    // The seeds are there: the one a test names must be too.
    let entry = std::fs::read_dir(&dir)
        .expect("seeds folder readable")
        .filter_map(Result::ok)
        .find(|e| e.file_name().to_string_lossy().starts_with(prefix))
        .unwrap_or_else(|| panic!("no seed {prefix}* in {}", dir.display()));
    Some(std::fs::read_to_string(entry.path()).expect("seed is UTF-8 text"))
}

fn as_paragraphs(text: &str) -> Vec<Block> {
    text.lines()
        .enumerate()
        .map(|(i, l)| para(l, i + 1))
        .collect()
}

#[test]
fn seed_000_list_charts() {
    let Some(text) = seed("000_") else {
        return;
    };
    let cs = run(as_paragraphs(&text));
    let list: Vec<&ChartDraft> = cs.iter().filter(|c| c.layout == "list").collect();
    let names: Vec<Option<&str>> = list.iter().map(|c| c.name.as_deref()).collect();
    assert_eq!(
        names,
        vec![
            Some("公开招录公务员和事业单位人员"),
            Some("干部任免"),
            Some("劳动工资管理"),
            Some("人事档案管理"),
            Some("年度考核"),
        ]
    );
    let first = list[0];
    assert_eq!(
        first.title.as_deref(),
        Some("公开招录公务员和事业单位人员廉政风险点监管工作流程图")
    );
    assert_eq!(first.location, "line 4");
    type Point<'a> = (Option<&'a str>, Option<&'a str>, usize, Vec<String>);
    let got: Vec<Point> = first
        .points
        .iter()
        .map(|p| {
            (
                p.label.as_deref(),
                p.grade.as_ref().map(|g| g.raw.as_str()),
                p.items.len(),
                p.items.iter().map(|l| l.marked.text.clone()).collect(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                Some("风险点1"),
                Some("B级"),
                2,
                strings(&[
                    "计划拟制环节，提出指向性明显的招录计划；",
                    "拟制事业单位人员招聘方案：没有按照有关规定制定工作计划。"
                ])
            ),
            (
                Some("风险点2"),
                Some("B级"),
                2,
                strings(&[
                    "网上初审：对考生信息把关不严，审查出现错漏；",
                    "咨询环节：解答模糊或出现错误。"
                ])
            ),
            (
                Some("风险点3"),
                Some("B级"),
                2,
                strings(&[
                    "复审环节：资格复审材料不齐，假冒伪造证件、档案；",
                    "审查环节：对考生材料审查不细，出现错审、漏审现象。"
                ])
            ),
            (
                Some("风险点4"),
                Some("B级"),
                1,
                strings(&[
                    "考察环节：考察走过场，为全面、深入考察招考对象情况，接受考生礼品、宴请。"
                ])
            ),
            (
                Some("风险点5"),
                Some("C级"),
                1,
                strings(&["不如实向党组报告考察情况，不能做到公平公正，造成不良后果。"])
            ),
        ]
    );
    let grades: Vec<(&str, &str)> = first
        .points
        .iter()
        .filter_map(|p| p.grade.as_ref())
        .map(|g| (g.level.as_str(), g.scale.as_str()))
        .collect();
    assert_eq!(
        grades,
        vec![("medium", "letter"); 4]
            .into_iter()
            .chain([("low", "letter")])
            .collect::<Vec<_>>()
    );
    // Each list chart read every character it holds.
    for c in &list {
        assert!(c.notes.is_empty(), "{:?}: {:?}", c.name, c.notes);
    }
    let points: Vec<usize> = list.iter().map(|c| c.points.len()).collect();
    assert_eq!(points, vec![5, 3, 3, 4, 3]);
}

#[test]
fn seed_004_prose_charts() {
    let Some(text) = seed("004_") else {
        return;
    };
    let cs = run(as_paragraphs(&text));
    let prose: Vec<&ChartDraft> = cs.iter().filter(|c| c.layout == "prose").collect();
    let names: Vec<Option<&str>> = prose.iter().map(|c| c.name.as_deref()).collect();
    assert_eq!(
        names,
        vec![
            Some("综合科"),
            Some("指通科"),
            Some("财务科"),
            Some("工程科"),
            Some("法制科"),
            Some("质监站")
        ]
    );
    let zonghe = prose[0];
    // Eight risk lines, each with the measures of its section, plus the
    // groups no risk line names (or a second group for the same risk).
    assert_eq!(zonghe.points.len(), 15);
    let numbered: Vec<Option<u32>> = zonghe.points[..8]
        .iter()
        .map(|p| p.items[0].marked.n)
        .collect();
    assert_eq!(numbered, (1..=8).map(Some).collect::<Vec<_>>());
    let extra: Vec<String> = zonghe.points[8..]
        .iter()
        .map(|p| p.items[0].raw.clone())
        .collect();
    assert_eq!(
        extra,
        strings(&[
            "(2)针对未及时将文件转发承办科室的风险点",
            "(3)针对未督促科室按时办结的风险点",
            "(4)针对文件多环节运转后去向不明的风险点",
            "(2)针对印章使用失控的风险点",
            "针对编发信息、简报存在人情稿、关系稿的风险点",
            "针对泄密风险点",
            "(2)针对公务员管理过程中,考核失察,谋取私利,违反政策法规办事等风险点",
        ])
    );
    // Risk 3 (事务性支出) gets the 公务接待管理 measures: matched by content, not order.
    assert!(
        zonghe.points[2].measures[0]
            .raw
            .starts_with("措施一:合理界定公务接待范围")
    );
    let first = &zonghe.points[0];
    assert!(first.items[0].raw.starts_with("1.在文件运转管理方面"));
    assert_eq!(
        lines(&first.measures),
        strings(&[
            "措施一:文件管理员快速浏览文件,根据文件时限要求,区别处理。对特急件单独处理,快速准确登记后报送综合科科长拟办。",
            "措施二:加强文件跟踪管理,密切关注文件去向。"
        ])
    );
    // Risk 5 (公务车辆) gets the (五)公务车辆管理 measures, not the fifth group.
    assert!(
        zonghe.points[4].items[0]
            .raw
            .starts_with("5.公务车辆管理方面")
    );
    assert_eq!(zonghe.points[4].measures.len(), 5);
    assert!(
        zonghe.points[4].measures[0]
            .raw
            .starts_with("措施一:严格用车派车手续")
    );
    // No duty line (the lines under a …职责 heading) became a risk or a measure.
    // Duty lines: the numbered lines under a …职责 heading, up to the next
    // unnumbered line.
    let mut duties: Vec<&str> = Vec::new();
    let mut in_duties = false;
    for l in text
        .lines()
        .map(|l| l.trim_matches(|c: char| c.is_whitespace() || c == '\u{a0}'))
    {
        if l.ends_with("职责") {
            in_duties = true;
        } else if l.starts_with(|c: char| c.is_ascii_digit()) {
            if in_duties {
                duties.push(l);
            }
        } else if !l.is_empty() {
            in_duties = false;
        }
    }
    assert_eq!(duties.len(), 32);
    for c in &prose {
        for p in &c.points {
            for l in p.items.iter().chain(&p.measures) {
                assert!(
                    !duties.contains(&l.raw.as_str()),
                    "duty line read as a risk: {}",
                    l.raw
                );
            }
        }
    }
    // 指通科: five risks, five measures, paired in order.
    let zt = prose[1];
    let pairs: Vec<(usize, usize)> = zt
        .points
        .iter()
        .map(|p| (p.items.len(), p.measures.len()))
        .collect();
    assert_eq!(pairs, vec![(1, 1); 5]);
}

#[test]
fn table_sheet_end_to_end_with_mixed_grade_scales() {
    let blocks = vec![
        cell(0, 0, 0, 1, 6, "办公室廉政风险点防控一览表"),
        cell(0, 1, 0, 1, 1, "流程"),
        cell(0, 1, 1, 1, 1, "关键环节"),
        cell(0, 1, 2, 1, 1, "涉及对象"),
        cell(0, 1, 3, 1, 1, "廉政风险点及等级"),
        cell(0, 1, 4, 1, 1, "防控措施"),
        cell(0, 1, 5, 1, 1, "责任主体"),
        cell(0, 2, 0, 2, 1, "公文处理"),
        cell(0, 2, 1, 1, 1, "收文"),
        cell(0, 2, 2, 1, 1, "文书"),
        cell(0, 2, 3, 1, 1, "★★1、收文不登记\n2、文件丢失"),
        cell(0, 2, 4, 1, 1, "1、建立登记制度"),
        cell(0, 2, 5, 1, 1, "办公室主任"),
        cell(0, 3, 1, 1, 1, "收文"),
        cell(0, 3, 2, 1, 1, "文书"),
        cell(0, 3, 3, 1, 1, "风险等级：高\n1、私拆信件"),
        cell(0, 3, 4, 1, 1, "2、专人拆封"),
        cell(0, 3, 5, 1, 1, "办公室主任"),
        cell(0, 4, 0, 1, 1, "印章管理"),
        cell(0, 4, 1, 1, 1, "用印"),
        cell(0, 4, 2, 1, 1, "印章管理员"),
        cell(0, 4, 3, 1, 1, "未审批盖章"),
        cell(0, 4, 4, 1, 1, "严格审批"),
        cell(0, 4, 5, 1, 1, ""),
    ];
    let cs = run(blocks);
    let names: Vec<Option<&str>> = cs.iter().map(|c| c.name.as_deref()).collect();
    assert_eq!(names, vec![Some("公文处理"), Some("印章管理")]);
    assert!(cs.iter().all(|c| c.layout == "table"));
    assert_eq!(cs[0].location, "Sheet1!A3");
    assert_eq!(cs[1].location, "Sheet1!A5");
    // The same step twice (a step.duplicate for check.rs) …
    let steps: Vec<&str> = cs[0].steps.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(steps, vec!["收文"]);
    let scales: Vec<Option<&str>> = cs
        .iter()
        .flat_map(|c| {
            c.points
                .iter()
                .map(|p| p.grade.as_ref().map(|g| g.scale.as_str()))
        })
        .collect();
    // … ★ and 高 in one document (grade.mixed_scales), one risk without a grade.
    assert_eq!(scales, vec![Some("stars"), Some("word"), None]);
    assert_eq!(
        lines(&cs[0].points[0].items),
        strings(&["1、收文不登记", "2、文件丢失"])
    );
    assert_eq!(cs[0].points[1].measures[0].marked.n, Some(2));
    assert_eq!(cs[1].points[0].responsible, Vec::<String>::new());
    assert_eq!(cs[0].points[0].responsible, strings(&["办公室主任"]));
    assert_eq!(cs[0].title.as_deref(), Some("办公室廉政风险点防控一览表"));
}

#[test]
fn check_findings_from_table_drafts() {
    // The drafts feed check.rs: numbering inside a cell, the same step twice,
    // a step without risks, a missing 责任主体 and grade, ★ and 高 in one file.
    let blocks = vec![
        para("某局廉政风险点防控一览表", 1),
        cell(0, 0, 0, 1, 1, "流程"),
        cell(0, 0, 1, 1, 1, "关键环节"),
        cell(0, 0, 2, 1, 1, "廉政风险点及等级"),
        cell(0, 0, 3, 1, 1, "防控措施"),
        cell(0, 0, 4, 1, 1, "责任主体"),
        cell(0, 1, 0, 4, 1, "财务管理"),
        cell(0, 1, 1, 1, 1, "报账"),
        cell(0, 1, 2, 1, 1, "★★★1、公款私存\n3、坐支现金"),
        cell(0, 1, 3, 1, 1, "1、日清月结"),
        cell(0, 1, 4, 1, 1, ""),
        cell(0, 2, 1, 1, 1, "审核"),
        cell(0, 2, 2, 1, 1, "风险等级：中\n1、审核不严"),
        cell(0, 2, 3, 1, 1, "1、交叉复核2、双人签字"),
        cell(0, 2, 4, 1, 1, "财务科长"),
        cell(0, 3, 1, 1, 1, "报账"),
        cell(0, 3, 2, 1, 1, "1、虚列支出"),
        cell(0, 3, 3, 1, 1, "1、严格审批"),
        cell(0, 3, 4, 1, 1, "局长"),
        cell(0, 4, 1, 1, 1, "归档"),
        cell(0, 4, 2, 1, 1, ""),
        cell(0, 4, 3, 1, 1, ""),
        cell(0, 4, 4, 1, 1, ""),
    ];
    let doc = Document {
        blocks,
        ..Default::default()
    };
    let opts = Options::default();
    let drafts = charts(&doc, &opts.rules);
    assert_eq!(drafts.len(), 1);
    let steps: Vec<&str> = drafts[0].steps.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(steps, vec!["报账", "审核", "报账", "归档"]);
    let result = FileResult::new(
        "table.xlsx".into(),
        Reading {
            bytes: 1,
            sha256: "0".repeat(64),
            format: Format::Xlsx,
            read: Ok(doc),
        },
        drafts,
    );
    let catalog = assemble(vec![result], &opts);
    let mut codes: Vec<(String, Option<usize>, String)> = catalog
        .findings
        .iter()
        .map(|f| (f.code.clone(), f.step, f.evidence.clone()))
        .collect();
    codes.sort();
    assert_eq!(
        codes,
        vec![
            (
                "grade.missing".to_string(),
                Some(3),
                "1、虚列支出".to_string()
            ),
            (
                "grade.mixed_scales".to_string(),
                None,
                "stars、word".to_string()
            ),
            (
                "numbering.gap".to_string(),
                Some(1),
                "3、坐支现金".to_string()
            ),
            (
                "responsible.missing".to_string(),
                Some(1),
                "1、日清月结".to_string()
            ),
            ("step.duplicate".to_string(), Some(3), "报账".to_string()),
            (
                "step.no_risk_point".to_string(),
                Some(4),
                "归档".to_string()
            ),
        ]
    );
}

/// A diagram of risk management itself (宣传动员 → 查找风险 → …) under a
/// title and heading that name nothing is no chart: its steps stay, as
/// written, with the chart before it.
#[test]
fn a_generic_diagram_between_charts_is_kept_with_the_chart_before_it() {
    let text = "对外贸易经营者备案风险流程图(3)\n\
                窗口受理,责任人:张三(时限1个工作日)\n\
                业务科,进行初审,责任人:李四(时限2工作日) 风险点 A1-3等级 高\n\
                廉政风险防控工作流程图\n\
                廉政风险防控工作流程图\n\
                宣传动员\n\
                查找风险\n\
                制定措施\n";
    let drafts = run(as_paragraphs(text));
    assert_eq!(drafts.len(), 1, "{drafts:#?}");
    let d = &drafts[0];
    assert_eq!(d.name.as_deref(), Some("对外贸易经营者备案"));
    let steps: Vec<&str> = d.steps.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(steps, ["窗口受理", "业务科,进行初审"]);
    let kept: Vec<&str> = d
        .notes
        .iter()
        .filter(|n| n.code == "chart.unplaced_text")
        .map(|n| n.evidence.as_str())
        .collect();
    assert!(kept.contains(&"宣传动员\n查找风险\n制定措施"), "{kept:?}");
}

#[test]
fn the_department_is_read_without_picture_marks_and_from_its_label() {
    // The department line before the title, as an extraction left it
    // after a picture; a post chart whose department runs on after its name.
    let text = "[image: ]某某区人力资源部\n\
                权力运行廉政风险防控图<行政确认类2>\n\
                职权名称：职工工伤认定\n\
                受理\n\
                1.故意刁难申请人\n\
                风险等级：中\n\
                岗位廉洁风险防控流程图\n\
                岗位名称:收银岗部门:财务部工作内容:收取货款\n\
                收款\n\
                1.私存货款\n\
                风险等级：高\n";
    let drafts = run(as_paragraphs(text));
    let got: Vec<(Option<&str>, Option<&str>)> = drafts
        .iter()
        .map(|d| (d.name.as_deref(), d.department.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            (Some("职工工伤认定"), Some("某某区人力资源部")),
            (Some("收银岗"), Some("财务部")),
        ]
    );
}
