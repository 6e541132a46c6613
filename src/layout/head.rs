//! The chart's head, common to every layout: department, title, category,
//! name, overall time limit, contact telephones. What it takes is marked
//! consumed; the rest is left to the layout.

use super::draft::ChartDraft;
use crate::document::{Block, BlockKind};
use crate::recognise::fields::{
    self, category, contact_label, contacts_inline, is_department, is_noise, is_title, name_line,
    phone, time_limit_line,
};
use crate::rules::Rules;

/// Per block, per line: was the line taken (by the head, or as noise)?
pub type Taken = Vec<Vec<bool>>;

pub fn lines(b: &Block) -> Vec<&str> {
    b.text.lines().collect()
}

/// The non-blank lines of block `i` of the segment that the head did not
/// take, as written: what is left for the layout.
pub fn untaken<'a>(b: &'a Block, taken: &Taken, i: usize) -> Vec<&'a str> {
    lines(b)
        .into_iter()
        .zip(taken.get(i).map(Vec::as_slice).unwrap_or(&[]))
        .filter(|(l, t)| !**t && !l.trim().is_empty())
        .map(|(l, _)| l)
        .collect()
}

/// Read the head into `draft`; returns which lines were taken.
pub fn read(seg: &[&Block], rules: &Rules, draft: &mut ChartDraft) -> Taken {
    let mut taken: Taken = seg.iter().map(|b| vec![false; lines(b).len()]).collect();
    // The previous non-blank heading line, for the department-before-title rule.
    let mut prev: Option<(usize, usize)> = None;
    // The last non-blank line was the name line.
    let mut continued = false;
    for (bi, b) in seg.iter().enumerate() {
        let heading = matches!(
            b.kind,
            BlockKind::Paragraph | BlockKind::TextBox | BlockKind::Shape
        );
        for (li, line) in lines(b).iter().enumerate() {
            let s = line.trim();
            if s.is_empty() {
                continue;
            }
            let mut named = false;
            // A sheet's title is a cell (often merged across the drawing).
            let cell = matches!(b.kind, BlockKind::Cell { .. });
            if (heading || cell) && draft.title.is_none() && is_title(s, rules) {
                draft.title = Some(s.to_string());
                let (cat, raw, code) = category(s, rules);
                draft.category = cat;
                draft.category_raw = raw;
                // `…风险流程图(10)`: the chart's number in its series.
                draft.code = code.or_else(|| fields::title_number(s));
                draft.place(s);
                taken[bi][li] = true;
                if let Some((pb, pl)) = prev {
                    let p = lines(seg[pb])[pl].trim();
                    if draft.department.is_none() && is_department(p, rules) {
                        draft.department = Some(fields::without_image_marks(p).trim().to_string());
                        draft.place(p);
                        taken[pb][pl] = true;
                    }
                }
            } else if let Some(name) = draft.name.is_none().then(|| name_line(s, rules)).flatten() {
                if draft.department.is_none() {
                    draft.department = fields::labelled_department(s, rules);
                }
                draft.name = Some(name);
                draft.name_from = Some("label".into());
                draft.name_raw = Some(s.to_string());
                draft.place(s);
                taken[bi][li] = true;
                named = true;
            } else if let Some(dep) = draft
                .department
                .is_none()
                .then(|| fields::labelled_department(s, rules))
                .flatten()
            {
                // `部门：营销部` on a line of its own.
                draft.department = Some(dep);
                draft.place(s);
                taken[bi][li] = true;
            } else if let Some(rest) = continued
                .then(|| fields::name_continuation(s, rules))
                .flatten()
            {
                // The name's second line, glued to the column header after it.
                if let Some(name) = draft.name.as_mut() {
                    name.push_str(&rest);
                }
                draft.place(s);
                taken[bi][li] = true;
            } else if let Some(limit) = draft
                .time_limit
                .is_none()
                .then(|| time_limit_line(s, rules))
                .flatten()
            {
                draft.time_limit = Some(limit);
                draft.place(s);
                taken[bi][li] = true;
            } else if b.kind == BlockKind::Paragraph && is_noise(s, rules) {
                // Page furniture outside any box: counted as read, never placed.
                taken[bi][li] = true;
            }
            continued = named;
            if heading {
                prev = Some((bi, li));
            }
        }
    }
    contacts(seg, rules, draft, &mut taken);
    taken
}

/// Contact telephones: a label cell with the number in the next cell of the
/// row, or `服务电话：8583591` written inline.
fn contacts(seg: &[&Block], rules: &Rules, draft: &mut ChartDraft, taken: &mut Taken) {
    for (bi, b) in seg.iter().enumerate() {
        if taken[bi].iter().all(|t| *t) {
            continue;
        }
        let Some(kind) = contact_label(&b.text, rules) else {
            continue;
        };
        let inline = contacts_inline(&b.text, rules);
        if !inline.is_empty() {
            draft.contacts.extend(inline);
            draft.place(&b.text);
            taken[bi].iter_mut().for_each(|t| *t = true);
            continue;
        }
        // The label alone: the number is in the next cell of the same row,
        // or alone on the next line (a contact row flattened into text).
        let number = match b.kind {
            BlockKind::Cell {
                table,
                row,
                col,
                col_span,
                ..
            } => seg
                .iter()
                .enumerate()
                .find(|(_, n)| {
                    matches!(n.kind, BlockKind::Cell { table: t, row: r, col: c, .. }
                        if t == table && r == row && c == col + col_span)
                })
                .filter(|(_, n)| contact_label(&n.text, rules).is_none())
                .and_then(|(ni, n)| phone(&n.text).map(|number| (ni, number))),
            _ => seg
                .iter()
                .enumerate()
                .skip(bi + 1)
                .find(|(_, n)| !n.text.trim().is_empty())
                .filter(|(ni, n)| {
                    !matches!(n.kind, BlockKind::Cell { .. })
                        && taken[*ni].iter().all(|t| !*t)
                        && phone(&n.text).is_some_and(|num| num == n.text.trim())
                })
                .map(|(ni, n)| (ni, n.text.trim().to_string())),
        };
        if let Some((ni, number)) = number {
            draft.contacts.push(crate::catalog::Contact {
                kind: kind.clone(),
                number,
            });
            draft.place(&b.text);
            draft.place(&seg[ni].text);
            taken[ni].iter_mut().for_each(|t| *t = true);
        }
        // A label without a number is furniture.
        taken[bi].iter_mut().for_each(|t| *t = true);
    }
}
