//! Behaviour of the public dedup API, with exact expectations.

use super::*;
use crate::catalog::{Line, RiskPoint};

fn rules() -> DedupRules {
    DedupRules::default()
}

/// Cluster of every line, as a list, for compact assertions.
fn clusters_of(lines: &[&str]) -> Vec<u32> {
    cluster(lines, &rules()).cluster_of
}

fn line(text: &str) -> Line {
    Line {
        n: None,
        marker: None,
        text: text.to_string(),
        text_id: String::new(),
    }
}

fn chart(id: &str, items: &[&str], measures: &[&str]) -> Chart {
    Chart {
        id: id.to_string(),
        source: "src-000000000001".to_string(),
        ordinal: 1,
        location: format!("{id}.docx#p1"),
        layout: "flow".to_string(),
        title: None,
        department: None,
        category: None,
        category_raw: None,
        code: None,
        name: id.to_string(),
        name_from: "label".to_string(),
        time_limit: None,
        contacts: Vec::new(),
        steps: Vec::new(),
        risk_points: vec![RiskPoint {
            id: format!("rp-{id}"),
            label: None,
            step: Some(2),
            grade: None,
            items: items.iter().map(|t| line(t)).collect(),
            measures: measures.iter().map(|t| line(t)).collect(),
            responsible: Vec::new(),
        }],
    }
}

#[test]
fn text_id_is_stable() {
    assert_eq!(text_id("risk", "故意刁难申请人。"), "tx-a581dafdfa98");
    assert_eq!(
        text_id("measure", "加强内部监管，落实责任追究。"),
        "tx-2910d65dc560"
    );
}

#[test]
fn formatting_variants_share_one_key_group() {
    let lines = [
        "1.量化审查标准",
        "1量化审查标准",
        "量化审查标准。",
        "量化 审查标准；",
        "１．量化审查标准",
    ];
    assert_eq!(clusters_of(&lines), vec![0, 0, 0, 0, 0]);
}

#[test]
fn two_substitutions_in_seven_join_but_two_in_five_stay_apart() {
    let lines = [
        "故意刁难申请人。",
        "故意刁难经办人。",
        "未及时送达。",
        "未及时办结。",
        "不及时办结。",
    ];
    assert_eq!(clusters_of(&lines), vec![0, 0, 1, 2, 2]);
}

#[test]
fn typo_examples_cluster_with_their_canonical() {
    let mut lines = Vec::new();
    for _ in 0..6 {
        lines.extend([
            "未按承诺时限办理事项。",
            "加强内部监管。",
            "无原因超时办理。",
            "不能一次告知所需材料。",
        ]);
    }
    lines.extend([
        "朱按承诺时限办理事项。",
        "加强内部单簧管。",
        "无照因超时办理。",
        "不能一次告知所霄材料。",
    ]);
    let c = cluster(&lines, &rules());
    assert_eq!(&c.cluster_of[24..], &[0, 1, 2, 3]);
    assert_eq!(c.canonical, vec![0, 1, 2, 3]);
}

#[test]
fn no_chaining_through_a_middle_variant() {
    // A and B differ in 3 of 10 characters, B and C in 3 others: A≈B, B≈C,
    // but A and C are 6 apart. C must not join A's cluster via B.
    let a = "甲乙丙丁戊己庚辛壬癸";
    let b = "子丑寅丁戊己庚辛壬癸";
    let c = "子丑寅卯辰巳庚辛壬癸";
    let lines = [a, a, a, b, b, c];
    assert_eq!(clusters_of(&lines), vec![0, 0, 0, 0, 0, 1]);
    // Without A, B leads and C joins it: the pair is found, only chaining is refused.
    assert_eq!(clusters_of(&[b, b, c]), vec![0, 0, 0]);
}

#[test]
fn canonical_is_most_frequent_then_earliest() {
    // Keys tie at two lines each: the earlier one leads.
    let lines = [
        "故意刁难经办人。",
        "故意刁难申请人。",
        "故意刁难申请人。",
        "故意刁难经办人。",
    ];
    let c = cluster(&lines, &rules());
    assert_eq!(c.cluster_of, vec![0, 0, 0, 0]);
    assert_eq!(c.canonical, vec![0]);
    // Written forms of one key tie: the earlier one is canonical.
    let lines = [
        "建立受理制度",
        "建立受理制度。",
        "建立受理制度。",
        "建立受理制度",
    ];
    assert_eq!(cluster(&lines, &rules()).canonical, vec![0]);
    // A more frequent written form wins over an earlier one.
    let lines = ["建立受理制度", "建立受理制度。", "建立受理制度。"];
    assert_eq!(cluster(&lines, &rules()).canonical, vec![1]);
}

#[test]
fn empty_and_punctuation_only_lines_group_exactly() {
    let lines = ["", "。", "  ", "故意刁难申请人"];
    assert_eq!(clusters_of(&lines), vec![0, 0, 0, 1]);
    assert_eq!(clusters_of(&[]), Vec::<u32>::new());
}

#[test]
fn same_result_with_one_and_two_threads() {
    // A few thousand lines with planted variants, from a fixed-seed xorshift.
    let bases = [
        "故意刁难申请人。",
        "不按规定程序受理。",
        "无原因超时办理。",
        "不能一次告知所需材料。",
        "严格执行责任追究制度。",
        "加强内部监管，落实责任追究。",
        "实行审批留痕制度。",
        "政务公开，明确工作程序、时限等，按照规定办理。",
        "未及时送达。",
        "未及时办结。",
    ];
    let pool: Vec<char> = bases.concat().chars().collect();
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let lines: Vec<String> = (0..4000)
        .map(|_| {
            let mut chars: Vec<char> = bases[(next() % 10) as usize].chars().collect();
            if next() % 3 == 0 {
                let i = (next() as usize) % chars.len();
                chars[i] = pool[(next() as usize) % pool.len()];
            }
            chars.into_iter().collect()
        })
        .collect();
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let run = |threads| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| cluster(&refs, &rules()))
    };
    let one = run(1);
    assert_eq!(one, run(2));
    assert!(one.canonical.len() >= 10);
}

#[test]
fn build_texts_fills_ids_texts_and_typo_findings() {
    let common = ["故意刁难申请人。", "未按承诺时限办理事项。"];
    let mut charts: Vec<Chart> = (1..=6)
        .map(|i| {
            chart(
                &format!("ch-{i}"),
                &common,
                &["加强内部监管，落实责任追究。"],
            )
        })
        .collect();
    charts.push(chart(
        "ch-7",
        &[
            "故意刁难申请人",
            "朱按承诺时限办理事项。",
            "故意刁难申情人。",
        ],
        &["加强内部单簧管，落实责任追究。"],
    ));
    charts.push(chart(
        "ch-8",
        &["擅自改变审查结论鶐。"],
        &["加强内部监管，落实责任追究。"],
    ));

    let (texts, findings) = build_texts(&mut charts, &rules());

    type Summary<'a> = (&'a str, &'a str, usize, usize, Vec<(&'a str, usize)>);
    let summary: Vec<Summary> = texts
        .iter()
        .map(|t| {
            let variants = t
                .variants
                .iter()
                .map(|v| (v.text.as_str(), v.occurrences))
                .collect();
            (
                t.kind.as_str(),
                t.canonical.as_str(),
                t.occurrences,
                t.charts,
                variants,
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            (
                "risk",
                "故意刁难申请人。",
                8,
                7,
                vec![("故意刁难申请人", 1), ("故意刁难申情人。", 1)]
            ),
            (
                "risk",
                "未按承诺时限办理事项。",
                7,
                7,
                vec![("朱按承诺时限办理事项。", 1)]
            ),
            ("risk", "擅自改变审查结论鶐。", 1, 1, vec![]),
            (
                "measure",
                "加强内部监管，落实责任追究。",
                8,
                8,
                vec![("加强内部单簧管，落实责任追究。", 1)]
            ),
        ]
    );
    assert_eq!(texts[0].id, "tx-a581dafdfa98");
    assert_eq!(texts[3].id, "tx-2910d65dc560");
    assert_eq!(charts[6].risk_points[0].items[2].text_id, "tx-a581dafdfa98");
    assert_eq!(
        charts[6].risk_points[0].measures[0].text_id,
        "tx-2910d65dc560"
    );

    let got: Vec<(&str, &str, Option<&str>)> = findings
        .iter()
        .map(|f| {
            (
                f.chart.as_deref().unwrap(),
                f.evidence.as_str(),
                f.suggestion.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "ch-7",
                "朱按承诺时限办理事项。",
                Some("未按承诺时限办理事项。")
            ),
            ("ch-7", "故意刁难申情人。", Some("故意刁难申请人。")),
            (
                "ch-7",
                "加强内部单簧管，落实责任追究。",
                Some("加强内部监管，落实责任追究。")
            ),
            ("ch-8", "擅自改变审查结论鶐。", None),
        ]
    );
    let f = &findings[1];
    assert_eq!(f.code, "text.suspected_typo");
    assert_eq!(f.severity, Severity::Warning);
    assert_eq!(f.source, "src-000000000001");
    assert_eq!(f.step, Some(2));
    assert_eq!(f.risk_point.as_deref(), Some("rp-ch-7"));
    assert_eq!(f.location, "ch-7.docx#p1");
    assert_eq!(
        f.message,
        "与常见写法“故意刁难申请人。”（7处）仅差1个字，而此写法只出现1处，疑似错别字。"
    );
    assert_eq!(findings[0].message, "疑似错别字：“朱按”应为“未按”。");
    assert_eq!(
        findings[3].message,
        "含有不在GB2312常用汉字范围内的字“鶐”，疑似录入错误。"
    );
}

#[test]
fn punctuation_or_number_differences_are_not_typos() {
    let mut items = vec!["量化审查标准，执行回避制度。"; 6];
    items.push("量化审查标准、执行回避制度。");
    let mut measures = vec!["15个工作日内答复。"; 6];
    measures.push("20个工作日内答复。");
    let mut charts = vec![chart("ch-1", &items, &measures)];
    let (texts, findings) = build_texts(&mut charts, &rules());
    assert_eq!(texts.len(), 2);
    assert_eq!(findings, Vec::new());
}

#[test]
fn dedup_lines_gives_id_and_canonical_per_line() {
    let lines: Vec<String> = [
        "1.故意刁难申请人。",
        "2.故意刁难申请人",
        "1.故意刁难申请人。",
        "未及时送达。",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let got = dedup_lines(&lines, &rules());
    let first = (
        "tx-a249a35a0bff".to_string(),
        "1.故意刁难申请人。".to_string(),
    );
    assert_eq!(got[..3], [first.clone(), first.clone(), first]);
    assert_eq!(got[3].1, "未及时送达。");
    assert_eq!(
        dedup_lines_as(&lines[..1], "risk", &rules())[0].0,
        text_id("risk", "1.故意刁难申请人。")
    );
}

#[test]
fn an_added_negation_makes_a_different_line() {
    let lines = [
        "执行回避制度。",
        "不执行回避制度。",
        "初审合格",
        "初审不合格",
        "不及时办结。",
        "未及时办结。",
        "未按承诺时限办理事项。",
        "朱按承诺时限办理事项。",
    ];
    assert_eq!(clusters_of(&lines), vec![0, 1, 2, 3, 4, 4, 5, 5]);
}

#[test]
fn known_confusions_become_findings_with_the_corrected_text() {
    let typos = [
        ("朱按承诺时限办理事项。", "未按承诺时限办理事项。"),
        ("加强内部单簧管。", "加强内部监管。"),
        ("3.无照因超时办理,久拖不办.", "3.无原因超时办理,久拖不办."),
        ("不能一次告知所霄材料。", "不能一次告知所需材料。"),
    ];
    let wrong: Vec<&str> = typos.iter().map(|(w, _)| *w).collect();
    let mut charts = vec![chart("ch-1", &wrong, &[])];
    let (texts, findings) = build_texts(&mut charts, &rules());
    assert_eq!(texts.len(), 4);
    let got: Vec<(&str, Option<&str>)> = findings
        .iter()
        .map(|f| (f.evidence.as_str(), f.suggestion.as_deref()))
        .collect();
    let want: Vec<(&str, Option<&str>)> = typos.iter().map(|(w, r)| (*w, Some(*r))).collect();
    assert_eq!(got, want);
}

#[test]
fn a_rare_character_alone_is_reported_without_a_guess() {
    let mut charts = vec![chart(
        "ch-1",
        &["严格执行鶐回避制度。", "嚴格執行責任追究製度。"],
        &[],
    )];
    let (_, findings) = build_texts(&mut charts, &rules());
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].evidence, "严格执行鶐回避制度。");
    assert_eq!(findings[0].suggestion, None);
}
