//! The `table` layout: 一览表-style tables (Word tables, Excel sheets, HTML
//! tables alike, all arriving as `Cell` blocks).
//!
//! A header row names the columns by the synonyms of `rules/tables.toml`
//! (also a header over two rows, and a title in a merged row above it).
//! Merged cells fill every row they cover; a 流程 / 关键环节 / 岗位 value
//! written only in the first row of a visually merged run fills down. One
//! chart per 流程 group (its 关键环节 become steps), or one chart per 岗位 /
//! 职权 row with no steps; each data row is a risk point.

mod content;
mod flat;
mod grid;
mod header;
mod items;
mod shapes;

pub use content::{reads_as_measure, reads_as_risk};
pub use header::{Role, role_of};
pub use items::{
    cell_grade, responsible_names, split_items, split_run_together, strip_star_prefix,
};
pub use shapes::{ColumnWords, HeaderRules, LayoutRules, ListRules, ProseRules, layout_rules};

use super::draft::{ChartDraft, LineDraft, PointDraft};
use super::head;
use crate::catalog::Severity;
use crate::document::{Block, BlockKind};
use crate::recognise::fields::{self, compact, squeeze_cjk};
use crate::recognise::grades::grade_line;
use crate::rules::Rules;
use grid::{Grid, cell_pos, grids};
use header::{Header, distinct_roles, find_header};

/// One role's text in one data row, with the blocks it came from.
#[derive(Debug, Clone, Default)]
struct Val {
    text: String,
    blocks: Vec<usize>,
    /// Filled down from the row above (not written in this row).
    inherited: bool,
}

/// A data row: per role, its value.
struct Row {
    values: Vec<(Role, Val)>,
    /// Stream position of the row's first block.
    order: usize,
    origin: String,
}

impl Row {
    fn get(&self, role: Role) -> Option<&Val> {
        self.values
            .iter()
            .find(|(r, v)| *r == role && !v.text.trim().is_empty())
            .map(|(_, v)| v)
    }
}

/// Roles whose value, written once, covers the rows below it until the next value.
const FILL_DOWN: [Role; 8] = [
    Role::Process,
    Role::Step,
    Role::Object,
    Role::Post,
    Role::Power,
    Role::Unit,
    Role::Topic,
    Role::Category,
];

/// Everything a table segment yields before charts are cut.
struct Parsed {
    rows: Vec<Row>,
    /// (stream position, origin, text) of what fits no field.
    loose: Vec<(usize, String, String)>,
    /// A title found in a merged row of a table.
    title: Option<(usize, String)>,
    /// Blocks taken as header, title, data or loose text (not for the head).
    used: Vec<bool>,
    roles: Vec<Role>,
}

impl Parsed {
    fn use_block(&mut self, b: usize) {
        if let Some(u) = self.used.get_mut(b) {
            *u = true;
        }
    }
    fn keep_loose(&mut self, b: usize, seg: &[&Block]) {
        if !self.used.get(b).copied().unwrap_or(true) {
            self.use_block(b);
            self.loose
                .push((b, seg[b].origin.clone(), seg[b].text.clone()));
        }
    }
}

fn parse_tables(seg: &[&Block], lr: &LayoutRules, rules: &Rules) -> Option<Parsed> {
    let gs = grids(seg);
    let headers: Vec<Option<Header>> = gs.iter().map(|g| find_header(g, seg, lr)).collect();
    // A table without a header row is read by its content, unless it
    // continues the table before it (same columns).
    let by_content: Vec<Option<Header>> = gs
        .iter()
        .zip(&headers)
        .map(|(g, h)| match h {
            Some(_) => None,
            None => header_by_content(g, seg, lr, rules),
        })
        .collect();
    if headers.iter().all(Option::is_none) && by_content.iter().all(Option::is_none) {
        return None;
    }
    let mut p = Parsed {
        rows: Vec::new(),
        loose: Vec::new(),
        title: None,
        used: vec![false; seg.len()],
        roles: Vec::new(),
    };
    // The last table with a header: a headerless table with as many columns
    // continues it.
    let mut last: Option<(usize, Vec<Option<Role>>, Vec<String>)> = None;
    for ((g, h), by_content) in gs.iter().zip(headers).zip(by_content) {
        for &b in &g.outside {
            p.keep_loose(b, seg);
        }
        let (start, roles, texts) = match h {
            Some(h) => {
                pre_header(g, seg, h.row, &mut p, rules);
                for r in h.row..h.end {
                    for b in g.row_blocks(r) {
                        p.use_block(b);
                    }
                }
                last = Some((g.cols, h.roles.clone(), h.texts.clone()));
                (h.end, h.roles, h.texts)
            }
            None => match (&last, by_content) {
                (Some((cols, roles, texts)), _) if *cols == g.cols => {
                    (0, roles.clone(), texts.clone())
                }
                (_, Some(h)) => {
                    last = Some((g.cols, h.roles.clone(), h.texts.clone()));
                    (0, h.roles, h.texts)
                }
                _ => {
                    for r in 0..g.rows {
                        for b in g.row_blocks(r) {
                            p.keep_loose(b, seg);
                        }
                    }
                    continue;
                }
            },
        };
        for r in distinct_roles(&roles) {
            if !p.roles.contains(&r) {
                p.roles.push(r);
            }
        }
        data_rows(g, seg, start, &roles, &texts, &mut p);
    }
    Some(p)
}

/// The columns of a table with no header row, told by what their cells say
/// (`content::roles_by_content`); every row is data.
fn header_by_content(g: &Grid, seg: &[&Block], lr: &LayoutRules, rules: &Rules) -> Option<Header> {
    if g.rows < 2 || g.cols < 3 {
        return None;
    }
    let columns: Vec<Vec<String>> = (0..g.cols)
        .map(|c| {
            (0..g.rows)
                .filter_map(|r| g.get(r, c))
                .filter(|&b| cell_pos(seg[b]).is_some_and(|p| p.2 == c))
                .map(|b| seg[b].text.clone())
                .collect()
        })
        .collect();
    let roles = content::roles_by_content(&columns, lr, rules)?;
    Some(Header {
        row: 0,
        end: 0,
        roles,
        texts: Vec::new(),
    })
}

/// Rows above the header: the first title-like (or full-width) cell is the
/// title; the rest is left for the head reader or kept as unplaced.
fn pre_header(g: &Grid, seg: &[&Block], header_row: usize, p: &mut Parsed, rules: &Rules) {
    for r in 0..header_row {
        for b in g.row_blocks(r) {
            if cell_pos(seg[b]).is_none_or(|x| x.1 != r) {
                continue;
            }
            let text = seg[b].text.trim();
            if text.is_empty() {
                continue;
            }
            let full_width = (0..g.cols).all(|c| g.get(r, c) == Some(b));
            let line = squeeze_cjk(&text.replace('\n', ""));
            let titled = full_width || fields::is_title(&line, rules);
            if p.title.is_none() && titled && line.chars().count() <= rules.title_max_chars {
                p.title = Some((b, line));
                p.use_block(b);
            }
        }
    }
}

fn data_rows(
    g: &Grid,
    seg: &[&Block],
    start: usize,
    roles: &[Option<Role>],
    header: &[String],
    p: &mut Parsed,
) {
    let mut above: Vec<(Role, Val)> = Vec::new();
    for r in start..g.rows {
        let blocks = g.row_blocks(r);
        if blocks.iter().all(|&b| seg[b].text.trim().is_empty()) {
            continue;
        }
        // A header repeated after a page break is furniture.
        let repeated = (0..g.cols).all(|c| {
            g.get(r, c)
                .map(|b| compact(&seg[b].text))
                .unwrap_or_default()
                == header.get(c).cloned().unwrap_or_default()
        });
        if repeated {
            for b in blocks {
                p.use_block(b);
            }
            continue;
        }
        // One cell across the whole row: a section line inside the table.
        if blocks.len() == 1 && g.cols > 1 {
            p.keep_loose(blocks[0], seg);
            continue;
        }
        let mut values: Vec<(Role, Val)> = Vec::new();
        for (c, role) in roles.iter().enumerate() {
            let Some(role) = role else { continue };
            let Some(b) = g.get(r, c) else { continue };
            let v = match values.iter_mut().find(|(x, _)| x == role) {
                Some((_, v)) => v,
                None => {
                    values.push((*role, Val::default()));
                    let last = values.len() - 1;
                    &mut values[last].1
                }
            };
            if !v.blocks.contains(&b) {
                if let Some(u) = p.used.get_mut(b) {
                    *u = true;
                }
                if !v.text.is_empty() && !seg[b].text.trim().is_empty() {
                    v.text.push('\n');
                }
                v.text.push_str(seg[b].text.trim());
                v.blocks.push(b);
            }
        }
        // Cells in columns no header names are kept, not lost.
        for (c, role) in roles.iter().enumerate() {
            if role.is_none()
                && let Some(b) = g.get(r, c)
            {
                p.keep_loose(b, seg);
            }
        }
        for role in FILL_DOWN {
            let empty = values
                .iter()
                .all(|(x, v)| *x != role || v.text.trim().is_empty());
            if empty && let Some((_, v)) = above.iter().find(|(x, _)| *x == role) {
                let mut v = v.clone();
                v.inherited = true;
                values.retain(|(x, _)| *x != role);
                values.push((role, v));
            }
        }
        above = values
            .iter()
            .filter(|(x, v)| FILL_DOWN.contains(x) && !v.text.trim().is_empty())
            .cloned()
            .collect();
        let first = blocks.first().copied().unwrap_or(0);
        p.rows.push(Row {
            values,
            order: first,
            origin: seg[first].origin.clone(),
        });
    }
}

/// The key that starts a new chart when it changes: the 流程 value, else the
/// 岗位 / 职权 value, else nothing (one chart).
fn group_role(roles: &[Role]) -> Option<Role> {
    [Role::Process, Role::Post, Role::Power, Role::Unit]
        .into_iter()
        .find(|r| roles.contains(r))
}

pub fn read(seg: &[&Block], rules: &Rules) -> Option<Vec<ChartDraft>> {
    let lr = layout_rules(rules)?;
    if let Some(parsed) = parse_tables(seg, lr, rules) {
        return Some(read_parsed(seg, parsed, rules));
    }
    // A table written as text lines: made into cells, then read the same way.
    let blocks = flat::cells(seg, lr, rules)?;
    let refs: Vec<&Block> = blocks.iter().collect();
    let parsed = parse_tables(&refs, lr, rules)?;
    Some(read_parsed(&refs, parsed, rules))
}

fn read_parsed(seg: &[&Block], parsed: Parsed, rules: &Rules) -> Vec<ChartDraft> {
    // The head: paragraphs and boxes, and table cells above the header
    // (header and data cells would be mistaken for `岗位名称` name lines).
    let head_idx: Vec<usize> = (0..seg.len()).filter(|&i| !parsed.used[i]).collect();
    let head_blocks: Vec<&Block> = head_idx.iter().map(|&i| seg[i]).collect();
    let mut h = ChartDraft {
        layout: "table".into(),
        ..Default::default()
    };
    let taken = head::read(&head_blocks, rules, &mut h);
    if h.title.is_none() {
        if let Some((_, t)) = &parsed.title {
            h.title = Some(t.clone());
            let (cat, raw, code) = fields::category(t, rules);
            h.category = cat;
            h.category_raw = raw;
            h.code = code;
            h.place(t);
        }
    } else if let Some((b, t)) = &parsed.title {
        // A second title inside the table: kept, not lost.
        h.place(t);
        h.note(
            "chart.unplaced_text",
            Severity::Warning,
            &seg[*b].origin,
            "表格上方的标题行与文档标题不同，已原样保留。",
            t.clone(),
        );
    }
    // What the head did not take.
    let mut loose = parsed.loose.clone();
    for (k, &i) in head_idx.iter().enumerate() {
        let b = seg[i];
        if b.kind == BlockKind::Image {
            continue;
        }
        let rest = head::untaken(b, &taken, k);
        if !rest.is_empty() {
            loose.push((i, b.origin.clone(), rest.join("\n")));
        }
    }
    loose.sort_by_key(|l| l.0);

    let mut charts = build_charts(seg, &parsed, &h, rules);
    if charts.is_empty() {
        let mut d = h.clone();
        d.location = seg.first().map(|b| b.origin.clone()).unwrap_or_default();
        charts.push((0, d));
    } else if let Some((_, first)) = charts.first_mut() {
        // The head's characters are counted once, on the first chart.
        first.chars_placed += h.chars_placed;
        first.notes.splice(0..0, h.notes.iter().cloned());
    }
    for (order, origin, text) in loose {
        let k = charts.iter().rposition(|(o, _)| *o <= order).unwrap_or(0);
        if let Some((_, d)) = charts.get_mut(k) {
            d.unplaced(
                &origin,
                &text,
                "表格中的这段文字无法归入任何栏目，已原样保留。",
            );
        }
    }
    charts.into_iter().map(|(_, d)| d).collect()
}

fn val_line(v: &Val) -> String {
    squeeze_cjk(&v.text.replace('\n', ""))
}

/// Cut the rows into charts and read each row into a risk point.
fn build_charts(
    seg: &[&Block],
    p: &Parsed,
    h: &ChartDraft,
    rules: &Rules,
) -> Vec<(usize, ChartDraft)> {
    let key_role = group_role(&p.roles);
    let mut placed = vec![false; seg.len()];
    let mut charts: Vec<(usize, ChartDraft)> = Vec::new();
    let mut prev_key: Option<String> = None;
    let mut prev_step: Option<String> = None;
    for row in &p.rows {
        let key = key_role.and_then(|r| row.get(r)).map(val_line);
        let new_chart = charts.is_empty() || (key_role.is_some() && key != prev_key);
        if new_chart {
            let mut d = ChartDraft {
                layout: "table".into(),
                location: row.origin.clone(),
                title: h.title.clone(),
                department: h.department.clone(),
                category: h.category.clone(),
                category_raw: h.category_raw.clone(),
                code: h.code.clone(),
                name: h.name.clone(),
                name_raw: h.name_raw.clone(),
                name_from: h.name_from.clone(),
                time_limit: h.time_limit.clone(),
                contacts: h.contacts.clone(),
                ..Default::default()
            };
            if let Some(v) = key_role.and_then(|r| row.get(r)) {
                d.name = Some(val_line(v));
                d.name_raw = Some(v.text.clone());
                d.name_from = Some("label".into());
                place_blocks(&mut d, seg, &v.blocks, &mut placed);
            }
            charts.push((row.order, d));
            prev_step = None;
        }
        prev_key = key;
        let Some((_, d)) = charts.last_mut() else {
            continue;
        };

        // The step of this row.
        let mut step = None;
        {
            if let Some(v) = row.get(Role::Step) {
                let line = v.text.replace('\n', " ");
                let same = prev_step.as_deref() == Some(line.as_str());
                if !same || d.steps.is_empty() {
                    let mut s = fields::step(&line, rules);
                    s.raw = v.text.clone();
                    s.seq = d.steps.len() + 1;
                    d.steps.push(s);
                    d.step_origins.push(
                        v.blocks
                            .first()
                            .map(|&b| seg[b].origin.clone())
                            .unwrap_or_default(),
                    );
                    place_blocks(d, seg, &v.blocks, &mut placed);
                }
                prev_step = Some(line);
                step = Some(d.steps.len() - 1);
            }
        }
        if let Some(v) = row.get(Role::Object) {
            match step.and_then(|s| d.steps.get_mut(s)) {
                Some(s) if s.actor.is_none() => {
                    s.actor = Some(val_line(v));
                    place_blocks(d, seg, &v.blocks, &mut placed);
                }
                Some(_) => place_blocks(d, seg, &v.blocks, &mut placed),
                None if !v.inherited => {
                    for &b in &v.blocks {
                        if !placed[b] {
                            placed[b] = true;
                            d.unplaced(
                                &seg[b].origin,
                                &seg[b].text,
                                "“涉及对象”没有可归属的流程环节，已原样保留。",
                            );
                        }
                    }
                }
                None => {}
            }
        }
        if let Some(v) = row.get(Role::Time) {
            let limit = fields::time_limit(&v.text).unwrap_or_else(|| val_line(v));
            match step.and_then(|s| d.steps.get_mut(s)) {
                Some(s) if s.time_limit.is_none() => s.time_limit = Some(limit),
                Some(_) => {}
                None if d.time_limit.is_none() => d.time_limit = Some(limit),
                None => {}
            }
            place_blocks(d, seg, &v.blocks, &mut placed);
        }
        if key_role != Some(Role::Process) {
            // A 职权 column beside a 岗位 key (or the reverse) has no field of its own.
            for r in [Role::Process, Role::Post, Role::Power] {
                if Some(r) == key_role {
                    continue;
                }
                if let Some(v) = row.get(r) {
                    for &b in &v.blocks {
                        if !placed[b] {
                            placed[b] = true;
                            d.unplaced(
                                &seg[b].origin,
                                &seg[b].text,
                                "表格中的这一栏没有对应的字段，已原样保留。",
                            );
                        }
                    }
                }
            }
        } else if let Some(v) = row.get(Role::Post).or(row.get(Role::Power)) {
            for &b in &v.blocks {
                if !placed[b] {
                    placed[b] = true;
                    d.unplaced(
                        &seg[b].origin,
                        &seg[b].text,
                        "表格中的这一栏没有对应的字段，已原样保留。",
                    );
                }
            }
        }
        // 单位/科室 beside another key: the chart's department.
        if key_role != Some(Role::Unit)
            && let Some(v) = row.get(Role::Unit)
        {
            if d.department.is_none() {
                d.department = Some(val_line(v));
            }
            place_blocks(d, seg, &v.blocks, &mut placed);
        }
        // 序号 is the row's number: read, nothing to keep.
        if let Some(v) = row.get(Role::Seq) {
            place_blocks(d, seg, &v.blocks, &mut placed);
        }
        let first = d.points.len();
        row_points(d, seg, row, step, &mut placed, rules);
        // The risk point's label: its topic (风险点 公车管理 beside 风险表现),
        // else its 风险类别; the catalog has no other field for either.
        if let Some(v) = row.get(Role::Topic).or(row.get(Role::Category)) {
            let label = val_line(v);
            for p in &mut d.points[first..] {
                if p.label.is_none() {
                    p.label = Some(label.clone());
                }
            }
            place_blocks(d, seg, &v.blocks, &mut placed);
        }
        if let Some(v) = row.get(Role::Topic).and(row.get(Role::Category)) {
            for &b in &v.blocks {
                if !placed[b] {
                    placed[b] = true;
                    d.unplaced(
                        &seg[b].origin,
                        &seg[b].text,
                        "风险类别与风险点名称并存，风险类别已原样保留。",
                    );
                }
            }
        }
    }
    charts
}

fn place_blocks(d: &mut ChartDraft, seg: &[&Block], blocks: &[usize], placed: &mut [bool]) {
    for &b in blocks {
        if let Some(p) = placed.get_mut(b)
            && !*p
        {
            *p = true;
            d.place(&seg[b].text);
        }
    }
}

/// The risk point(s) of one data row. Items with their own ★ prefix that
/// differs from the grade so far start a point of their own (same step).
fn row_points(
    d: &mut ChartDraft,
    seg: &[&Block],
    row: &Row,
    step: Option<usize>,
    placed: &mut [bool],
    rules: &Rules,
) {
    let risk = row.get(Role::Risk);
    let measure = row.get(Role::Measure);
    let grade_cell = row.get(Role::Grade);
    if risk.is_none() && measure.is_none() && grade_cell.is_none() {
        return;
    }
    let origin_of = |v: &Val| {
        v.blocks
            .first()
            .map(|&b| seg[b].origin.clone())
            .unwrap_or_default()
    };
    let first_idx = d.points.len();
    let mut cur = PointDraft {
        step,
        origin: risk
            .or(measure)
            .map(origin_of)
            .unwrap_or_else(|| row.origin.clone()),
        ..Default::default()
    };
    let mut own_grade = false;
    if let Some(v) = risk {
        for &b in &v.blocks {
            let origin = seg[b].origin.clone();
            for piece in split_items(&seg[b].text) {
                let (star, rest) = strip_star_prefix(&piece, rules);
                if let Some(g) = star {
                    if own_grade
                        && cur.grade.as_ref().map(|x| &x.level) != Some(&g.level)
                        && !cur.items.is_empty()
                    {
                        let next = PointDraft {
                            step,
                            origin: origin.clone(),
                            ..Default::default()
                        };
                        d.points.push(std::mem::replace(&mut cur, next));
                    }
                    if cur.grade.is_none() {
                        cur.grade = Some(g);
                        own_grade = true;
                    }
                }
                let rest = rest.trim();
                if rest.is_empty() {
                    continue;
                }
                // `…虚列支出。风险等级：高`: the item, then its grade.
                let (rest, trailing) = match crate::recognise::grades::trailing_grade(rest, rules) {
                    Some((gl, at)) if grade_line(rest, rules).is_none() => {
                        if cur.grade.is_none() && gl.grade.is_some() {
                            cur.grade = gl.grade;
                            own_grade = true;
                        }
                        (rest[..at].trim(), true)
                    }
                    _ => (rest, false),
                };
                if trailing {
                    cur.items.push(LineDraft::new(rest, &origin));
                    continue;
                }
                if let Some(gl) = grade_line(rest, rules) {
                    match gl.grade {
                        Some(g) if cur.grade.is_none() => {
                            cur.grade = Some(g);
                            own_grade = true;
                        }
                        Some(_) => {}
                        None => {
                            let idx = d.points.len();
                            let n = d.note(
                                "grade.unknown",
                                Severity::Warning,
                                &origin,
                                "风险等级的写法不在已知等级体系中。",
                                rest,
                            );
                            n.point = Some(idx);
                        }
                    }
                } else if let Some(names) = fields::responsible_line(rest, rules) {
                    cur.responsible.extend(names);
                } else {
                    cur.items.push(LineDraft::new(rest, &origin));
                }
            }
        }
        place_blocks(d, seg, &v.blocks, placed);
    }
    d.points.push(cur);
    let last_idx = d.points.len();

    if let Some(v) = grade_cell {
        match cell_grade(&v.text, rules) {
            Some(Ok(g)) => {
                for p in &mut d.points[first_idx..last_idx] {
                    if p.grade.is_none() {
                        p.grade = Some(g.clone());
                    }
                }
            }
            Some(Err(raw)) => {
                let origin = origin_of(v);
                let n = d.note(
                    "grade.unknown",
                    Severity::Warning,
                    &origin,
                    "风险等级的写法不在已知等级体系中。",
                    raw,
                );
                n.point = Some(first_idx);
            }
            None => {}
        }
        place_blocks(d, seg, &v.blocks, placed);
    }
    if let Some(v) = measure {
        for &b in &v.blocks {
            let origin = seg[b].origin.clone();
            for piece in split_items(&seg[b].text) {
                let Some(p) = d.points.get_mut(first_idx) else {
                    break;
                };
                if let Some(names) = fields::responsible_line(&piece, rules) {
                    p.responsible.extend(names);
                } else {
                    p.measures.push(LineDraft::new(&piece, &origin));
                }
            }
        }
        place_blocks(d, seg, &v.blocks, placed);
    }
    if let Some(v) = row.get(Role::Responsible) {
        let names = responsible_names(&v.text, rules);
        for p in &mut d.points[first_idx..last_idx] {
            for n in &names {
                if !p.responsible.contains(n) {
                    p.responsible.push(n.clone());
                }
            }
        }
        place_blocks(d, seg, &v.blocks, placed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Document;

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
            origin: format!("t{table}r{row}c{col}"),
        }
    }

    fn para(text: &str) -> Block {
        Block {
            text: text.into(),
            kind: BlockKind::Paragraph,
            rect: None,
            page: 0,
            origin: format!("p {text}"),
        }
    }

    fn charts(blocks: Vec<Block>) -> Vec<ChartDraft> {
        let doc = Document {
            blocks,
            ..Default::default()
        };
        crate::layout::charts(&doc, &Rules::builtin())
    }

    type Summary = (
        Option<usize>,
        Vec<String>,
        Vec<String>,
        Option<(String, String, String)>,
        Vec<String>,
    );

    fn summary(d: &ChartDraft) -> Vec<Summary> {
        d.points
            .iter()
            .map(|p| {
                (
                    p.step.map(|s| s + 1),
                    p.items.iter().map(|l| l.raw.clone()).collect(),
                    p.measures.iter().map(|l| l.raw.clone()).collect(),
                    p.grade
                        .as_ref()
                        .map(|g| (g.level.clone(), g.scale.clone(), g.raw.clone())),
                    p.responsible.clone(),
                )
            })
            .collect()
    }

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    fn g(level: &str, scale: &str, raw: &str) -> Option<(String, String, String)> {
        Some((level.into(), scale.into(), raw.into()))
    }

    /// A Word 一览表: 流程 merged over rows, ★ grades inside the risk cell.
    fn word_table() -> Vec<Block> {
        vec![
            para("XX局2021年廉政风险点防控措施一览表"),
            cell(0, 0, 0, 1, 1, "流程"),
            cell(0, 0, 1, 1, 1, "关键环节"),
            cell(0, 0, 2, 1, 1, "涉及对象"),
            cell(0, 0, 3, 1, 1, "廉政风险点及等级"),
            cell(0, 0, 4, 1, 1, "防控措施"),
            cell(0, 0, 5, 1, 1, "责任\n主体"),
            cell(0, 1, 0, 3, 1, "协助XX党委加强党风廉政建设"),
            cell(0, 1, 1, 1, 1, "责任分解"),
            cell(0, 1, 2, 1, 1, "XX各处室"),
            cell(0, 1, 3, 1, 1, "★★责任分解不到位"),
            cell(
                0,
                1,
                4,
                1,
                1,
                "1、深刻领会指导精神。2、结合实际贯彻执行。3、定期检查落实情况。",
            ),
            cell(0, 1, 5, 1, 1, "局党组、XX党委"),
            cell(0, 2, 1, 1, 1, "责任督查"),
            cell(0, 2, 2, 1, 1, "基层党建组织"),
            cell(0, 2, 3, 1, 1, "责任督查不认真。"),
            cell(0, 2, 4, 1, 1, "加强监督检查力度。"),
            cell(0, 2, 5, 1, 1, "局XX纪委"),
            cell(0, 3, 1, 1, 1, "责任报告"),
            cell(0, 3, 2, 1, 1, "基层党建组织"),
            cell(0, 3, 3, 1, 1, "★责任报告不真实。"),
            cell(0, 3, 4, 1, 1, "认真把关审阅述职报告。"),
            cell(0, 3, 5, 1, 1, ""),
            cell(0, 4, 0, 2, 1, "来信来访来电受理"),
            cell(0, 4, 1, 1, 1, "审查"),
            cell(0, 4, 2, 1, 1, "局XX纪委工作人员"),
            cell(
                0,
                4,
                3,
                1,
                1,
                "★★★1、当日来信未及时拆封。\n★★2、接待群众来访态度生硬。",
            ),
            cell(0, 4, 4, 1, 1, "严格按程序呈报。"),
            cell(0, 4, 5, 2, 1, "局XX纪委"),
            cell(0, 5, 1, 1, 1, "登记"),
            cell(0, 5, 2, 1, 1, "局XX纪委工作人员"),
            cell(0, 5, 3, 1, 1, "★1、登记不及时。\n1、登记信息错漏。"),
            cell(0, 5, 4, 1, 1, "①专人登记；②当日登记。"),
        ]
    }

    #[test]
    fn word_table_one_chart_per_process_group() {
        let cs = charts(word_table());
        assert_eq!(cs.len(), 2);
        let (a, b) = (&cs[0], &cs[1]);
        assert_eq!(a.layout, "table");
        assert_eq!(
            a.title.as_deref(),
            Some("XX局2021年廉政风险点防控措施一览表")
        );
        assert_eq!(a.name.as_deref(), Some("协助XX党委加强党风廉政建设"));
        assert_eq!(a.location, "t0r1c0");
        let steps: Vec<(&str, Option<&str>)> = a
            .steps
            .iter()
            .map(|s| (s.name.as_str(), s.actor.as_deref()))
            .collect();
        assert_eq!(
            steps,
            vec![
                ("责任分解", Some("XX各处室")),
                ("责任督查", Some("基层党建组织")),
                ("责任报告", Some("基层党建组织"))
            ]
        );
        assert_eq!(
            summary(a),
            vec![
                (
                    Some(1),
                    s(&["责任分解不到位"]),
                    s(&[
                        "1、深刻领会指导精神。",
                        "2、结合实际贯彻执行。",
                        "3、定期检查落实情况。"
                    ]),
                    g("medium", "stars", "★★"),
                    s(&["局党组", "XX党委"])
                ),
                (
                    Some(2),
                    s(&["责任督查不认真。"]),
                    s(&["加强监督检查力度。"]),
                    None,
                    s(&["局XX纪委"])
                ),
                (
                    Some(3),
                    s(&["责任报告不真实。"]),
                    s(&["认真把关审阅述职报告。"]),
                    g("low", "stars", "★"),
                    vec![]
                ),
            ]
        );
        assert_eq!(a.points[0].measures[1].marked.n, Some(2));
        assert_eq!(b.name.as_deref(), Some("来信来访来电受理"));
        assert_eq!(
            b.title.as_deref(),
            Some("XX局2021年廉政风险点防控措施一览表")
        );
        assert_eq!(b.location, "t0r4c0");
        assert_eq!(
            summary(b),
            vec![
                (
                    Some(1),
                    s(&["1、当日来信未及时拆封。"]),
                    s(&["严格按程序呈报。"]),
                    g("high", "stars", "★★★"),
                    s(&["局XX纪委"])
                ),
                (
                    Some(1),
                    s(&["2、接待群众来访态度生硬。"]),
                    vec![],
                    g("medium", "stars", "★★"),
                    s(&["局XX纪委"])
                ),
                (
                    Some(2),
                    s(&["1、登记不及时。", "1、登记信息错漏。"]),
                    s(&["①专人登记；", "②当日登记。"]),
                    g("low", "stars", "★"),
                    s(&["局XX纪委"])
                ),
            ]
        );
        assert_eq!(b.points[2].items[1].origin, "t0r5c3");
        assert!(
            a.notes.is_empty() && b.notes.is_empty(),
            "{:?} {:?}",
            a.notes,
            b.notes
        );
        // Every character is placed except the header row.
        let read: usize = word_table()
            .iter()
            .map(|b| crate::document::count_chars(&b.text))
            .sum();
        let header =
            crate::document::count_chars("流程关键环节涉及对象廉政风险点及等级防控措施责任主体");
        assert_eq!(a.chars_placed + b.chars_placed, read - header);
    }

    #[test]
    fn two_row_header_and_title_in_a_merged_row() {
        let blocks = vec![
            cell(0, 0, 0, 1, 5, "人事科廉政风险点防控一览表"),
            cell(0, 1, 0, 2, 1, "关键环节"),
            cell(0, 1, 1, 1, 2, "廉政风险点"),
            cell(0, 1, 3, 2, 1, "防控措施"),
            cell(0, 1, 4, 2, 1, "责任人"),
            cell(0, 2, 1, 1, 1, "风险表现"),
            cell(0, 2, 2, 1, 1, "风险等级"),
            cell(0, 3, 0, 1, 1, "考察"),
            cell(0, 3, 1, 1, 1, "1.考察走过场\n2.接受宴请"),
            cell(0, 3, 2, 1, 1, "高"),
            cell(0, 3, 3, 1, 1, "1.两人以上考察"),
            cell(0, 3, 4, 1, 1, "科长"),
            cell(0, 4, 0, 1, 1, ""),
            cell(0, 4, 1, 1, 1, "报告不实"),
            cell(0, 4, 2, 1, 1, "较高"),
            cell(0, 4, 3, 1, 1, "如实报告"),
            cell(0, 4, 4, 1, 1, "科长/分管领导"),
            cell(0, 5, 0, 1, 1, "公示"),
            cell(0, 5, 1, 1, 1, "不按规定公示"),
            cell(0, 5, 2, 1, 1, "严重"),
            cell(0, 5, 3, 1, 1, "按时公示"),
            cell(0, 5, 4, 1, 1, "科员"),
        ];
        let cs = charts(blocks);
        assert_eq!(cs.len(), 1);
        let d = &cs[0];
        assert_eq!(d.title.as_deref(), Some("人事科廉政风险点防控一览表"));
        assert_eq!(d.location, "t0r3c0");
        let steps: Vec<&str> = d.steps.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(steps, vec!["考察", "公示"]);
        assert_eq!(
            summary(d),
            vec![
                (
                    Some(1),
                    s(&["1.考察走过场", "2.接受宴请"]),
                    s(&["1.两人以上考察"]),
                    g("high", "word", "高"),
                    s(&["科长"])
                ),
                (
                    Some(1),
                    s(&["报告不实"]),
                    s(&["如实报告"]),
                    g("high", "word", "较高"),
                    s(&["科长", "分管领导"])
                ),
                (
                    Some(2),
                    s(&["不按规定公示"]),
                    s(&["按时公示"]),
                    None,
                    s(&["科员"])
                ),
            ]
        );
        let notes: Vec<(&str, &str)> = d
            .notes
            .iter()
            .map(|n| (n.code.as_ref(), n.evidence.as_str()))
            .collect();
        assert_eq!(notes, vec![("grade.unknown", "严重")]);
        assert_eq!(d.notes[0].point, Some(2));
    }

    #[test]
    fn post_table_one_chart_per_row() {
        let blocks = vec![
            para("办公室岗位风险防控要点"),
            cell(0, 0, 0, 1, 1, "岗位名称"),
            cell(0, 0, 1, 1, 1, "风险表现"),
            cell(0, 0, 2, 1, 1, "风险\n等级"),
            cell(0, 0, 3, 1, 1, "防控措施"),
            cell(0, 0, 4, 1, 1, "责任人"),
            cell(0, 1, 0, 1, 1, "主任岗"),
            cell(
                0,
                1,
                1,
                1,
                1,
                "1、在公文工作中把关不严。 2、印章遗失、被盗。",
            ),
            cell(0, 1, 2, 1, 1, "一"),
            cell(
                0,
                1,
                3,
                1,
                1,
                "1、加强管理制度建设；2、严格执行印章管理规定。",
            ),
            cell(0, 1, 4, 1, 1, "主任"),
            cell(0, 2, 0, 1, 1, "文秘写作岗"),
            cell(0, 2, 1, 1, 1, "发表违法言论。"),
            cell(0, 2, 2, 1, 1, "二级"),
            cell(0, 2, 3, 1, 1, "1、严格遵守写作纪律"),
            cell(0, 2, 4, 1, 1, "副主任"),
        ];
        let cs = charts(blocks);
        let names: Vec<Option<&str>> = cs.iter().map(|c| c.name.as_deref()).collect();
        assert_eq!(names, vec![Some("主任岗"), Some("文秘写作岗")]);
        assert!(cs.iter().all(|c| c.steps.is_empty() && c.layout == "table"));
        assert_eq!(
            summary(&cs[0]),
            vec![(
                None,
                s(&["1、在公文工作中把关不严。", "2、印章遗失、被盗。"]),
                s(&["1、加强管理制度建设；", "2、严格执行印章管理规定。"]),
                g("high", "tier", "一"),
                s(&["主任"])
            )]
        );
        assert_eq!(
            summary(&cs[1]),
            vec![(
                None,
                s(&["发表违法言论。"]),
                s(&["1、严格遵守写作纪律"]),
                g("medium", "tier", "二级"),
                s(&["副主任"])
            )]
        );
        assert_eq!(cs[1].location, "t0r2c0");
        // The paragraph above the table is no title (no title word): kept.
        let notes: Vec<(&str, &str)> = cs[0]
            .notes
            .iter()
            .map(|n| (n.code.as_ref(), n.evidence.as_str()))
            .collect();
        assert_eq!(
            notes,
            vec![("chart.unplaced_text", "办公室岗位风险防控要点")]
        );
    }

    #[test]
    fn excel_sheet_with_merged_regions_and_line_breaks() {
        // Sheet cells: the reader gives one block per merged region.
        let blocks = vec![
            cell(0, 0, 0, 1, 5, "财务科廉政风险防控一览表"),
            cell(0, 1, 0, 1, 1, "流程"),
            cell(0, 1, 1, 1, 1, "环节"),
            cell(0, 1, 2, 1, 1, "风险点"),
            cell(0, 1, 3, 1, 1, "等级"),
            cell(0, 1, 4, 1, 1, "防范措施"),
            cell(0, 2, 0, 2, 1, "报销"),
            cell(0, 2, 1, 1, 1, "审核"),
            cell(0, 2, 2, 1, 1, "1.审核不严\n2.虚列支出"),
            cell(0, 2, 3, 2, 1, "B级"),
            cell(0, 2, 4, 2, 1, "1.双人审核\n2.定期公开\n责任人：会计"),
            cell(0, 3, 1, 1, 1, "支付"),
            cell(0, 3, 2, 1, 1, "1..公款私存"),
        ];
        let cs = charts(blocks);
        assert_eq!(cs.len(), 1);
        let d = &cs[0];
        assert_eq!(d.name.as_deref(), Some("报销"));
        assert_eq!(d.title.as_deref(), Some("财务科廉政风险防控一览表"));
        let both = (
            s(&["1.双人审核", "2.定期公开"]),
            g("medium", "letter", "B级"),
            s(&["会计"]),
        );
        assert_eq!(
            summary(d),
            vec![
                (
                    Some(1),
                    s(&["1.审核不严", "2.虚列支出"]),
                    both.0.clone(),
                    both.1.clone(),
                    both.2.clone()
                ),
                (Some(2), s(&["1..公款私存"]), both.0, both.1, both.2),
            ]
        );
        assert_eq!(
            d.points[1].items[0].marked.fault,
            Some(crate::recognise::markers::MarkerFault::DoubledSeparator)
        );
    }

    #[test]
    fn visually_merged_values_fill_down() {
        // 流程 and 关键环节 written once, the cells below left empty (no merge).
        let blocks = vec![
            cell(0, 0, 0, 1, 1, "流程"),
            cell(0, 0, 1, 1, 1, "关键环节"),
            cell(0, 0, 2, 1, 1, "风险点"),
            cell(0, 0, 3, 1, 1, "防控措施"),
            cell(0, 1, 0, 1, 1, "采购"),
            cell(0, 1, 1, 1, 1, "询价"),
            cell(0, 1, 2, 1, 1, "虚报价格"),
            cell(0, 1, 3, 1, 1, "三方比价"),
            cell(0, 2, 0, 1, 1, ""),
            cell(0, 2, 1, 1, 1, ""),
            cell(0, 2, 2, 1, 1, "收受回扣"),
            cell(0, 2, 3, 1, 1, ""),
            cell(0, 3, 0, 1, 1, ""),
            cell(0, 3, 1, 1, 1, "验收"),
            cell(0, 3, 2, 1, 1, "验收走过场"),
            cell(0, 3, 3, 1, 1, "两人验收"),
            cell(0, 4, 0, 1, 1, "报销"),
            cell(0, 4, 1, 1, 1, "审核"),
            cell(0, 4, 2, 1, 1, "虚列支出"),
            cell(0, 4, 3, 1, 1, "逐笔审核"),
        ];
        let cs = charts(blocks);
        type Chart<'a> = (Option<&'a str>, Vec<&'a str>, Vec<Option<usize>>);
        let got: Vec<Chart> = cs
            .iter()
            .map(|c| {
                (
                    c.name.as_deref(),
                    c.steps.iter().map(|s| s.name.as_str()).collect(),
                    c.points.iter().map(|p| p.step.map(|s| s + 1)).collect(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    Some("采购"),
                    vec!["询价", "验收"],
                    vec![Some(1), Some(1), Some(2)]
                ),
                (Some("报销"), vec!["审核"], vec![Some(1)]),
            ]
        );
        // A measure cell left empty stays empty: only the grouping columns fill down.
        assert!(cs[0].points[1].measures.is_empty());
    }

    #[test]
    fn a_flow_chart_drawn_as_a_table_has_steps() {
        // 工作流程 without 关键环节: its cells are the steps of one chart.
        let blocks = vec![
            para("职权名称：企业年度报告公示"),
            cell(0, 0, 0, 1, 1, "防控措施及责任人"),
            cell(0, 0, 1, 1, 1, "工作流程"),
            cell(0, 0, 2, 1, 1, "风险点等级及表现形式"),
            cell(0, 1, 0, 1, 1, "1.建立受理单制度。\n责任人：受理人"),
            cell(0, 1, 1, 1, 1, "受    理"),
            cell(0, 1, 2, 1, 1, "1.故意刁难申请人。\n风险等级：中"),
            cell(0, 2, 0, 1, 1, "1.限时办结。\n责任人：审核人"),
            cell(0, 2, 1, 1, 1, "审    核"),
            cell(0, 2, 2, 1, 1, "1.无原因超时办理。\n风险等级：低"),
        ];
        let cs = charts(blocks);
        assert_eq!(cs.len(), 1);
        let d = &cs[0];
        assert_eq!(d.name.as_deref(), Some("企业年度报告公示"));
        let steps: Vec<(&str, &str)> = d
            .steps
            .iter()
            .map(|s| (s.name.as_str(), s.raw.as_str()))
            .collect();
        assert_eq!(steps, vec![("受理", "受    理"), ("审核", "审    核")]);
        assert_eq!(
            summary(d),
            vec![
                (
                    Some(1),
                    s(&["1.故意刁难申请人。"]),
                    s(&["1.建立受理单制度。"]),
                    g("medium", "word", "风险等级：中"),
                    s(&["受理人"])
                ),
                (
                    Some(2),
                    s(&["1.无原因超时办理。"]),
                    s(&["1.限时办结。"]),
                    g("low", "word", "风险等级：低"),
                    s(&["审核人"])
                ),
            ]
        );
    }

    #[test]
    fn hostile_spans_and_positions_are_capped() {
        let mut blocks = vec![
            cell(0, 0, 0, 1, 1, "风险点"),
            cell(0, 0, 1, 1, 1, "防控措施"),
            cell(0, 1, 0, u32::MAX, u32::MAX, "1、占满全表"),
            cell(0, u32::MAX, u32::MAX, u32::MAX, 1, "远处的单元格"),
            cell(0, 2, 1, 0, 0, "零跨度"),
        ];
        blocks.push(cell(1, 0, 0, 1, 1, &"★".repeat(10_000)));
        let seg: Vec<&Block> = blocks.iter().collect();
        let cs = read(&seg, &Rules::builtin()).expect("table shape");
        let evidence: Vec<&str> = cs
            .iter()
            .flat_map(|c| c.notes.iter().map(|n| n.evidence.as_str()))
            .collect();
        // Nothing is lost: a cell across the whole table is a section line,
        // the far cell and the headerless table are kept as evidence.
        assert_eq!(cs.len(), 1);
        assert_eq!(
            evidence,
            vec![
                "1、占满全表",
                "远处的单元格",
                "零跨度",
                "★".repeat(10_000).as_str()
            ]
        );
        assert!(cs[0].points.is_empty());
    }

    #[test]
    fn no_header_is_not_a_table() {
        let blocks = [cell(0, 0, 0, 1, 1, "申请"), cell(0, 0, 1, 1, 1, "受理")];
        let seg: Vec<&Block> = blocks.iter().collect();
        assert!(read(&seg, &Rules::builtin()).is_none());
    }

    #[test]
    fn run_together_sub_numbered_items() {
        assert_eq!(
            split_run_together("1.1党政主要领导没有形成制度。 1.2分管领导没有体现要求。"),
            vec!["1.1党政主要领导没有形成制度。", "1.2分管领导没有体现要求。"]
        );
    }

    #[test]
    fn run_together_items() {
        assert_eq!(
            split_run_together("1、成立领导小组2、制定实施方案3、开展学习教育"),
            s(&["1、成立领导小组", "2、制定实施方案", "3、开展学习教育"])
        );
        assert_eq!(
            split_run_together("①计划拟制；②拟制方案：没有计划。"),
            s(&["①计划拟制；", "②拟制方案：没有计划。"])
        );
        assert_eq!(
            split_run_together("措施一:快速浏览。措施二:加强跟踪。"),
            s(&["措施一:快速浏览。", "措施二:加强跟踪。"])
        );
        // Numbers that do not continue the list, or sit after a digit, stay.
        assert_eq!(
            split_run_together("1、按照1:1的比例，12、3、考察"),
            s(&["1、按照1:1的比例，12、3、考察"])
        );
        assert_eq!(
            split_run_together("1、利用“9.18”警报试鸣2.宣传"),
            s(&["1、利用“9.18”警报试鸣", "2.宣传"])
        );
        assert_eq!(
            split_run_together("考察走过场，2、接受宴请"),
            s(&["考察走过场，2、接受宴请"])
        );
        // A ★ grade in front of the first item stays with it.
        assert_eq!(
            split_run_together("★★★1、未及时拆封。2、物品丢失。3、态度生硬。"),
            s(&["★★★1、未及时拆封。", "2、物品丢失。", "3、态度生硬。"])
        );
        assert_eq!(split_run_together("★★"), s(&["★★"]));
    }

    #[test]
    fn starred_cell_with_items_run_together_is_one_graded_point() {
        let blocks = vec![
            cell(0, 0, 0, 1, 1, "关键环节"),
            cell(0, 0, 1, 1, 1, "廉政风险点及等级"),
            cell(0, 0, 2, 1, 1, "防控措施"),
            cell(0, 1, 0, 1, 1, "审查"),
            cell(
                0,
                1,
                1,
                1,
                1,
                "★★★1、当日来信未及时拆封。2、证件和物品丢失。",
            ),
            cell(0, 1, 2, 1, 1, "严格按程序呈报。"),
        ];
        let cs = charts(blocks);
        assert_eq!(cs.len(), 1);
        assert_eq!(
            summary(&cs[0]),
            vec![(
                Some(1),
                s(&["1、当日来信未及时拆封。", "2、证件和物品丢失。"]),
                s(&["严格按程序呈报。"]),
                g("high", "stars", "★★★"),
                vec![]
            )]
        );
    }

    #[test]
    fn grade_cells_and_roles() {
        let r = Rules::builtin();
        let lr = layout_rules(&r).expect("tables.toml parses");
        assert_eq!(role_of("廉政风险点及等级", lr), Some(Role::Risk));
        assert_eq!(role_of("风险 等级", lr), Some(Role::Grade));
        assert_eq!(role_of("防控措施及责任人", lr), Some(Role::Measure));
        assert_eq!(role_of("责任\n主体", lr), Some(Role::Responsible));
        assert_eq!(role_of("岗位名称", lr), Some(Role::Post));
        assert_eq!(role_of("职权内容", lr), Some(Role::Power));
        assert_eq!(role_of("流 程", lr), Some(Role::Process));
        assert_eq!(role_of("审查", lr), None);
        let lv = |t: &str| cell_grade(t, &r).map(|x| x.map(|g| (g.level, g.scale)));
        assert_eq!(lv("高"), Some(Ok(("high".into(), "word".into()))));
        assert_eq!(lv("二"), Some(Ok(("medium".into(), "tier".into()))));
        assert_eq!(lv("C"), Some(Ok(("low".into(), "letter".into()))));
        assert_eq!(lv("★★★"), Some(Ok(("high".into(), "stars".into()))));
        assert_eq!(lv("严重"), Some(Err("严重".into())));
        assert_eq!(lv(" "), None);
    }
}
