//! `riskflow dedup` through the binary: the TSV of binary input, and a
//! review written with --explain fed back with --decisions.

use std::path::PathBuf;
use std::process::Command;

fn temp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("riskflow-dedup-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn dedup(args: &[&std::ffi::OsStr]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_riskflow"))
        .arg("dedup")
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn binary_input_gives_one_printable_row_per_line() {
    let dir = temp("binary");
    let input = dir.join("in.bin");
    std::fs::write(&input, b"ab\rcd\x00ef\n\x1b\x07gh\n\n\x00\x00\r\n").unwrap();
    let out = dedup(&[input.as_os_str()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tsv = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<&str> = tsv.split('\n').collect();
    assert_eq!(rows[0], "line_no\tcluster_id\tcanonical\ttext\tsimilarity");
    // Three non-blank lines, then the final newline.
    assert_eq!(rows.len(), 5, "{tsv:?}");
    assert!(rows[1].starts_with("1\t"));
    assert!(rows[1].ends_with("\tab\\rcd\\0ef\t1.000"), "{:?}", rows[1]);
    for row in &rows {
        assert!(!row.chars().any(|c| c.is_control() && c != '\t'), "{row:?}");
    }
}

#[test]
fn explain_then_decisions_round_trip() {
    let dir = temp("review");
    let input = dir.join("in.txt");
    std::fs::write(
        &input,
        "故意刁难申请人。\n故意刁难申请人。\n故意刁难经办人。\n管理不规范，对外宣传审核把关不到位\n无检查方案，对外宣传审核把关不到位\n",
    )
    .unwrap();
    let review = dir.join("review.toml");
    let first = dedup(&[input.as_os_str(), "--explain".as_ref(), review.as_os_str()]);
    assert!(first.status.success());
    let text = std::fs::read_to_string(&review).unwrap();
    assert!(text.contains("canonical = \"故意刁难申请人。\""), "{text}");
    // Split 经办人 off into its own text.
    let edited = text.replace(
        "  { text = \"故意刁难经办人。\", lines = 1, similarity = 0.714 },\n",
        "",
    ) + "\n[[text]]\ncanonical = \"故意刁难经办人。\"\n";
    assert_ne!(edited, text);
    std::fs::write(&review, edited).unwrap();
    let second = dedup(&[
        input.as_os_str(),
        "--decisions".as_ref(),
        review.as_os_str(),
    ]);
    assert!(
        second.status.success(),
        "{}",
        String::from_utf8_lossy(&second.stderr)
    );
    let ids = |out: &[u8]| -> Vec<String> {
        String::from_utf8_lossy(out)
            .lines()
            .skip(1)
            .map(|l| l.split('\t').nth(1).unwrap().to_string())
            .collect()
    };
    let (before, after) = (ids(&first.stdout), ids(&second.stdout));
    assert_eq!(before[0], before[2]);
    assert_ne!(after[0], after[2]);
    assert_eq!(after[0], after[1]);
    assert_ne!(after[3], after[4]);
    // A decisions file that contradicts itself is refused with exit 2.
    std::fs::write(&review, "[[apart]]\ntexts = [\"只有一条\"]\n").unwrap();
    let bad = dedup(&[
        input.as_os_str(),
        "--decisions".as_ref(),
        review.as_os_str(),
    ]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("[[apart]] entry 1"));
}

#[test]
fn decisions_toml_in_a_rules_folder_reaches_ingest_rules_and_the_digest() {
    let dir = temp("rules");
    let plain = riskflow::rules::Rules::load(Some(&dir)).unwrap();
    assert!(plain.dedup.decisions.is_empty());
    std::fs::write(
        dir.join("decisions.toml"),
        "[[apart]]\ntexts = [\"故意刁难申请人\", \"故意刁难经办人\"]\n",
    )
    .unwrap();
    let decided = riskflow::rules::Rules::load(Some(&dir)).unwrap();
    assert!(!decided.dedup.decisions.is_empty());
    assert_ne!(decided.digest, plain.digest);
    let lines = ["故意刁难申请人。", "故意刁难申请人。", "故意刁难经办人。"];
    let c = riskflow::dedup::cluster(&lines, &decided.dedup);
    assert_eq!(c.cluster_of, vec![0, 0, 1]);
    assert_eq!(
        riskflow::dedup::cluster(&lines, &plain.dedup).cluster_of,
        vec![0, 0, 0]
    );
    std::fs::write(dir.join("decisions.toml"), "[[text]]\n").unwrap();
    let e = riskflow::rules::Rules::load(Some(&dir))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("decisions.toml") && e.contains("names no line"),
        "{e}"
    );
}
