//! `riskflow dedup FILE`: the clustering for a plain list of lines from
//! another system, in any encoding the text reader detects; from a TSV file
//! the first column is the text. Writes a TSV of every line and, on request,
//! a review of every cluster that people can edit and feed back as
//! decisions (see `decisions.rs`).

use std::fmt::Write as _;

use rayon::prelude::*;

use super::{DedupRules, Review, review};

/// The TSV header.
pub const COLUMNS: [&str; 5] = ["line_no", "cluster_id", "canonical", "text", "similarity"];

/// What `riskflow dedup` writes.
#[derive(Debug)]
pub struct Output {
    /// One row per non-blank input line, in input order: [`COLUMNS`].
    pub tsv: Vec<u8>,
    /// The review (`--explain`), if asked for.
    pub explain: Option<String>,
    /// The detected encoding of the input.
    pub encoding: &'static str,
}

#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("cannot write the TSV: {0}")]
    Tsv(#[from] csv::Error),
    #[error("cannot write the TSV: {0}")]
    Buffer(String),
}

/// Clusters the lines of `bytes`; `source` names the input in the review's
/// header.
pub fn run(
    bytes: &[u8],
    kind: &str,
    rules: &DedupRules,
    explain: bool,
    source: &str,
) -> Result<Output, FileError> {
    let (text, encoding) = crate::read::text::decode_borrowed(bytes);
    let mut numbers = Vec::new();
    let mut lines = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let first = line.split('\t').next().unwrap_or("").trim();
        if first.is_empty() {
            continue;
        }
        numbers.push(i + 1);
        lines.push(first);
    }
    let r = review(&lines, kind, rules);
    let tsv = write_tsv(&numbers, &lines, &r)?;
    let explain = explain.then(|| write_review(&lines, &r, source, rules));
    Ok(Output {
        tsv,
        explain,
        encoding,
    })
}

/// Lines per unit of parallel TSV formatting.
const TSV_CHUNK: usize = 16_384;

/// The TSV: every row after its line number depends on the line's written
/// text only (its cluster, canonical, text and similarity), so each distinct
/// text's fields are escaped and quoted once, and the rows are assembled in
/// parallel into one buffer sized up front (a million rows are a few hundred
/// MB; building them piecewise and joining would hold them twice).
fn write_tsv(numbers: &[usize], lines: &[&str], r: &Review) -> Result<Vec<u8>, FileError> {
    let fields: Vec<(String, String)> = r
        .written
        .par_iter()
        .map(|w| {
            (
                tsv_field(&escape(lines[w.first_line as usize])),
                format!("{:.3}", w.similarity),
            )
        })
        .collect();
    let ids: Vec<String> = r.clusters.par_iter().map(|c| tsv_field(&c.id)).collect();
    // The row of line i without its number: four tabs, the fields, a newline.
    let tail_len = |i: usize| {
        let w = r.written_of_line[i] as usize;
        let c = r.cluster_of_line[i] as usize;
        let (text, similarity) = &fields[w];
        let canonical = &fields[r.clusters[c].canonical as usize].0;
        ids[c].len() + canonical.len() + text.len() + similarity.len() + 5
    };
    let chunk_len: Vec<usize> = (0..numbers.len())
        .into_par_iter()
        .step_by(TSV_CHUNK)
        .map(|start| {
            (start..(start + TSV_CHUNK).min(numbers.len()))
                .map(|i| decimal_len(numbers[i]) + tail_len(i))
                .sum()
        })
        .collect();
    let header = COLUMNS.join("\t") + "\n";
    let mut out = vec![0u8; header.len() + chunk_len.iter().sum::<usize>()];
    let (head, mut rest) = out.split_at_mut(header.len());
    head.copy_from_slice(header.as_bytes());
    let mut parts = Vec::with_capacity(chunk_len.len());
    for &len in &chunk_len {
        let (part, tail) = rest.split_at_mut(len);
        parts.push(part);
        rest = tail;
    }
    parts.into_par_iter().enumerate().for_each(|(chunk, part)| {
        let start = chunk * TSV_CHUNK;
        let mut at = 0;
        let mut put = |bytes: &[u8]| {
            part[at..at + bytes.len()].copy_from_slice(bytes);
            at += bytes.len();
        };
        let mut number = [0u8; 20];
        for (i, &n) in numbers.iter().enumerate().skip(start).take(TSV_CHUNK) {
            let w = r.written_of_line[i] as usize;
            let c = r.cluster_of_line[i] as usize;
            let (text, similarity) = &fields[w];
            let canonical = &fields[r.clusters[c].canonical as usize].0;
            put(decimal(n, &mut number));
            for field in [&ids[c], canonical, text, similarity] {
                put(b"\t");
                put(field.as_bytes());
            }
            put(b"\n");
        }
        debug_assert_eq!(at, part.len());
    });
    Ok(out)
}

/// A TSV field as the csv crate writes it with `QuoteStyle::Necessary`:
/// quoted, with quotes doubled, when it holds a tab, a quote or a line
/// break (after [`escape`] only a quote can be left).
fn tsv_field(text: &str) -> String {
    if !text.contains(['\t', '"', '\r', '\n']) {
        return text.to_string();
    }
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// `n` in decimal, written into the end of `buf`.
fn decimal(mut n: usize, buf: &mut [u8; 20]) -> &[u8] {
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            return &buf[at..];
        }
    }
}

fn decimal_len(n: usize) -> usize {
    n.checked_ilog10().map_or(1, |l| l as usize + 1)
}

/// A field with control characters spelled out (`\t`, `\r`, `\n`, `\0`,
/// `\u{1b}`) and backslashes doubled, so a row is always one line of
/// printable text and the escape can be undone.
pub fn escape(text: &str) -> String {
    if !text.chars().any(|c| c.is_control() || c == '\\') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\n' => out.push_str("\\n"),
            '\0' => out.push_str("\\0"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// A TOML string literal.
fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The review: every cluster as a `[[text]]` entry of a decisions file,
/// largest first (ties: first appearance), so a person starts where most
/// lines are.
fn write_review(lines: &[&str], r: &Review, source: &str, rules: &DedupRules) -> String {
    let text_of = |w: u32| lines[r.written[w as usize].first_line as usize];
    let mut order: Vec<usize> = (0..r.clusters.len()).collect();
    order.sort_by_key(|&c| std::cmp::Reverse(r.clusters[c].lines));
    let merged = r.clusters.iter().filter(|c| !c.members.is_empty()).count();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# riskflow dedup review of {}: {} lines, {} texts, {} with more than one written form.",
        source.replace(['\n', '\r'], " "),
        lines.len(),
        r.clusters.len(),
        merged
    );
    out.push_str(
        "#
# Each [[text]] is one text: the canonical form shown for it, how many
# lines it covers, and every way it was written (the canonical first), with
# its line count and its similarity to the canonical (1 - edits / length,
# punctuation ignored). The clustering joins lines with the same clauses in the same
# order up to a typo or two inside a clause (rules/dedup.toml).
#
# To overrule it, edit this file and pass it back:
#   riskflow dedup FILE --decisions THIS_FILE
# (or put it in a rules folder as decisions.toml for `riskflow ingest
# --rules DIR`). Then:
#   - every [[text]] stays one text, and two [[text]] entries are never
#     merged: to split a cluster, move members into a new [[text]];
#   - `canonical` is the form shown: change it to another member to show
#     that one instead (it must be written so in the input);
#   - add [[apart]] entries (texts = [\"…\", \"…\"]) for lines that must
#     never be one text;
#   - delete the entries you do not want to pin; lines nobody names are
#     clustered as usual. `id`, `lines` and `similarity` are ignored.
",
    );
    if !rules.decisions.is_empty() {
        out.push_str("# (This run already honoured a decisions file.)\n");
    }
    for c in order {
        let cluster = &r.clusters[c];
        let _ = writeln!(out, "\n[[text]]");
        let _ = writeln!(out, "id = {}", toml_string(&cluster.id));
        let _ = writeln!(
            out,
            "canonical = {}",
            toml_string(text_of(cluster.canonical))
        );
        let _ = writeln!(out, "lines = {}", cluster.lines);
        out.push_str("members = [\n");
        for &w in std::iter::once(&cluster.canonical).chain(&cluster.members) {
            let written = &r.written[w as usize];
            let _ = writeln!(
                out,
                "  {{ text = {}, lines = {}, similarity = {:.3} }},",
                toml_string(text_of(w)),
                written.count,
                written.similarity
            );
        }
        out.push_str("]\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::Decisions;
    use super::*;

    fn rows(tsv: &[u8]) -> Vec<Vec<String>> {
        csv::ReaderBuilder::new()
            .delimiter(b'\t')
            .has_headers(false)
            .from_reader(tsv)
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect())
            .collect()
    }

    #[test]
    fn gbk_tsv_first_column_in_input_order() {
        let text =
            "故意刁难申请人。\t甲\n\n故意刁难经办人。\t乙\n不按规定程序受理。\n故意刁难申请人。\n";
        let (bytes, _, _) = encoding_rs::GBK.encode(text);
        let out = run(&bytes, "risk", &DedupRules::default(), false, "x.txt").unwrap();
        assert_eq!(out.encoding, "GBK");
        assert!(out.explain.is_none());
        let rows = rows(&out.tsv);
        assert_eq!(rows[0], COLUMNS);
        let numbers: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
        assert_eq!(numbers, vec!["1", "3", "4", "5"]);
        // 申请人 / 经办人 are one text (two edits inside a seven-character
        // clause); its canonical is the more frequent form.
        assert_eq!(rows[1][1], rows[2][1]);
        assert_eq!(rows[1][1], rows[4][1]);
        assert_ne!(rows[1][1], rows[3][1]);
        assert_eq!(rows[2][2], "故意刁难申请人。");
        assert_eq!(rows[2][3], "故意刁难经办人。");
        assert_eq!(rows[1][4], "1.000");
        // 2 edits in 7 characters.
        assert_eq!(rows[2][4], "0.714");
        assert_eq!(
            rows[1][1],
            super::super::text_id("risk", "故意刁难申请人。")
        );
    }

    #[test]
    fn binary_input_never_puts_control_characters_in_fields() {
        let bytes = b"\x00\x01abc\rdef\x00\tsecond column\n\x1b[0m\\x\r\n\xff\xfe\x00\x00";
        let out = run(bytes, "line", &DedupRules::default(), true, "bin").unwrap();
        let text = String::from_utf8(out.tsv.clone()).unwrap();
        for (i, line) in text.lines().enumerate() {
            assert!(
                !line.chars().any(|c| c.is_control() && c != '\t'),
                "row {i}: {line:?}"
            );
            assert_eq!(line.matches('\t').count(), 4, "row {i}: {line:?}");
        }
        let rows = rows(&out.tsv);
        assert!(rows.len() >= 3, "{rows:?}");
        assert_eq!(rows[1][3], "\\0\\u{1}abc\\rdef\\0");
        // The review parses back as a decisions file.
        Decisions::parse(out.explain.as_deref().unwrap(), "review.toml").unwrap();
    }

    #[test]
    fn rows_are_what_the_csv_crate_writes() {
        let input = "他说\"不\"\n\"引号\"开头\n他说\"不\"\n末尾\"\n普通\n";
        let out = run(input.as_bytes(), "line", &DedupRules::default(), false, "q").unwrap();
        let r = review(
            &input.lines().collect::<Vec<_>>(),
            "line",
            &DedupRules::default(),
        );
        let mut want = csv::WriterBuilder::new()
            .delimiter(b'\t')
            .quote_style(csv::QuoteStyle::Necessary)
            .from_writer(Vec::new());
        want.write_record(COLUMNS).unwrap();
        for (i, line) in input.lines().enumerate() {
            let c = &r.clusters[r.cluster_of_line[i] as usize];
            let w = &r.written[r.written_of_line[i] as usize];
            let canonical = input
                .lines()
                .nth(r.written[c.canonical as usize].first_line as usize);
            want.write_record([
                (i + 1).to_string(),
                c.id.clone(),
                canonical.unwrap().to_string(),
                line.to_string(),
                format!("{:.3}", w.similarity),
            ])
            .unwrap();
        }
        assert_eq!(
            String::from_utf8(out.tsv).unwrap(),
            String::from_utf8(want.into_inner().unwrap()).unwrap()
        );
    }

    #[test]
    fn decimal_numbers() {
        let mut buf = [0u8; 20];
        for n in [0, 7, 10, 99, 100, 123_456, usize::MAX] {
            assert_eq!(decimal(n, &mut buf), n.to_string().as_bytes());
            assert_eq!(decimal_len(n), n.to_string().len());
        }
    }

    #[test]
    fn escape_spells_out_controls_and_doubles_backslashes() {
        assert_eq!(escape("普通文字"), "普通文字");
        assert_eq!(escape("a\tb\\c\u{7f}"), "a\\tb\\\\c\\u{7f}");
    }
}
