//! Excel fixtures written with rust_xlsxwriter: the 一览表 workbook (merged
//! title row and 流程 cells, Alt+Enter lines) and a flow chart drawn with
//! text-box shapes over the grid; each with its expected catalog.
//!
//! The bytes are deterministic: rust_xlsxwriter writes fixed zip dates and
//! the document creation time is fixed here.

use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Shape, Workbook, Worksheet,
    XlsxError,
};

use super::tables::{self, Col, ExChart, ExGrade, ExLine, ExRiskPoint, ExStep, Expected, Table};

fn workbook() -> Result<Workbook, XlsxError> {
    let mut wb = Workbook::new();
    let created = ExcelDateTime::from_ymd(2021, 3, 15)?.and_hms(9, 30, 0)?;
    wb.set_properties(
        &DocProperties::new()
            .set_author("Administrator")
            .set_creation_datetime(&created),
    );
    Ok(wb)
}

fn cell_format() -> Format {
    Format::new()
        .set_text_wrap()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::VerticalCenter)
}

/// Title row merged across, header row, data rows; 流程 merged down over
/// each group and the 责任人 of the last group merged over its rows when
/// they name the same person.
fn write_table(ws: &mut Worksheet, t: &Table) -> Result<(), XlsxError> {
    let last_col = (t.columns.len() - 1) as u16;
    let title = Format::new()
        .set_bold()
        .set_font_size(16)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    ws.merge_range(0, 0, 0, last_col, t.title, &title)?;
    ws.set_row_height(0, 30)?;
    let header = cell_format().set_bold().set_align(FormatAlign::Center);
    for (c, (text, _)) in t.columns.iter().enumerate() {
        ws.write_string_with_format(1, c as u16, *text, &header)?;
        let width = match t.columns[c].1 {
            Col::Risk | Col::Measure => 36.0,
            Col::Grade => 8.0,
            _ => 12.0,
        };
        ws.set_column_width(c as u16, width)?;
    }
    let body = cell_format();
    let groups = t.groups();
    for (gi, &(first, count)) in groups.iter().enumerate() {
        for r in first..first + count {
            let row = (r + 2) as u32;
            let lines = t.rows[r].risks.len().max(t.rows[r].measures.len()).max(1);
            ws.set_row_height(row, 16 * lines as u32 + 4)?;
            for (c, &(_, col)) in t.columns.iter().enumerate() {
                let c = c as u16;
                let text = t.cell(r, col);
                let merged_down = col == Col::Group
                    || (col == Col::Responsible
                        && gi + 1 == groups.len()
                        && t.rows[first..first + count]
                            .iter()
                            .all(|x| x.responsible == t.rows[first].responsible));
                if merged_down && count > 1 {
                    if r == first {
                        let last = (first + count + 1) as u32;
                        ws.merge_range(row, c, last, c, &text, &body)?;
                    }
                    continue;
                }
                if text.is_empty() {
                    ws.write_blank(row, c, &body)?;
                } else {
                    ws.write_string_with_format(row, c, &text, &body)?;
                }
            }
        }
    }
    Ok(())
}

/// `excel/yilanbiao.xlsx` and its expected catalog.
pub fn yilanbiao() -> (Vec<u8>, Vec<u8>) {
    let t = tables::yilanbiao_xlsx();
    let build = || -> Result<Vec<u8>, XlsxError> {
        let mut wb = workbook()?;
        let ws = wb.add_worksheet();
        ws.set_name("一览表")?;
        write_table(ws, &t)?;
        wb.save_to_buffer()
    };
    let bytes = build().unwrap_or_else(|e| panic!("writing yilanbiao.xlsx: {e}"));
    (bytes, tables::to_json(&tables::expected(&t)))
}

// ---- the flow chart drawn with shapes --------------------------------------

/// One step with the boxes beside it.
struct FlowStep {
    raw: &'static str,
    /// Risk box lines: items, then the grade line.
    risks: Vec<(Option<u32>, &'static str, &'static str)>,
    grade: Option<(&'static str, &'static str)>,
    measures: Vec<(Option<u32>, &'static str, &'static str)>,
    responsible: Option<(&'static str, Vec<&'static str>)>,
}

const TITLE: &str = "权力运行廉政风险防控图<行政许可类3>";
const NAME: &str = "建设工程竣工档案验收";

fn flow_steps() -> Vec<FlowStep> {
    let bare = |raw| FlowStep {
        raw,
        risks: vec![],
        grade: None,
        measures: vec![],
        responsible: None,
    };
    vec![
        bare("申    请"),
        FlowStep {
            raw: "受    理",
            risks: vec![
                (Some(1), "1.", "对符合条件的申请不予受理。"),
                (Some(2), "2.", "对不符合条件的申请违规受理。"),
            ],
            grade: Some(("风险等级：中", "medium")),
            measures: vec![
                (Some(1), "1.", "公开受理条件和所需材料。"),
                (Some(2), "2.", "实行一次性告知制度。"),
            ],
            responsible: Some(("责任人：受理人", vec!["受理人"])),
        },
        FlowStep {
            raw: "审    查",
            risks: vec![
                (Some(1), "1.", "审查标准不统一，随意性大。"),
                (Some(2), "2.", "故意刁难申请人。"),
            ],
            grade: Some(("风险等级：高", "high")),
            measures: vec![
                (Some(1), "1.", "量化审查标准。"),
                (Some(2), "2.", "实行集体审查。"),
            ],
            responsible: Some(("责任人：审查人、科长", vec!["审查人", "科长"])),
        },
        FlowStep {
            raw: "决    定",
            risks: vec![(Some(1), "1.", "违规作出验收决定。")],
            grade: Some(("风险等级：低", "low")),
            measures: vec![
                (Some(1), "1.", "严格按照法律规定程序作出决定。"),
                (Some(2), "2.", "决定结果公开。"),
            ],
            responsible: Some(("责任人：分管领导", vec!["分管领导"])),
        },
        bare("办    结"),
    ]
}

fn written(lines: &[(Option<u32>, &str, &str)], last: Option<&str>) -> String {
    let mut out: Vec<String> = lines.iter().map(|(_, m, t)| format!("{m}{t}")).collect();
    out.extend(last.map(str::to_string));
    out.join("\n")
}

/// Rows per step band; the step box sits in the band's second row, the risk
/// and measure boxes span the band beside it.
const BAND: u32 = 6;
const FIRST_BAND: u32 = 5;

/// `excel/flow_shapes.xlsx`: a title cell and a `职权名称：` cell, then the
/// three column headers, the steps and their boxes as text-box shapes.
pub fn flow_shapes() -> (Vec<u8>, Vec<u8>) {
    flow_shapes_named(NAME)
}

/// The same chart under another 职权名称 (the bulk benchmark corpus).
pub fn flow_shapes_named(name: &str) -> (Vec<u8>, Vec<u8>) {
    let steps = flow_steps();
    let build = || -> Result<Vec<u8>, XlsxError> {
        let mut wb = workbook()?;
        let ws = wb.add_worksheet();
        ws.set_name("防控图")?;
        // Columns: margin, measures, gap, steps, gap, risks.
        for (c, px) in [20u16, 220, 40, 120, 40, 240].iter().enumerate() {
            ws.set_column_width_pixels(c as u16, u32::from(*px))?;
        }
        let title = Format::new()
            .set_bold()
            .set_font_size(16)
            .set_align(FormatAlign::Center);
        ws.merge_range(0, 0, 0, 5, TITLE, &title)?;
        ws.write_string(1, 1, format!("职权名称：{name}"))?;
        let boxed =
            |text: &str, w: u32, h: u32| Shape::textbox().set_text(text).set_width(w).set_height(h);
        ws.insert_shape_with_offset(3, 1, &boxed("防控措施及责任人", 200, 30), 10, 0)?;
        ws.insert_shape_with_offset(3, 3, &boxed("工作流程", 120, 30), 0, 0)?;
        ws.insert_shape_with_offset(3, 5, &boxed("风险点等级及表现形式", 220, 30), 10, 0)?;
        for (i, s) in steps.iter().enumerate() {
            let top = FIRST_BAND + BAND * i as u32;
            ws.insert_shape_with_offset(top + 2, 3, &boxed(s.raw, 120, 30), 0, 5)?;
            if let Some((grade, _)) = s.grade {
                let text = written(&s.risks, Some(grade));
                ws.insert_shape_with_offset(top, 5, &boxed(&text, 220, 100), 10, 5)?;
            }
            if let Some((line, _)) = &s.responsible {
                let text = written(&s.measures, Some(line));
                ws.insert_shape_with_offset(top, 1, &boxed(&text, 200, 100), 10, 5)?;
            }
        }
        wb.save_to_buffer()
    };
    let bytes = build().unwrap_or_else(|e| panic!("writing flow_shapes.xlsx: {e}"));

    let lines = |ls: &[(Option<u32>, &'static str, &'static str)]| -> Vec<ExLine> {
        ls.iter()
            .map(|&(n, m, text)| ExLine {
                n,
                marker: Some(m),
                text,
            })
            .collect()
    };
    let mut risk_points = Vec::new();
    for (i, s) in steps.iter().enumerate() {
        if s.grade.is_none() && s.responsible.is_none() {
            continue;
        }
        risk_points.push(ExRiskPoint {
            label: None,
            step: Some(i + 1),
            grade: s.grade.map(|(raw, level)| ExGrade {
                level,
                scale: "word",
                raw,
            }),
            items: lines(&s.risks),
            measures: lines(&s.measures),
            responsible: s
                .responsible
                .as_ref()
                .map(|(_, names)| names.clone())
                .unwrap_or_default(),
        });
    }
    let expected = Expected {
        status: "ok",
        charts: vec![ExChart {
            ordinal: 1,
            layout: "flow",
            title: Some(TITLE),
            department: None,
            category: Some("行政许可"),
            category_raw: Some("行政许可类3"),
            code: Some("3"),
            name: name.to_string(),
            time_limit: None,
            contacts: Vec::new(),
            steps: steps
                .iter()
                .enumerate()
                .map(|(i, s)| ExStep {
                    seq: i + 1,
                    name: s.raw.split_whitespace().collect(),
                    raw: s.raw.to_string(),
                    actor: None,
                    time_limit: None,
                })
                .collect(),
            risk_points,
        }],
        findings: Vec::new(),
    };
    (bytes, tables::to_json(&expected))
}
