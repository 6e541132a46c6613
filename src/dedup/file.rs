//! `riskflow dedup FILE`: the clustering for a plain list of lines from
//! another system, in any encoding the text reader detects; from a TSV file
//! the first column is the text.

use super::{DedupRules, dedup_lines_as};

/// The TSV answer for a file's bytes: a header, then `line_no`,
/// `cluster_id`, `canonical` for every non-blank input line, in input order.
/// Also returns the detected encoding.
pub fn tsv(bytes: &[u8], kind: &str, rules: &DedupRules) -> (String, &'static str) {
    let (text, encoding) = crate::read::text::decode(bytes);
    let mut numbers = Vec::new();
    let mut lines = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let first = line.split('\t').next().unwrap_or("").trim();
        if first.is_empty() {
            continue;
        }
        numbers.push(i + 1);
        lines.push(first.to_string());
    }
    let clusters = dedup_lines_as(&lines, kind, rules);
    let mut out = String::from("line_no\tcluster_id\tcanonical\n");
    for (n, (id, canonical)) in numbers.iter().zip(clusters) {
        out.push_str(&format!(
            "{n}\t{id}\t{}\n",
            canonical.replace(['\t', '\n'], " ")
        ));
    }
    (out, encoding)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gbk_tsv_first_column_in_input_order() {
        let text =
            "故意刁难申请人。\t甲\n\n故意刁难经办人。\t乙\n不按规定程序受理。\n故意刁难申请人。\n";
        let (bytes, _, _) = encoding_rs::GBK.encode(text);
        let (out, encoding) = tsv(&bytes, "risk", &DedupRules::default());
        assert_eq!(encoding, "GBK");
        let rows: Vec<Vec<&str>> = out.lines().map(|l| l.split('\t').collect()).collect();
        assert_eq!(rows[0], vec!["line_no", "cluster_id", "canonical"]);
        let numbers: Vec<&str> = rows[1..].iter().map(|r| r[0]).collect();
        assert_eq!(numbers, vec!["1", "3", "4", "5"]);
        // 申请人 / 经办人 are one text; its canonical is the more frequent form.
        assert_eq!(rows[1][1], rows[2][1]);
        assert_eq!(rows[1][1], rows[4][1]);
        assert_ne!(rows[1][1], rows[3][1]);
        assert_eq!(rows[2][2], "故意刁难申请人。");
        assert_eq!(
            rows[1][1],
            super::super::text_id("risk", "故意刁难申请人。")
        );
    }
}
