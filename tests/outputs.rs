//! The Excel, SQLite and HTML outputs written from a hand-made catalog
//! (tests/data/sample_catalog.json) and read back.

use calamine::{Data, Reader, Xlsx, open_workbook};
use riskflow::catalog::Catalog;
use riskflow::write::tables::{Cell, LIST_SEP};
use riskflow::write::{html, sqlite, tables, xlsx, zh};
use rusqlite::Connection;
use std::path::{Path, PathBuf};

fn sample() -> Catalog {
    let text = include_str!("data/sample_catalog.json");
    serde_json::from_str(text).expect("sample catalog follows CATALOG.md")
}

#[path = "support/files.rs"]
mod files;
use files::listing;

fn scratch(name: &str) -> PathBuf {
    files::scratch("outputs", name)
}

/// The sample catalog's workbook, written into a fresh scratch folder.
fn sample_workbook(name: &str) -> (Catalog, PathBuf) {
    let cat = sample();
    let path = scratch(name).join("catalog.xlsx");
    xlsx::write(&cat, &path).unwrap();
    (cat, path)
}

/// One part of a zip package (a workbook's sheet or styles), as text.
fn zip_part(path: &Path, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut text).unwrap();
    text
}

const SHEETS: [&str; 8] = [
    "来源文件",
    "职权流程",
    "环节",
    "风险点",
    "风险内容",
    "防控措施",
    "规范文本",
    "问题清单",
];

#[test]
fn sample_catalog_counts_are_consistent() {
    let cat = sample();
    let s = &cat.summary;
    assert_eq!((s.sources, s.sources_failed, s.charts), (2, 1, 3));
    assert_eq!(
        (s.steps, s.risk_points, s.risk_items, s.measures),
        (15, 10, 17, 16)
    );
    assert_eq!((s.texts.risk, s.texts.measure), (13, 11));
    assert_eq!(
        (s.findings.error, s.findings.warning, s.findings.info),
        (1, 5, 3)
    );
    assert_eq!(cat.texts.len(), 24);
    assert_eq!(cat.findings.len(), 9);
}

#[test]
fn xlsx_has_one_sheet_per_table_with_chinese_titles() {
    let cat = sample();
    let dir = scratch("xlsx");
    let path = dir.join("catalog.xlsx");
    xlsx::write(&cat, &path).unwrap();

    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    assert_eq!(book.sheet_names(), SHEETS);
    let expected_rows = [2, 3, 15, 10, 17, 16, 24, 9];
    for ((table, sheet), rows) in tables::tables(&cat).iter().zip(SHEETS).zip(expected_rows) {
        let range = book.worksheet_range(sheet).unwrap();
        let header: Vec<String> = range
            .rows()
            .next()
            .unwrap()
            .iter()
            .map(|c| c.to_string())
            .collect();
        let titles: Vec<&str> = table.columns.iter().map(|c| c.title).collect();
        assert_eq!(header, titles, "header of {sheet}");
        assert_eq!(range.height() - 1, rows, "data rows of {sheet}");
        assert_eq!(table.rows.len(), rows);
    }

    // Spot checks: Chinese headers, a number, a null, a message.
    let charts = book.worksheet_range("职权流程").unwrap();
    assert_eq!(
        charts.get((0, 10)),
        Some(&Data::String("职权/流程名称".into()))
    );
    assert_eq!(
        charts.get((3, 10)),
        Some(&Data::String("工伤保险待遇给付<含一次性伤残补助金>".into()))
    );
    assert_eq!(
        charts.get((2, 14)),
        Some(&Data::Float(5.0)),
        "steps of chart 2"
    );
    let findings = book.worksheet_range("问题清单").unwrap();
    assert_eq!(findings.get((1, 2)), Some(&Data::String("错误".into())));
    assert_eq!(
        findings.get((1, 6)),
        Some(&Data::Empty),
        "file-level: no chart"
    );
    assert_eq!(
        findings.get((3, 10)),
        Some(&Data::String("风险点没有标明风险等级。".into()))
    );

    // A fixed creation time makes the workbook byte-identical run to run.
    let again = dir.join("again.xlsx");
    xlsx::write(&cat, &again).unwrap();
    assert_eq!(
        std::fs::read(&path).unwrap(),
        std::fs::read(&again).unwrap()
    );
    assert_eq!(listing(&dir), ["again.xlsx", "catalog.xlsx"]);
}

/// What a person reads in the workbook for a cell of the flat tables:
/// numbers as numbers, nothing for null or empty text, codes in Chinese,
/// text cut to Excel's 32,767 UTF-16 units.
fn shown_in_excel(table: &str, column: &str, cell: &Cell) -> Data {
    let text = match cell {
        Cell::Null => return Data::Empty,
        Cell::Int(n) => return Data::Float(*n as f64),
        Cell::Text(s) if s.is_empty() => return Data::Empty,
        Cell::Text(s) => s,
    };
    let text = match (table, column) {
        ("charts", "contacts") => text
            .split(LIST_SEP)
            .map(|p| match p.split_once(':') {
                Some((kind, number)) => format!("{}:{number}", zh::contact(kind).unwrap_or(kind)),
                None => p.to_string(),
            })
            .collect::<Vec<_>>()
            .join(LIST_SEP),
        _ => zh::cell(table, column, text).unwrap_or(text).to_string(),
    };
    let mut units = 0;
    let clipped = text.chars().take_while(|c| {
        units += c.len_utf16();
        units <= 32_767
    });
    Data::String(clipped.collect())
}

/// Every cell of every sheet reads back as the tables hold it, text with
/// markup, control characters, an escape look-alike and edge white space
/// included.
#[test]
fn xlsx_every_cell_reads_back() {
    let mut cat = sample();
    cat.charts[1].name = "名称\u{1}&<>\"'_x0041_\r\n尾 ".into();
    cat.charts[2].department = Some("\t前后空白\u{FFFE}\u{7} ".into());
    cat.findings[2].message = "a_x005F_b & <c> ]]>".into();
    cat.findings[1].evidence = "长".repeat(40_000);
    let dir = scratch("xlsx-cells");
    let path = dir.join("catalog.xlsx");
    xlsx::write(&cat, &path).unwrap();

    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    assert_eq!(book.sheet_names(), SHEETS);
    for (table, sheet) in tables::tables(&cat).iter().zip(SHEETS) {
        let range = book.worksheet_range(sheet).unwrap();
        let read: Vec<Vec<Data>> = (0..range.height())
            .map(|r| {
                (0..table.columns.len())
                    .map(|c| range.get((r, c)).cloned().unwrap_or(Data::Empty))
                    .collect()
            })
            .collect();
        let header = table.columns.iter().map(|c| Data::String(c.title.into()));
        let mut want = vec![header.collect::<Vec<_>>()];
        for row in &table.rows {
            let cells = row.iter().zip(&table.columns);
            want.push(
                cells
                    .map(|(cell, c)| shown_in_excel(table.name, c.name, cell))
                    .collect(),
            );
        }
        assert_eq!(read, want, "{sheet}");
    }
    let charts = book.worksheet_range("职权流程").unwrap();
    assert_eq!(
        charts.get((2, 10)),
        Some(&Data::String("名称\u{1}&<>\"'_x0041_\r\n尾 ".into()))
    );
}

/// Every data cell looks as it should: top-aligned, and in the findings
/// filled by severity. Most cells are written without a format of their
/// own and take their column's (a speed-up): each must still carry the
/// style, which is what Excel shows.
#[test]
fn xlsx_data_cells_are_top_aligned_and_findings_filled_by_severity() {
    let (_, path) = sample_workbook("xlsx-look");
    let part = |name: &str| zip_part(&path, name);
    let styles = part("xl/styles.xml");
    let list = |tag: &str| -> Vec<String> {
        let from = styles.find(&format!("<{tag}")).unwrap();
        let to = styles[from..].find(&format!("</{tag}>")).unwrap() + from;
        let inner = &styles[from..to];
        let item = if tag == "cellXfs" { "<xf " } else { "<fill>" };
        inner.split(item).skip(1).map(str::to_string).collect()
    };
    let (xfs, fills) = (list("cellXfs"), list("fills"));
    let attr = |tag: &str, name: &str| -> Option<usize> {
        let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        tag[at..].split('"').next()?.parse().ok()
    };
    // Each data cell of a sheet (rows 2 on): its style, as the xf's text.
    let data_cells = |xml: &str| -> Vec<(String, String)> {
        xml.split("<c r=\"")
            .skip(1)
            .filter_map(|c| {
                let r = c.split('"').next()?.to_string();
                let row: u32 = r.trim_start_matches(char::is_alphabetic).parse().ok()?;
                let tag = &c[..c.find('>')?];
                (row >= 2).then(|| (r, xfs[attr(tag, "s").unwrap_or(0)].clone()))
            })
            .collect()
    };
    let charts = data_cells(&part("xl/worksheets/sheet2.xml"));
    assert!(charts.len() > 20, "{charts:?}");
    for (r, xf) in &charts {
        assert!(xf.contains(r#"vertical="top""#), "{r}: {xf}");
    }
    // 问题清单: row 2 is an error (filled), row 4 a warning.
    let findings = data_cells(&part("xl/worksheets/sheet8.xml"));
    let fill_of = |cell: &str| {
        let xf = &findings.iter().find(|(r, _)| r == cell).unwrap().1;
        fills[attr(xf, "fillId").unwrap()].clone()
    };
    assert!(fill_of("A2").contains("F8D7DA"), "{}", fill_of("A2"));
    assert!(fill_of("C4").contains("FFE9B3"), "{}", fill_of("C4"));
    for (r, xf) in &findings {
        assert!(xf.contains(r#"vertical="top""#), "{r}: {xf}");
    }
}

/// The workbook speaks Chinese where the contract has codes, and every
/// finding says in which file and chart it is, linked to the chart's row.
#[test]
fn xlsx_shows_chinese_values_paths_and_links_findings_to_charts() {
    let (cat, path) = sample_workbook("xlsx-zh");
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    let s = |v: &str| Some(Data::String(v.into()));

    let sources = book.worksheet_range("来源文件").unwrap();
    assert_eq!(sources.get((1, 6)).cloned(), s("正常"));
    assert_eq!(sources.get((2, 6)).cloned(), s("失败"));
    let charts = book.worksheet_range("职权流程").unwrap();
    assert_eq!(charts.get((1, 4)).cloned(), s("流程图"));
    assert_eq!(charts.get((0, 11)).cloned(), s("名称来源"));
    assert_eq!(charts.get((1, 11)).cloned(), s("名称行"));
    let rps = book.worksheet_range("风险点").unwrap();
    assert_eq!(rps.get((0, 4)).cloned(), s("风险等级"));
    assert_eq!(rps.get((1, 4)).cloned(), s("中"));
    assert_eq!(rps.get((2, 4)).cloned(), s("高"));
    assert_eq!(rps.get((3, 4)).cloned(), s("低"));
    assert_eq!(rps.get((1, 5)).cloned(), s("文字"));
    let texts = book.worksheet_range("规范文本").unwrap();
    assert_eq!(texts.get((1, 1)).cloned(), s("风险"));

    let findings = book.worksheet_range("问题清单").unwrap();
    let header: Vec<String> = findings
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(
        header[..7],
        [
            "问题编号",
            "问题代码",
            "严重程度",
            "文件路径",
            "图表名称",
            "来源编号",
            "图表编号"
        ]
    );
    // A file-level error: path, no chart.
    assert_eq!(findings.get((1, 0)).cloned(), s("fd-dae85b0ab168"));
    assert_eq!(findings.get((1, 2)).cloned(), s("错误"));
    assert_eq!(
        findings.get((1, 3)).cloned(),
        s("input/高新区组织和人力资源部/防控图（旧版）.doc")
    );
    assert_eq!(findings.get((1, 4)).cloned(), Some(Data::Empty));
    // A chart's warning: path and chart name.
    assert_eq!(findings.get((3, 2)).cloned(), s("警告"));
    assert_eq!(
        findings.get((3, 3)).cloned(),
        s("input/高新区组织和人力资源部/权力运行廉政风险防控图.docx")
    );
    assert_eq!(
        findings.get((3, 4)).cloned(),
        s("企业退休人员基本养老金待遇给付")
    );
    assert_eq!(findings.get((9, 2)).cloned(), s("提示"));

    // The chart names are links to the chart's row: the second chart is on
    // row 3 of 职权流程. (calamine does not read links: read the sheet XML.)
    let xml = zip_part(&path, "xl/worksheets/sheet8.xml");
    assert!(
        xml.contains(r#"<hyperlink ref="E4" location="'职权流程'!A3""#),
        "{xml}"
    );
    assert!(xml.contains(r#"<hyperlink ref="E3" location="'职权流程'!A2""#));
    assert!(
        !xml.contains(r#"ref="E2""#),
        "a file-level finding has no link"
    );

    // The machine outputs keep the codes.
    let csv = tables::tables(&cat);
    let f = csv.iter().find(|t| t.name == "findings").unwrap();
    assert_eq!(f.rows[0][2], tables::Cell::Text("error".into()));
    assert_eq!(
        f.rows[0][3],
        tables::Cell::Text("input/高新区组织和人力资源部/防控图（旧版）.doc".into())
    );
}

#[test]
fn sqlite_has_the_tables_keys_and_joins() {
    let cat = sample();
    let dir = scratch("sqlite");
    let path = dir.join("catalog.sqlite");
    sqlite::write(&cat, &path).unwrap();
    assert_eq!(listing(&dir), ["catalog.sqlite"], "no journal or temp left");

    let conn = Connection::open(&path).unwrap();
    let count = |table: &str| -> i64 {
        conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .unwrap()
    };
    for (table, n) in [
        ("sources", 2),
        ("charts", 3),
        ("steps", 15),
        ("risk_points", 10),
        ("risk_items", 17),
        ("measures", 16),
        ("texts", 24),
        ("findings", 9),
        ("meta", 3),
    ] {
        assert_eq!(count(table), n, "rows of {table}");
    }

    let schema: String = conn
        .query_row("SELECT value FROM meta WHERE key = 'schema'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(schema, "riskflow.catalog/1");

    // charts → risk_points → risk_items → texts for one chart.
    let mut stmt = conn
        .prepare(
            "SELECT rp.label, rp.grade_level, ri.position, ri.text, t.canonical
             FROM charts c
             JOIN risk_points rp ON rp.chart_id = c.id
             JOIN risk_items ri ON ri.risk_point_id = rp.id
             JOIN texts t ON t.id = ri.text_id
             WHERE c.code = '5'
             ORDER BY rp.step, ri.position",
        )
        .unwrap();
    let rows: Vec<(String, String, i64, String, String)> = stmt
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let row = |l: &str, g: &str, p: i64, t: &str, c: &str| {
        (
            l.to_string(),
            g.to_string(),
            p,
            t.to_string(),
            c.to_string(),
        )
    };
    let violation =
        "违规审批,对不符合法定条件的申请人准子行政审批的,对符合法定条件的申请人不予行政审批";
    assert_eq!(
        rows,
        vec![
            row("风险点1", "low", 1, "故意刁难经办人.", "故意刁难申请人。"),
            row(
                "风险点1",
                "low",
                2,
                "无照因超时办理,久拖不办.",
                "无原因超时办理，久拖不办。"
            ),
            row(
                "风险点2",
                "medium",
                1,
                "可能存在对材料,证件审核不严.",
                "可能存在对材料、证件审核不严。"
            ),
            row("风险点3", "medium", 1, violation, violation),
            row(
                "风险点3",
                "medium",
                2,
                "刁难申请人,徇私谋利。",
                "刁难申请人,徇私谋利。"
            ),
        ]
    );

    // Nulls stay null: the ungraded risk point and the file-level finding.
    let ungraded: i64 = conn
        .query_row(
            "SELECT count(*) FROM risk_points WHERE grade_level IS NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(ungraded, 1);
    let file_level: String = conn
        .query_row(
            "SELECT code FROM findings WHERE chart IS NULL AND step IS NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(file_level, "source.unreadable");

    let violations: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(violations, 0);

    // Every foreign key, which covers every *_id column, has an index.
    let mut stmt = conn
        .prepare(
            "SELECT m.name, f.\"from\", f.\"table\" FROM sqlite_master m,
                    pragma_foreign_key_list(m.name) f
             WHERE m.type = 'table' ORDER BY m.name, f.\"from\"",
        )
        .unwrap();
    let fks: Vec<(String, String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let fk = |t: &str, c: &str, p: &str| (t.to_string(), c.to_string(), p.to_string());
    assert_eq!(
        fks,
        vec![
            fk("charts", "source", "sources"),
            fk("findings", "chart", "charts"),
            fk("findings", "risk_point", "risk_points"),
            fk("findings", "source", "sources"),
            fk("measures", "chart_id", "charts"),
            fk("measures", "risk_point_id", "risk_points"),
            fk("measures", "text_id", "texts"),
            fk("risk_items", "chart_id", "charts"),
            fk("risk_items", "risk_point_id", "risk_points"),
            fk("risk_items", "text_id", "texts"),
            fk("risk_points", "chart_id", "charts"),
            fk("steps", "chart_id", "charts"),
        ]
    );
    for (table, column, _) in &fks {
        let indexed: i64 = conn
            .query_row(
                "SELECT count(*) FROM pragma_index_list(?1) l, pragma_index_info(l.name) i
                 WHERE i.name = ?2 AND i.seqno = 0",
                [table, column],
                |r| r.get(0),
            )
            .unwrap();
        assert!(indexed >= 1, "{table}.{column} has no index");
    }
    let unkeyed_ids: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master m, pragma_table_info(m.name) i
             WHERE m.type = 'table' AND i.name LIKE '%\\_id' ESCAPE '\\'
               AND NOT EXISTS (SELECT 1 FROM pragma_foreign_key_list(m.name) f
                               WHERE f.\"from\" = i.name)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(unkeyed_ids, 0);

    // Same catalog, same bytes.
    let again = dir.join("again.sqlite");
    sqlite::write(&cat, &again).unwrap();
    assert_eq!(
        std::fs::read(&path).unwrap(),
        std::fs::read(&again).unwrap()
    );
}

#[test]
fn sqlite_refuses_a_dangling_reference_and_leaves_nothing() {
    let mut cat = sample();
    cat.findings[2].chart = Some("ch-000000000000".into());
    let dir = scratch("sqlite-dangling");
    let path = dir.join("catalog.sqlite");
    let err = sqlite::write(&cat, &path).unwrap_err().to_string();
    assert!(err.contains("findings"), "{err}");
    assert!(listing(&dir).is_empty(), "{:?}", listing(&dir));
}

#[test]
fn html_report_is_self_contained_and_complete() {
    let cat = sample();
    let dir = scratch("html");
    let path = dir.join("report.html");
    html::write(&cat, &path).unwrap();
    let page = std::fs::read_to_string(&path).unwrap();
    assert_eq!(page, html::render(&cat), "deterministic");

    assert_eq!(page.matches("<section class=\"chart\" ").count(), 3);
    assert_eq!(page.matches("class=\"chart\"").count(), 3);
    for chart in &cat.charts {
        assert!(page.contains(&format!(
            "<section class=\"chart\" id=\"{0}\" data-chart-id=\"{0}\">",
            chart.id
        )));
    }
    for f in &cat.findings {
        assert!(page.contains(&html::esc(&f.message)), "{}", f.message);
    }
    for banned in ["<script", "http://", "https://", "<link", "@import", "url("] {
        assert!(!page.contains(banned), "{banned}");
    }
    // The `<` of a chart name and of evidence is escaped.
    assert!(page.contains("<h3>工伤保险待遇给付&lt;含一次性伤残补助金&gt;</h3>"));
    assert!(!page.contains("补助金>"));
    assert!(page.contains("查看原图(29K) &amp; 凸 &lt;img&gt;"));

    // Grades coloured: 1 high, 4 medium, 4 low, 1 without grade.
    for (class, n) in [("g-high", 1), ("g-medium", 4), ("g-low", 4), ("g-none", 1)] {
        assert_eq!(
            page.matches(&format!("class=\"grade {class}\"")).count(),
            n,
            "{class}"
        );
    }
    // 15 steps, 12 arrows between them (4 per chart), the step-less risk
    // point of chart 1 in a band of its own below its last step.
    assert_eq!(page.matches("class=\"box step").count(), 15 + 1);
    assert_eq!(page.matches("class=\"box step loose\"").count(), 1);
    assert_eq!(page.matches("class=\"arrow\"").count(), 12);
    assert_eq!(page.matches("未对应环节").count(), 1);
    let section = |i: usize| {
        page.find(&format!("data-chart-id=\"{}\"", cat.charts[i].id))
            .unwrap()
    };
    let chart1 = &page[section(0)..section(1)];
    assert!(chart1.find("办结").unwrap() < chart1.find("未对应环节").unwrap());

    // Findings shown on the boxes they concern, with their message and
    // linked to the list: the missing grade (#3) under a risk box, the line
    // it quotes highlighted; the step without risk (#2) in its step box;
    // the noise (#9) on the chart header with the noise itself; the
    // file-level error (#1) on no chart.
    let mark = |n: usize, sev: &str| format!("<a class=\"fmark sev-{sev}\" href=\"#finding-{n}\"");
    assert!(page.contains(&format!(
        "<li class=\"hit sev-line-warning\"><span class=\"mk\">•</span><span>没有按文件规定流程实效办理。</span>{}",
        mark(3, "warning")
    )));
    assert!(page.contains("#3</a><span>风险点没有标明风险等级。</span></li></ul>"));
    assert!(page.contains(&format!(
        "<div class=\"box step flagged sev-line-info\" title=\"申    请\"><div class=\"seq\">1</div>\
         <div class=\"step-name\">申请</div><ul class=\"notes\"><li>{}",
        mark(2, "info")
    )));
    assert!(page.contains("#2</a><span>环节“申请”没有对应的风险点。</span>"));
    assert!(page.contains(&format!(
        "<ul class=\"chart-marks\"><li>{}",
        mark(9, "info")
    )));
    assert!(page.contains(
        "<blockquote class=\"evidence sev-line-info\"><span class=\"muted\">原文：</span>查看原图(29K) &amp; 凸 &lt;img&gt;</blockquote>"
    ));
    // The typo (#4) and the gap (#5) on the lines they quote.
    assert!(page.contains(&format!(
        "<span>无照因超时办理,久拖不办.</span>{}",
        mark(4, "warning")
    )));
    assert!(!page.contains("href=\"#finding-1\""));
    for i in 1..=9 {
        assert_eq!(page.matches(&format!("<tr id=\"finding-{i}\"")).count(), 1);
    }
    // Findings grouped by source: the failed file's group and its one error.
    assert!(page.contains("防控图（旧版）.doc <span class=\"status st-failed\">失败</span>"));
}

#[test]
fn failed_writes_leave_no_file_behind() {
    let cat = sample();
    let dir = scratch("atomic");
    let missing = dir.join("no/such/dir");
    assert!(xlsx::write(&cat, &missing.join("catalog.xlsx")).is_err());
    assert!(sqlite::write(&cat, &missing.join("catalog.sqlite")).is_err());
    assert!(html::write(&cat, &missing.join("report.html")).is_err());
    assert!(listing(&dir).is_empty());

    // The target is a directory: the content is written, the rename fails,
    // and the temporary file is removed.
    for name in ["catalog.xlsx", "catalog.sqlite", "report.html"] {
        std::fs::create_dir(dir.join(name)).unwrap();
    }
    assert!(xlsx::write(&cat, &dir.join("catalog.xlsx")).is_err());
    assert!(sqlite::write(&cat, &dir.join("catalog.sqlite")).is_err());
    assert!(html::write(&cat, &dir.join("report.html")).is_err());
    assert_eq!(
        listing(&dir),
        ["catalog.sqlite", "catalog.xlsx", "report.html"]
    );
}

/// Loads the report in headless Chromium through the script the README
/// names; skipped (as the script is) where no browser is installed.
#[test]
fn report_renders_in_a_browser() {
    if !Path::new("/usr/bin/chromium").exists() {
        eprintln!("chromium not installed: skipped");
        return;
    }
    let cat = sample();
    let dir = scratch("browser");
    let report = dir.join("report.html");
    html::write(&cat, &report).unwrap();
    let png = dir.join("report.png");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/report-screenshot.sh");
    let status = std::process::Command::new("sh")
        .arg(&script)
        .arg(&report)
        .arg("3")
        .arg(&png)
        .status()
        .unwrap();
    assert!(status.success());
    let bytes = std::fs::read(&png).unwrap();
    assert_eq!(bytes.get(..8), Some(&b"\x89PNG\r\n\x1a\n"[..]));

    // A wrong expected count fails.
    let status = std::process::Command::new("sh")
        .arg(&script)
        .arg(&report)
        .arg("4")
        .arg(dir.join("wrong.png"))
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(1));
}

/// Hostile text (control characters, markup, very long cells) and broken
/// structure (duplicate step numbers) still give readable outputs.
#[test]
fn awkward_text_survives_every_writer() {
    let mut cat = sample();
    cat.charts[0].name = "名称\u{1}含控制符</section><script>alert(1)</script>".into();
    cat.charts[0].steps[1].seq = 1; // two steps numbered 1
    cat.findings[1].evidence = "长".repeat(40_000);
    let dir = scratch("awkward");
    xlsx::write(&cat, &dir.join("catalog.xlsx")).unwrap();
    html::write(&cat, &dir.join("report.html")).unwrap();
    // (chart, seq) is the steps table's key: a repeated seq is a catalog bug
    // the database refuses by name.
    let err = sqlite::write(&cat, &dir.join("catalog.sqlite"))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("steps row 2: UNIQUE constraint failed: steps.chart_id, steps.seq"),
        "{err}"
    );
    cat.charts[0].steps[1].seq = 2;
    sqlite::write(&cat, &dir.join("catalog.sqlite")).unwrap();

    let mut book: Xlsx<_> = open_workbook(dir.join("catalog.xlsx")).unwrap();
    let charts = book.worksheet_range("职权流程").unwrap();
    assert_eq!(
        charts.get((1, 10)),
        Some(&Data::String(
            "名称\u{1}含控制符</section><script>alert(1)</script>".into()
        ))
    );
    let findings = book.worksheet_range("问题清单").unwrap();
    match findings.get((2, 11)) {
        Some(Data::String(s)) => assert_eq!(s.chars().count(), 32_767, "clipped to Excel's limit"),
        other => panic!("{other:?}"),
    }

    let conn = Connection::open(dir.join("catalog.sqlite")).unwrap();
    let evidence: String = conn
        .query_row(
            "SELECT evidence FROM findings WHERE code = 'step.no_risk_point'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        evidence.chars().count(),
        40_000,
        "SQLite keeps the full text"
    );

    let page = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(!page.contains("<script"));
    assert!(page.contains("名称\u{FFFD}含控制符&lt;/section&gt;&lt;script&gt;"));
    assert_eq!(page.matches("<section class=\"chart\" ").count(), 3);
    // The risk point of step 2 (now a second step 1) is drawn once.
    assert_eq!(page.matches("故意刁难申请人。").count(), 1);
}

#[test]
fn sqlite_refuses_duplicate_ids() {
    let mut cat = sample();
    let twin = cat.charts[1].id.clone();
    cat.charts[2].id = twin;
    let dir = scratch("sqlite-duplicate");
    let err = sqlite::write(&cat, &dir.join("catalog.sqlite"))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("charts row 3") && err.contains("UNIQUE"),
        "{err}"
    );
    assert!(listing(&dir).is_empty());
}
