//! Splitting a document's blocks into charts. A chart starts at a page (or
//! sheet) break, a title line (…流程图, …防控图, 权力运行…, …一览表), or a
//! second name line (职权名称：…); a department line just before a title
//! goes with that title.

use crate::document::{Block, BlockKind};
use crate::recognise::fields::{is_department, is_title, name_line};
use crate::rules::Rules;

/// First non-blank line of a block.
pub fn first_line(b: &Block) -> &str {
    b.text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("")
}

fn is_heading_block(b: &Block) -> bool {
    matches!(
        b.kind,
        BlockKind::Paragraph | BlockKind::TextBox | BlockKind::Shape
    )
}

pub fn segments<'a>(blocks: &[&'a Block], rules: &Rules) -> Vec<Vec<&'a Block>> {
    let mut segs: Vec<Vec<&'a Block>> = Vec::new();
    let mut cur: Vec<&'a Block> = Vec::new();
    let (mut has_title, mut has_name, mut has_content) = (false, false, false);
    let mut page = blocks.first().map_or(0, |b| b.page);
    for &b in blocks {
        let line = first_line(b);
        let title = is_heading_block(b) && is_title(line, rules);
        let name = is_heading_block(b) && name_line(line, rules).is_some();
        let text = !b.text.trim().is_empty() || b.kind == BlockKind::Image;
        // Asked only where it decides something (below).
        let dept = || is_heading_block(b) && is_department(line, rules);
        // A table that runs across a page break stays one chart (its header
        // is on the first page).
        let same_table = match (&b.kind, cur.last().map(|l| &l.kind)) {
            (BlockKind::Cell { table: a, .. }, Some(BlockKind::Cell { table: c, .. })) => a == c,
            _ => false,
        };
        let new_page = b.page != page && !same_table && (has_title || has_name || has_content);
        let new_title = title && (has_title || has_name || has_content);
        let new_name = name && has_name;
        if !cur.is_empty() && (new_page || new_title || new_name) {
            // A department line just before the title belongs to the new chart.
            let mut carry = Vec::new();
            if title && !new_page {
                let dept_last = cur
                    .last()
                    .is_some_and(|l| is_heading_block(l) && is_department(first_line(l), rules));
                if dept_last {
                    carry.extend(cur.pop());
                }
            }
            segs.push(std::mem::take(&mut cur));
            cur = carry;
            has_title = false;
            has_name = false;
            has_content = false;
        }
        if title {
            has_title = true;
        } else if name {
            has_name = true;
        } else if text && !dept() {
            has_content = true;
        }
        page = b.page;
        cur.push(b);
    }
    if !cur.is_empty() {
        segs.push(cur);
    }
    segs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str, page: u32) -> Block {
        Block {
            text: text.into(),
            kind: BlockKind::Paragraph,
            rect: None,
            page,
            origin: String::new(),
        }
    }

    #[test]
    fn splits_at_titles_pages_and_names() {
        let r = Rules::builtin();
        let blocks = vec![
            p("长治高新区组织和人力资源部", 0),
            p("权力运行廉政风险防控图<行政裁决类1>", 0),
            p("职权名称：调解仲裁", 0),
            p("受    理", 0),
            p("长治高新区组织和人力资源部", 0),
            p("权力运行廉政风险防控图<行政给付类2>", 0),
            p("职权名称：养老金", 0),
            p("申请", 0),
            p("职权名称：工伤", 0),
            p("申请", 0),
            p("受理", 1),
            p("[image: ]长治高新区组织和人力资源部", 1),
            p("权力运行廉政风险防控图<行政确认类3>", 1),
        ];
        let refs: Vec<&Block> = blocks.iter().collect();
        let segs = segments(&refs, &r);
        let texts: Vec<Vec<&str>> = segs
            .iter()
            .map(|s| s.iter().map(|b| b.text.as_str()).collect())
            .collect();
        assert_eq!(
            texts,
            vec![
                vec![
                    "长治高新区组织和人力资源部",
                    "权力运行廉政风险防控图<行政裁决类1>",
                    "职权名称：调解仲裁",
                    "受    理"
                ],
                vec![
                    "长治高新区组织和人力资源部",
                    "权力运行廉政风险防控图<行政给付类2>",
                    "职权名称：养老金",
                    "申请"
                ],
                vec!["职权名称：工伤", "申请"],
                vec!["受理"],
                // A department line after a picture mark still goes with its title.
                vec![
                    "[image: ]长治高新区组织和人力资源部",
                    "权力运行廉政风险防控图<行政确认类3>"
                ],
            ]
        );
    }
}
