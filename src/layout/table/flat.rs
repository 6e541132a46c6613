//! Tables that arrive as text lines: flattened one cell per line (document
//! sharing sites, copy-paste, PDF text: `序号⏎责任主体⏎职权内容⏎…⏎1⏎办公室⏎…`),
//! or a row per line with its cells apart by spaces or tabs, or several
//! rows inside one long line. They are turned into the `Cell` blocks a Word
//! table would give, and read by the grid reader like any table.
//!
//! The header tells the columns: a run of pieces that each name a column
//! role (a header word split by a space, `风险 等级`, is joined). The data
//! that follows is dealt into columns in two readings that compete:
//! `strict` (cell after cell, as many per row as the header has columns) and
//! `walk` (each piece goes to the next column its content fits — a number
//! to 序号, a grade to 等级, a risk to the risk column, `2、…` after `1、…`
//! stays in its cell — a piece that fits no column further right starts the
//! next row). The reading with fewer pieces against their column, and fewer
//! rows without risks, wins.

use super::content::{Kind, fits, kind};
use super::header::{Role, role_of, topics};
use super::shapes::LayoutRules;
use crate::document::{Block, BlockKind};
use crate::recognise::fields::{compact, is_title};
use crate::recognise::markers::split_marker;
use crate::rules::Rules;

/// One whitespace-separated piece of a line.
#[derive(Debug, Clone)]
struct Piece {
    text: String,
    /// Index of the block in the segment.
    block: usize,
    /// Line within the block.
    line: usize,
}

/// The header's cells as written, with the role each names.
type HeaderCells = Vec<(String, Role)>;

/// Table ids of text tables, far from any reader's own numbering.
const TEXT_TABLE: u32 = u32::MAX - 1;

/// Roles only tables have: a run of header words with none of them (the
/// `防控措施及责任人 · 工作流程 · 风险点等级及表现形式` heads of a flow chart)
/// is a table header only when it names four columns or more.
const TABLE_ONLY: [Role; 9] = [
    Role::Seq,
    Role::Grade,
    Role::Responsible,
    Role::Post,
    Role::Power,
    Role::Unit,
    Role::Object,
    Role::Category,
    Role::Time,
];

/// The segment as blocks with the text table turned into cells, or `None`
/// when the segment holds no table header in its text.
pub fn cells(seg: &[&Block], lr: &LayoutRules, rules: &Rules) -> Option<Vec<Block>> {
    if seg.iter().any(|b| matches!(b.kind, BlockKind::Cell { .. })) {
        return None;
    }
    let lines: Vec<(usize, usize, &str)> = seg
        .iter()
        .enumerate()
        .filter(|(_, b)| b.kind == BlockKind::Paragraph)
        .flat_map(|(bi, b)| {
            b.text
                .lines()
                .enumerate()
                .filter(|(_, l)| !l.trim().is_empty())
                .map(move |(li, l)| (bi, li, l))
        })
        .collect();
    let pieces: Vec<Piece> = lines
        .iter()
        .flat_map(|&(block, line, text)| {
            text.split_whitespace().map(move |t| Piece {
                text: t.to_string(),
                block,
                line,
            })
        })
        .collect();
    let (start, end, header) = find_header(&pieces, &lines, lr)?;
    // Cells apart by spaces when a line of the header holds several of them.
    let spaced = (start..end).any(|i| {
        i + 1 < end
            && pieces[i].block == pieces[i + 1].block
            && pieces[i].line == pieces[i + 1].line
    });
    let at = |p: &Piece| (p.block, p.line);
    let line_text = |l: (usize, usize)| {
        lines
            .iter()
            .find(|x| (x.0, x.1) == l)
            .map_or("", |x| x.2.trim())
    };
    // The data: pieces (spaced) or whole lines (flattened), up to a title line.
    let header_line = at(&pieces[end - 1]);
    let mut tokens: Vec<Piece> = Vec::new();
    let mut rest_of_header_line: Vec<&str> = Vec::new();
    let mut last_line = header_line;
    let mut stop: Option<(usize, usize)> = None;
    for p in &pieces[end..] {
        let l = at(p);
        let new_line = l != last_line;
        last_line = l;
        if new_line && ends_table(line_text(l), rules) {
            stop = Some(l);
            break;
        }
        if spaced {
            tokens.push(p.clone());
        } else if l == header_line {
            rest_of_header_line.push(&p.text);
        } else if new_line {
            tokens.push(Piece {
                text: line_text(l).to_string(),
                block: p.block,
                line: p.line,
            });
        }
    }
    if !rest_of_header_line.is_empty() {
        tokens.insert(
            0,
            Piece {
                text: rest_of_header_line.join(" "),
                block: header_line.0,
                line: header_line.1,
            },
        );
    }
    let mut header = header;
    let mut roles: Vec<Role> = header.iter().map(|(_, r)| *r).collect();
    let kinds: Vec<Kind> = tokens.iter().map(|t| kind(&t.text, lr, rules)).collect();
    let mut walk = walk_reading(&tokens, &kinds, &roles);
    // Posts opening rows under a header that names no post column (its
    // head cell was lost, or never written): the rows have one, first.
    let label = |r: &Role| {
        matches!(
            r,
            Role::Post | Role::Process | Role::Power | Role::Unit | Role::Seq
        )
    };
    let posts_left_out = walk
        .iter()
        .zip(&kinds)
        .filter(|(a, k)| a.is_none() && **k == Kind::Post)
        .count();
    if !roles.iter().any(label) && posts_left_out >= 2 {
        roles.insert(0, Role::Post);
        // The grid reader knows the column by a header word; none is written.
        let word = lr.columns.post.first().cloned().unwrap_or_default();
        header.insert(0, (word, Role::Post));
        walk = walk_reading(&tokens, &kinds, &roles);
    }
    let mut strict = strict_reading(tokens.len(), roles.len());
    trim_tail(&mut strict, &roles);
    trim_tail(&mut walk, &roles);
    let (a, b) = (cost(&strict, &kinds, &roles), cost(&walk, &kinds, &roles));
    // No reading fits: whatever this is, it is not this table.
    let placed = |r: &[Option<(usize, usize)>]| r.iter().flatten().count();
    if a.min(b) * 3 > placed(&strict).max(placed(&walk)) {
        return None;
    }
    let chosen = if a < b || (a == b && !spaced) {
        strict
    } else {
        walk
    };
    Some(build(
        seg, &pieces, start, &header, &tokens, &chosen, spaced, stop,
    ))
}

/// A title line after the table starts what follows it (`is_title` alone
/// also takes `风险表现：…` lines: a title ends like one).
fn ends_table(line: &str, rules: &Rules) -> bool {
    is_title(line, rules) && line.ends_with(['表', '图', ')', '）'])
}

/// The header: the first run of pieces that name column roles, near the top
/// of the segment (within `header.search_rows` lines).
fn find_header(
    pieces: &[Piece],
    lines: &[(usize, usize, &str)],
    lr: &LayoutRules,
) -> Option<(usize, usize, HeaderCells)> {
    let line_no = |p: &Piece| {
        lines
            .iter()
            .position(|l| (l.0, l.1) == (p.block, p.line))
            .unwrap_or(0)
    };
    // A title (`…岗位廉政风险防控表`) holds header words but is not a header
    // cell; no header word ends like a title.
    // Only the words count: text readers' marks around them (`[image: ]`)
    // do not.
    let role = |t: &str| {
        // A header word has no sentence or label punctuation
        // (`窗口受理,责任人:张三(时限1个工作日)` is a step box).
        if t.contains([',', '，', ':', '：', '(', '（', '。', '；', ';']) {
            return None;
        }
        let t: String = t
            .chars()
            .filter(|c| !c.is_ascii() || c.is_ascii_digit() || *c == '/')
            .collect();
        if t.ends_with(['表', '图']) || lr.header.title_words.iter().any(|w| t.contains(w.as_str()))
        {
            None
        } else {
            role_of(&t, lr)
        }
    };
    // Near the top: within the first lines, and not after a long run of
    // text on the same line (a whole document on one line is not a table's
    // head; the layouts that read the text before the header come first).
    let mut i = 0;
    while i < pieces.len()
        && line_no(&pieces[i]) <= lr.header.search_rows
        && i <= 2 * lr.header.search_rows
    {
        if pieces[i].text.starts_with(['及', '和', '与', '、']) {
            i += 1;
            continue;
        }
        let mut j = i;
        let mut header: Vec<(String, Role)> = Vec::new();
        loop {
            let text = |k: usize| pieces.get(k).map_or("", |p| p.text.as_str());
            // A header cell: one piece, or two that name a role together
            // (`风险 等级`).
            let (mut cell, mut r, mut next) = if let Some(r) = role(text(j)) {
                (text(j).to_string(), r, j + 1)
            } else if let Some(r) = (j + 1 < pieces.len())
                .then(|| role(&format!("{}{}", text(j), text(j + 1))))
                .flatten()
            {
                (format!("{} {}", text(j), text(j + 1)), r, j + 2)
            } else {
                break;
            };
            // `防控措施⏎及责任人`: a piece opening with 及/和/与 ends the
            // header word before it; it names no column of its own.
            if text(next).starts_with(['及', '和', '与', '、'])
                && let Some(r2) = role(&compact(&format!("{cell}{}", text(next))))
            {
                cell = format!("{cell} {}", text(next));
                r = r2;
                next += 1;
            }
            header.push((cell, r));
            j = next;
        }
        let mut roles: Vec<Option<Role>> = header.iter().map(|(_, r)| Some(*r)).collect();
        topics(&mut roles);
        let mut distinct: Vec<Role> = Vec::new();
        for r in roles.iter().flatten() {
            if !distinct.contains(r) {
                distinct.push(*r);
            }
        }
        let table_like = distinct.len() >= 4 || distinct.iter().any(|r| TABLE_ONLY.contains(r));
        if distinct.len() >= lr.header.min_roles.max(3)
            && (distinct.contains(&Role::Risk) || distinct.contains(&Role::Measure))
            && table_like
        {
            for (h, r) in header.iter_mut().zip(roles) {
                h.1 = r.unwrap_or(h.1);
            }
            return Some((i, j, header));
        }
        i += 1;
    }
    None
}

/// Cell after cell: token t is row t / columns, column t % columns.
fn strict_reading(n: usize, cols: usize) -> Vec<Option<(usize, usize)>> {
    (0..n).map(|t| Some((t / cols, t % cols))).collect()
}

/// Each token to the next column it fits; numbered items that continue the
/// cell's numbering stay in the cell.
fn walk_reading(tokens: &[Piece], kinds: &[Kind], roles: &[Role]) -> Vec<Option<(usize, usize)>> {
    let mut out = Vec::with_capacity(tokens.len());
    let mut row = 0usize;
    let mut col: Option<usize> = None;
    let mut started = false;
    // The last number seen in the current cell.
    let mut last_n: Option<u32> = None;
    // A row of a table keyed by 序号 or 岗位 opens with its key: a piece
    // that cannot open a row there is past the table's end.
    let keyed = matches!(roles.first(), Some(Role::Seq | Role::Post));
    let mut ended = false;
    for (t, k) in tokens.iter().zip(kinds) {
        if ended || *k == Kind::Heading {
            ended = true;
            out.push(None);
            continue;
        }
        let m = split_marker(&t.text);
        let continues = match (col, m.n, last_n) {
            (Some(c), Some(n), Some(l)) => {
                n == l + 1 && matches!(roles[c], Role::Risk | Role::Measure)
            }
            // A fragment of a sentence cut at a space (`(初审、复审)`,
            // `,确保…`) goes on with the cell before it.
            (Some(c), None, _)
                if matches!(roles[c], Role::Risk | Role::Measure) && fragment(&t.text) =>
            {
                true
            }
            (Some(c), None, _) => {
                matches!(roles[c], Role::Risk | Role::Measure)
                    && (*k == kind_of_role(roles[c])
                        || (*k == Kind::Text
                            && t.text.chars().count() > 1
                            && !fits_further(*k, roles, c)))
            }
            _ => false,
        };
        if continues {
            if m.n.is_some() {
                last_n = m.n;
            }
            out.push(col.map(|c| (row, c)));
            continue;
        }
        let from = col.map_or(0, |c| c + 1);
        let next = (from..roles.len()).find(|&c| fits(*k, roles[c]));
        match next {
            Some(c) => {
                col = Some(c);
            }
            None => match (0..roles.len()).find(|&c| fits(*k, roles[c])) {
                Some(c) if keyed && c > 0 && started => {
                    ended = true;
                    out.push(None);
                    continue;
                }
                Some(c) => {
                    if started {
                        row += 1;
                    }
                    col = Some(c);
                }
                None => {
                    out.push(None);
                    continue;
                }
            },
        }
        started = true;
        last_n = m.n;
        out.push(col.map(|c| (row, c)));
    }
    out
}

/// A piece that cannot open a cell: it goes on with the sentence before it
/// (`(初审、复审)`, `,确保…`), cut there by a space or by a reader.
fn fragment(text: &str) -> bool {
    text.starts_with([
        '(', '（', ',', '，', ';', '；', '、', '。', ')', '）', '“', '"',
    ])
}

fn kind_of_role(r: Role) -> Kind {
    match r {
        Role::Measure => Kind::Measure,
        _ => Kind::Risk,
    }
}

/// Does a column right of `c` take this kind?
fn fits_further(k: Kind, roles: &[Role], c: usize) -> bool {
    roles[c + 1..].iter().any(|r| fits(k, *r))
}

/// How badly a reading fits: tokens against their column's content, tokens
/// left out, rows without risk items (when there is a risk column).
fn cost(reading: &[Option<(usize, usize)>], kinds: &[Kind], roles: &[Role]) -> usize {
    let mut cost = 0;
    let mut rows: Vec<(usize, bool)> = Vec::new();
    // Pieces after the table's last cell are not the table's.
    let end = reading
        .iter()
        .rposition(Option::is_some)
        .map_or(0, |e| e + 1);
    for (a, k) in reading[..end].iter().zip(kinds) {
        match a {
            Some((r, c)) => {
                if !fits(*k, roles[*c]) {
                    cost += 1;
                }
                match rows.iter_mut().find(|x| x.0 == *r) {
                    Some(x) => x.1 |= roles[*c] == Role::Risk,
                    None => rows.push((*r, roles[*c] == Role::Risk)),
                }
            }
            None => cost += 1,
        }
    }
    if roles.contains(&Role::Risk) {
        cost += 2 * rows.iter().filter(|x| !x.1).count();
    }
    cost
}

/// Rows at the end with neither risks nor measures are not the table's: the
/// text after it (a heading, a paragraph) stays text.
fn trim_tail(reading: &mut [Option<(usize, usize)>], roles: &[Role]) {
    let content = |c: usize| matches!(roles[c], Role::Risk | Role::Measure);
    let last_row = reading
        .iter()
        .flatten()
        .filter(|(_, c)| content(*c))
        .map(|(r, _)| *r)
        .max();
    for a in reading.iter_mut() {
        if let Some((r, _)) = a
            && last_row.is_none_or(|l| *r > l)
        {
            *a = None;
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn build(
    seg: &[&Block],
    pieces: &[Piece],
    start: usize,
    header: &[(String, Role)],
    tokens: &[Piece],
    reading: &[Option<(usize, usize)>],
    spaced: bool,
    stop: Option<(usize, usize)>,
) -> Vec<Block> {
    let first = &pieces[start];
    let mut out: Vec<Block> = Vec::new();
    let para = |text: String, like: &Block| Block {
        text,
        kind: BlockKind::Paragraph,
        rect: None,
        page: like.page,
        origin: like.origin.clone(),
    };
    // Everything before the header stays as it was.
    out.extend(seg.iter().take(first.block).map(|b| (*b).clone()));
    let hb = seg[first.block];
    let before: Vec<&str> = hb
        .text
        .lines()
        .take(first.line)
        .chain(
            pieces
                .iter()
                .take(start)
                .filter(|p| (p.block, p.line) == (first.block, first.line))
                .map(|p| p.text.as_str()),
        )
        .collect();
    if !before.is_empty() {
        out.push(para(before.join(" "), hb));
    }
    let cell = |row: u32, col: u32, text: String, like: &Block| Block {
        text,
        kind: BlockKind::Cell {
            table: TEXT_TABLE,
            row,
            col,
            row_span: 1,
            col_span: 1,
        },
        rect: None,
        page: like.page,
        origin: like.origin.clone(),
    };
    for (c, (text, _)) in header.iter().enumerate() {
        out.push(cell(0, c as u32, text.clone(), hb));
    }
    // Cells in row-major order, each the tokens dealt to it.
    let mut slots: Vec<((usize, usize), String, usize)> = Vec::new();
    let mut loose: Vec<&Piece> = Vec::new();
    for (t, a) in tokens.iter().zip(reading) {
        match a {
            Some(pos) => match slots.iter_mut().find(|s| s.0 == *pos) {
                Some(s) => {
                    let numbered = split_marker(&t.text).n.is_some();
                    if !fragment(&t.text) {
                        s.1.push(if spaced && !numbered { ' ' } else { '\n' });
                    }
                    s.1.push_str(&t.text);
                }
                None => slots.push((*pos, t.text.clone(), t.block)),
            },
            None => loose.push(t),
        }
    }
    slots.sort_by_key(|s| s.0);
    for ((r, c), text, block) in slots {
        out.push(cell(r as u32 + 1, c as u32, text, seg[block]));
    }
    // Pieces no cell took, one paragraph per line they came from.
    let mut runs: Vec<(usize, usize, String)> = Vec::new();
    for t in loose {
        match runs.last_mut() {
            Some(r) if (r.0, r.1) == (t.block, t.line) => {
                r.2.push(' ');
                r.2.push_str(&t.text);
            }
            _ => runs.push((t.block, t.line, t.text.clone())),
        }
    }
    for (b, _, text) in runs {
        out.push(para(text, seg[b]));
    }
    // Lines after the table, from the title that ended it, as they were;
    // blocks that are not text lines (pictures) are kept too.
    let resume = stop.map_or(seg.len(), |(sb, _)| sb);
    out.extend(
        seg.iter()
            .enumerate()
            .skip(first.block + 1)
            .filter(|(i, b)| *i >= resume || b.kind != BlockKind::Paragraph)
            .map(|(i, b)| match stop {
                Some((sb, sl)) if i == sb => {
                    para(b.text.lines().skip(sl).collect::<Vec<_>>().join("\n"), b)
                }
                _ => (*b).clone(),
            }),
    );
    out
}

#[cfg(test)]
mod tests {
    use crate::document::{Block, BlockKind, Document};
    use crate::layout::ChartDraft;
    use crate::rules::Rules;

    fn para(text: &str, n: usize) -> Block {
        Block {
            text: text.into(),
            kind: BlockKind::Paragraph,
            rect: None,
            page: 0,
            origin: format!("line {n}"),
        }
    }

    fn charts(lines: &[&str]) -> Vec<ChartDraft> {
        let doc = Document {
            blocks: lines
                .iter()
                .enumerate()
                .map(|(i, l)| para(l, i + 1))
                .collect(),
            ..Default::default()
        };
        crate::layout::charts(&doc, &Rules::builtin())
    }

    fn raws(ls: &[crate::layout::LineDraft]) -> Vec<&str> {
        ls.iter().map(|l| l.raw.as_str()).collect()
    }

    /// Several rows inside one long line, cells apart by single spaces, the
    /// 责任人 cells empty, a heading and prose after the table.
    #[test]
    fn rows_inside_one_line_end_at_the_heading_after_them() {
        let line = "岗位名称 风险表现 风险 等级 防控措施 责任人 \
                    出纳岗 1、挪用公款。 2、坐支现金。 一 1、严格执行现金管理制度; 2、定期盘点库存现金。 \
                    会计岗 记账凭证审核不严。 二 1、实行凭证复核制度。 \
                    财务股权力清单 一、资金支付权 1、权力范围:日常经费支付。";
        let cs = charts(&[line]);
        assert_eq!(cs.len(), 2, "{cs:#?}");
        assert_eq!(cs[0].name.as_deref(), Some("出纳岗"));
        assert_eq!(cs[0].name_from.as_deref(), Some("label"));
        assert_eq!(cs[1].name.as_deref(), Some("会计岗"));
        let p = &cs[0].points[0];
        assert_eq!(raws(&p.items), ["1、挪用公款。", "2、坐支现金。"]);
        assert_eq!(
            raws(&p.measures),
            ["1、严格执行现金管理制度;", "2、定期盘点库存现金。"]
        );
        assert_eq!(p.grade.as_ref().map(|g| g.raw.as_str()), Some("一"));
        assert!(p.responsible.is_empty());
        let q = &cs[1].points[0];
        assert_eq!(raws(&q.items), ["记账凭证审核不严。"]);
        assert_eq!(raws(&q.measures), ["1、实行凭证复核制度。"]);
        assert_eq!(q.grade.as_ref().map(|g| g.level.as_str()), Some("medium"));
        // The heading and what follows it are kept as written, not read as rows.
        let unplaced: Vec<&str> = cs[1]
            .notes
            .iter()
            .filter(|n| n.code == "chart.unplaced_text")
            .map(|n| n.evidence.as_str())
            .collect();
        assert_eq!(
            unplaced,
            ["财务股权力清单 一、资金支付权 1、权力范围:日常经费支付。"]
        );
    }

    /// A sentence cut at a space around a bracketed note stays one measure.
    #[test]
    fn fragments_go_on_with_their_cell() {
        let cs = charts(&[
            "岗位名称 风险表现 风险等级 防控措施 责任人",
            "档案岗 档案查阅不登记。 二 1、实行查阅三审制 (初审、复审) ,确保不失密。 2、定期核对档案。 室主任",
        ]);
        assert_eq!(cs.len(), 1, "{cs:#?}");
        let p = &cs[0].points[0];
        assert_eq!(
            raws(&p.measures),
            [
                "1、实行查阅三审制(初审、复审),确保不失密。",
                "2、定期核对档案。"
            ]
        );
        assert_eq!(p.responsible, ["室主任"]);
    }

    /// The three column heads of a flow chart in stream order, each split
    /// over two lines, are not a table header.
    #[test]
    fn flow_column_heads_are_not_a_table() {
        let cs = charts(&[
            "权力运行廉政风险防控图",
            "职权名称：档案查阅",
            "防控措施",
            "及责任人",
            "工作流程",
            "风险点等级",
            "及表现形式",
            "受    理",
            "1.故意刁难申请人。",
            "风险等级：中",
            "1.实行一次性告知。",
            "责任人：受理人",
        ]);
        assert!(cs.iter().all(|c| c.layout != "table"), "{cs:#?}");
    }

    /// A flattened table whose risk cell runs over two lines and whose rows
    /// are confirmed by 序号.
    #[test]
    fn flattened_cells_are_dealt_into_columns() {
        let cs = charts(&[
            "序号",
            "单位",
            "风险点",
            "风险等级",
            "防控措施",
            "1",
            "办公室",
            "1.擅自动用公章。",
            "2.违规出具证明。",
            "高",
            "严格用印登记。",
            "2",
            "人事科",
            "未按规定程序调配人员。",
            "中",
            "实行调配集体研究。",
        ]);
        assert_eq!(cs.len(), 2, "{cs:#?}");
        assert_eq!(cs[0].name.as_deref(), Some("办公室"));
        assert_eq!(
            raws(&cs[0].points[0].items),
            ["1.擅自动用公章。", "2.违规出具证明。"]
        );
        assert_eq!(raws(&cs[1].points[0].measures), ["实行调配集体研究。"]);
    }
}
