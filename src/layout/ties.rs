//! Tying risk and measure blocks to steps when the document has no geometry
//! (a .doc without drawing records, a chart flattened into text): the boxes
//! of one chart come out in anchor order, so the block of a step may stand
//! before it, after it, or far from it.
//!
//! Each (block, step) pair is scored by evidence, and pairs are taken best
//! first, at most one risk block and one measure block per step:
//! - **memory**: the block's lines were tied to a step of the same name in
//!   the file's other charts, by their wording or, in a chart laid out in
//!   order (a box between every two steps), by standing beside the step;
//!   and a measure block goes with the risk block it stands beside there;
//! - **wording**: the block's lines name the step (`不按规定程序受理` → 受理);
//! - **adjacency**: no other step stands between the block and the step;
//! - **reading order**: a block usually precedes its step (a small bias).
//!
//! A block with too little evidence is tied to no step (`null`), never
//! guessed. Weights and the threshold live in `rules/steps.toml` `[ties]`.

use crate::recognise::fields::compact;
use crate::recognise::markers::split_marker;
use std::collections::HashMap;

/// What a block is, for the one-per-step rule and the memory key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BlockRole {
    Risk,
    Measure,
}

/// One block to tie: its role, its position in the stream and its lines.
pub struct StreamBlock<'a> {
    pub role: BlockRole,
    pub order: usize,
    pub lines: &'a [&'a str],
}

/// One step: its normalised name and its position in the stream.
pub struct StreamStep<'a> {
    pub name: &'a str,
    pub order: usize,
}

/// Weights of the evidence (rules/steps.toml `[ties]`).
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TieWeights {
    pub memory: f64,
    pub wording: f64,
    pub adjacent: f64,
    pub precedes: f64,
    /// Adjacency counts only in a run of at most this many blocks of one
    /// role between two steps.
    pub short_run: usize,
    /// Steps that carry no risk or measure box of their own (the
    /// applicant's 申请, the closing 办结): left out when untied boxes are
    /// tied by rank.
    pub no_blocks: Vec<String>,
    /// Steps starting with these carry no box either (`发现违法事实`: the
    /// event that starts the procedure).
    pub no_blocks_start: Vec<String>,
    /// A pair below this score is no evidence at all.
    pub threshold: f64,
    /// A tie is learned for other charts when its wording evidence is at
    /// least this and no other step's wording comes as close.
    pub learn_wording: f64,
    /// Words that make a step name the step's product (`审查结论`,
    /// `调查结果`): a line about the product is half evidence, since the
    /// product is used, or changed, at a later step.
    pub products: Vec<String>,
    /// Characters that say nothing of a step when a risk box shares them
    /// with its name (`进行`, `规定`, `时限`): left out when lone boxes are
    /// paired with labels by wording.
    pub light: String,
}

impl TieWeights {
    /// 申请, 提出申请, 办结: a step of the applicant's or the closing one.
    fn carries_no_block(&self, step: &str) -> bool {
        self.no_blocks.iter().any(|n| step.ends_with(n.as_str()))
            || self
                .no_blocks_start
                .iter()
                .any(|n| step.starts_with(n.as_str()))
    }
}

/// Lines of blocks tied to step names in the file's other charts:
/// (role, line key) → step name → times seen. Kept per line, not per
/// block, so a block recognised in another chart still counts when one of
/// its lines was reworded, added or dropped there.
/// Also which risk block each measure block stands beside in the file's
/// charts (by first line): a measure block goes with its usual risk block.
#[derive(Debug, Default, Clone)]
pub struct Memory {
    seen: HashMap<(BlockRole, String), HashMap<String, u32>>,
    partners: HashMap<String, HashMap<String, u32>>,
}

impl Memory {
    pub fn is_empty(&self) -> bool {
        self.seen.is_empty() && self.partners.is_empty()
    }

    /// A measure block and a risk block standing side by side, no step or
    /// other block between them.
    fn learn_partners(&mut self, steps: &[StreamStep], blocks: &[StreamBlock]) {
        let mut by_order: Vec<&StreamBlock> = blocks.iter().collect();
        by_order.sort_by_key(|b| b.order);
        for pair in by_order.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            if a.role == b.role || steps.iter().any(|s| s.order > a.order && s.order < b.order) {
                continue;
            }
            let (m, r) = if a.role == BlockRole::Measure {
                (a, b)
            } else {
                (b, a)
            };
            let (Some(mk), Some(rk)) = (first_key(m.lines), first_key(r.lines)) else {
                continue;
            };
            *self.partners.entry(mk).or_default().entry(rk).or_default() += 1;
        }
    }

    /// The risk block (first line key) this measure block stood beside in
    /// most of the charts where it stood beside one, seen at least twice.
    fn partner(&self, measure_key: &str) -> Option<&str> {
        let seen = self.partners.get(measure_key)?;
        let total: u32 = seen.values().sum();
        let (key, n) = seen.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))?;
        (*n >= 2 && 2 * n > total).then_some(key.as_str())
    }

    pub fn learn(&mut self, role: BlockRole, lines: &[&str], step: &str) {
        if step.is_empty() {
            return;
        }
        for key in line_keys(lines) {
            *self
                .seen
                .entry((role, key))
                .or_default()
                .entry(step.to_string())
                .or_default() += 1;
        }
    }

    /// How surely the file ties this block to this step: over the block's
    /// lines, the share of the times each was seen with this step (a line
    /// never seen counts nothing).
    fn support(&self, role: BlockRole, keys: &[String], step: &str) -> f64 {
        if keys.is_empty() {
            return 0.0;
        }
        let sum: f64 = keys
            .iter()
            .filter_map(|k| self.seen.get(&(role, k.clone())))
            .map(|steps| {
                let total: u32 = steps.values().sum();
                steps
                    .get(step)
                    .map_or(0.0, |n| f64::from(*n) / f64::from(total))
            })
            .sum();
        sum / keys.len() as f64
    }

    pub fn merge(&mut self, other: Memory) {
        for (k, steps) in other.seen {
            let mine = self.seen.entry(k).or_default();
            for (s, n) in steps {
                *mine.entry(s).or_default() += n;
            }
        }
        for (k, risks) in other.partners {
            let mine = self.partners.entry(k).or_default();
            for (r, n) in risks {
                *mine.entry(r).or_default() += n;
            }
        }
    }
}

fn first_key(lines: &[&str]) -> Option<String> {
    line_keys(lines).into_iter().next()
}

/// A line's identity across charts: without its marker, spaces and
/// punctuation (numbering and punctuation vary between copies). Lines too
/// short to tell blocks apart are left out.
fn line_keys(lines: &[&str]) -> Vec<String> {
    lines
        .iter()
        .map(|l| {
            compact(&split_marker(l).text)
                .chars()
                .filter(|c| c.is_alphanumeric())
                .collect::<String>()
        })
        .filter(|k| k.chars().count() >= 4)
        .collect()
}

/// How much the block's wording names the step: lines that contain the
/// whole name count 1, lines that contain part of a long name ½, and so does
/// the name as a person (`申请人` names the applicant, not the step).
fn wording(lines: &[&str], step: &str, products: &[String]) -> f64 {
    let name: Vec<char> = step.chars().filter(|c| c.is_alphanumeric()).collect();
    if name.len() < 2 {
        return 0.0;
    }
    let whole: String = name.iter().collect();
    let pairs: Vec<String> = name.windows(2).map(|w| w.iter().collect()).collect();
    let mut score: f64 = 0.0;
    for l in lines {
        let l = compact(l);
        if let Some(at) = l.find(&whole) {
            let after = &l[at + whole.len()..];
            // `申请人`, `检查组`, `审查员`: the one who does it.
            let person = (after.starts_with('人') && !after.starts_with("人员"))
                || after.starts_with('组')
                || after.starts_with('员');
            let product = products.iter().any(|p| after.starts_with(p.as_str()));
            // One of a list of steps (`纠正调查、审查、批复中的问题`)
            // names none of them in particular.
            let listed = l[..at].ends_with('、') || after.starts_with('、');
            let again = after.contains(&whole);
            score += if listed && !again {
                0.0
            } else if (person || product) && !again {
                0.5
            } else {
                1.0
            };
        } else if name.len() >= 3 && pairs.iter().any(|p| l.contains(p.as_str())) {
            score += 0.5;
        }
    }
    score
}

/// Risk boxes no step took (`风险表现：…`) and step labels still waiting for
/// their risk (`风险点 A1-3等级 高` in a step box; a PDF puts the boxes far
/// from their steps): `(box, label)` pairs. A box goes to the label whose
/// step shares most characters with its words (light ones aside: `进行`,
/// `规定`), best pair first, earlier first on a draw (`审核不严，共同作假` →
/// the label at `核实`); what no wording pairs goes in order, and only when
/// as many boxes as labels are left, never on a guess.
pub fn pair_lone(boxes: &[String], steps: &[&str], light: &str) -> Vec<(usize, usize)> {
    let shared = |text: &str, step: &str| {
        let mut seen: Vec<char> = Vec::new();
        for c in step.chars() {
            if c.is_alphanumeric() && !light.contains(c) && !seen.contains(&c) && text.contains(c) {
                seen.push(c);
            }
        }
        seen.len()
    };
    let mut scored: Vec<(usize, usize, usize)> = Vec::new();
    for (b, text) in boxes.iter().enumerate() {
        for (s, step) in steps.iter().enumerate() {
            let n = shared(text, step);
            if n > 0 {
                scored.push((n, b, s));
            }
        }
    }
    scored.sort_by_key(|&(n, b, s)| (std::cmp::Reverse(n), b, s));
    let mut box_done = vec![false; boxes.len()];
    let mut step_done = vec![false; steps.len()];
    let mut pairs = Vec::new();
    for (_, b, s) in scored {
        if !box_done[b] && !step_done[s] {
            box_done[b] = true;
            step_done[s] = true;
            pairs.push((b, s));
        }
    }
    let left_boxes: Vec<usize> = (0..boxes.len()).filter(|&b| !box_done[b]).collect();
    let left_steps: Vec<usize> = (0..steps.len()).filter(|&s| !step_done[s]).collect();
    if left_boxes.len() == left_steps.len() {
        pairs.extend(left_boxes.into_iter().zip(left_steps));
    }
    pairs.sort_unstable();
    pairs
}

/// Wording as evidence: capped, so it cannot outweigh memory; a block that
/// names the step in more lines still wins a draw.
fn wording_evidence(named: f64) -> f64 {
    named.min(2.0) + named.min(10.0) / 1000.0
}

/// The tie of each block (index into `steps`), in the order of `blocks`, and
/// the ties confident enough to teach other charts.
pub fn tie(
    steps: &[StreamStep],
    blocks: &[StreamBlock],
    memory: &Memory,
    w: &TieWeights,
) -> (Vec<Option<usize>>, Memory) {
    let mut learned = Memory::default();
    if steps.is_empty() {
        return (vec![None; blocks.len()], learned);
    }
    // Adjacency is evidence only in a short run of blocks between two
    // steps; a long run (all steps first, then all boxes) says nothing.
    // Steps come in the order of the process; adjacency is about their
    // places in the stream.
    let gap_of = |order: usize| steps.iter().filter(|s| s.order < order).count();
    let place: Vec<usize> = steps.iter().map(|s| gap_of(s.order)).collect();
    let mut run: HashMap<(usize, BlockRole), usize> = HashMap::new();
    for b in blocks {
        *run.entry((gap_of(b.order), b.role)).or_default() += 1;
    }
    // A chart laid out in order: every two steps that carry boxes have a
    // box between them. Its ties by position can teach the file's jumbled
    // charts.
    let mut in_stream: Vec<&StreamStep> = steps.iter().collect();
    in_stream.sort_by_key(|s| s.order);
    let orderly = in_stream.windows(2).all(|p| {
        w.carries_no_block(p[0].name)
            || w.carries_no_block(p[1].name)
            || blocks
                .iter()
                .any(|b| b.order > p[0].order && b.order < p[1].order)
    });
    // Each block's line keys, once: the memory is asked for them per step
    // and per reading.
    let keys: Vec<Vec<String>> = blocks.iter().map(|b| line_keys(b.lines)).collect();
    let mut word: Vec<Vec<f64>> = blocks
        .iter()
        .map(|b| {
            steps
                .iter()
                .map(|s| wording(b.lines, s.name, &w.products))
                .collect()
        })
        .collect();
    // A chart exported column by column (all risk boxes, then all measure
    // boxes, as many of each): the n-th risk box and the n-th measure box
    // are one risk point; their wording counts together and they share a
    // step.
    let partner = columns(blocks);
    for &(r, m) in &partner {
        let measure = word[m].clone();
        for (w, add) in word[r].iter_mut().zip(measure) {
            *w += add;
        }
    }
    // Whether a chart's boxes stand before or after their step is the
    // chart's habit: read it both ways and keep the reading with more
    // evidence (before wins a draw).
    let score = |before: bool| -> Vec<(f64, usize, usize)> {
        let mut pairs = Vec::new();
        for (bi, b) in blocks.iter().enumerate() {
            if partner.iter().any(|(_, m)| *m == bi) {
                continue;
            }
            let gap = gap_of(b.order);
            let short = run.get(&(gap, b.role)).copied().unwrap_or(0) <= w.short_run;
            for (si, s) in steps.iter().enumerate() {
                // A step that carries no box of its own (申请, 办结) takes
                // one only when the box names it plainly.
                let own = !w.carries_no_block(s.name);
                // Boxes before the first step can stand beside no other.
                let next = (own || gap == 0) && short && place[si] == gap;
                let prev = own && short && gap > 0 && place[si] == gap - 1;
                let habit = if before { next } else { prev };
                // The applicant's step is named by every risk about the
                // applicant (`申请材料`): its wording counts half.
                let named = if own {
                    word[bi][si]
                } else {
                    word[bi][si] / 2.0
                };
                let score = w.memory * memory.support(b.role, &keys[bi], s.name)
                    + w.wording * wording_evidence(named)
                    + if next || prev { w.adjacent } else { 0.0 }
                    + if habit { w.precedes } else { 0.0 };
                if score >= w.threshold {
                    pairs.push((score, bi, si));
                }
            }
        }
        pairs
    };
    let (before, after) = (score(true), score(false));
    let (before_ties, before_total) = assign(&before, blocks);
    let (after_ties, after_total) = assign(&after, blocks);
    let (mut ties, mut pairs) = if after_total > before_total + 1e-9 {
        (after_ties, after)
    } else {
        (before_ties, before)
    };
    // A block whose best step was taken by a block with as strong a claim
    // goes there too (a step may have two boxes of one kind); a weaker
    // claim waits for the ranks, and takes its best step only if they
    // cannot place it.
    best_first(&mut pairs);
    // The claim on each (step, role): the score of the pair that took it.
    let mut claim: HashMap<(usize, BlockRole), f64> = HashMap::new();
    for &(score, bi, si) in &pairs {
        if ties[bi] == Some(si) {
            claim.entry((si, blocks[bi].role)).or_insert(score);
        }
    }
    let mut weighed = vec![false; blocks.len()];
    for &(score, bi, si) in &pairs {
        if ties[bi].is_some() || std::mem::replace(&mut weighed[bi], true) {
            continue;
        }
        let held = claim.get(&(si, blocks[bi].role)).copied().unwrap_or(0.0);
        if score + 1e-9 >= held {
            ties[bi] = Some(si);
        }
    }
    by_rank(steps, blocks, &mut ties, w);
    for &(_, bi, si) in &pairs {
        if ties[bi].is_none() {
            ties[bi] = Some(si);
        }
    }
    // A measure block goes with its column partner, unless its own wording
    // names another step more plainly (the two columns need not list their
    // boxes in quite the same order).
    for &(r, m) in &partner {
        let own = best_named(&word[m]);
        ties[m] = match (own, ties[r]) {
            (Some(o), Some(t)) if word[m][o] >= 1.0 && word[m][o] > word[m][t] => Some(o),
            _ => ties[r],
        };
    }
    // A measure block whose wording does not name its step goes with the
    // risk block it stands beside in the file's other charts.
    for (mi, m) in blocks.iter().enumerate() {
        if m.role != BlockRole::Measure || ties[mi].is_some_and(|si| word[mi][si] >= 1.0) {
            continue;
        }
        let Some(rkey) = keys[mi].first().and_then(|k| memory.partner(k)) else {
            continue;
        };
        let with = blocks.iter().enumerate().find(|(ri, r)| {
            r.role == BlockRole::Risk
                && ties[*ri].is_some()
                && keys[*ri].first().map(String::as_str) == Some(rkey)
        });
        if let Some((ri, _)) = with {
            ties[mi] = ties[ri];
        }
    }
    // Side by side means nothing in a chart given column by column (the
    // last measure box stands beside the first risk box).
    if partner.is_empty() {
        learned.learn_partners(steps, blocks);
    }
    // Teach other charts only what the wording itself says.
    let sure: Vec<bool> = (0..blocks.len())
        .map(|bi| {
            ties[bi].is_some_and(|si| {
                let mine = word[bi][si].min(2.0);
                let rival = word[bi]
                    .iter()
                    .enumerate()
                    .filter(|(k, _)| *k != si)
                    .map(|(_, v)| v.min(2.0))
                    .fold(0.0, f64::max);
                let beside = {
                    let gap = gap_of(blocks[bi].order);
                    run.get(&(gap, blocks[bi].role)).copied().unwrap_or(0) == 1
                        && (place[si] == gap || place[si] + 1 == gap)
                };
                (mine >= w.learn_wording && rival < mine) || (orderly && beside && rival < 1.0)
            })
        })
        .collect();
    for (bi, b) in blocks.iter().enumerate() {
        if let Some(si) = ties[bi].filter(|_| sure[bi]) {
            learned.learn(b.role, b.lines, steps[si].name);
        }
    }
    (ties, learned)
}

/// Blocks no evidence tied keep the order of their steps: when the untied
/// blocks of one role are exactly as many as the steps still without a
/// block of that role (not counting the steps that by `[ties] no_blocks`
/// carry none, such as 申请), they are tied in order.
fn by_rank(
    steps: &[StreamStep],
    blocks: &[StreamBlock],
    ties: &mut [Option<usize>],
    w: &TieWeights,
) {
    for role in [BlockRole::Risk, BlockRole::Measure] {
        let mut untied: Vec<usize> = (0..blocks.len())
            .filter(|&b| blocks[b].role == role && ties[b].is_none())
            .collect();
        if untied.is_empty() {
            continue;
        }
        untied.sort_by_key(|&b| blocks[b].order);
        let free: Vec<usize> = (0..steps.len())
            .filter(|&s| !(0..blocks.len()).any(|b| blocks[b].role == role && ties[b] == Some(s)))
            .filter(|&s| !w.carries_no_block(steps[s].name))
            .collect();
        if untied.len() != free.len() {
            continue;
        }
        // The boxes may run against the steps (a .doc that anchored them
        // bottom-up): the boxes the evidence tied tell which way.
        let mut free = free;
        if runs_backwards(blocks, ties) {
            free.reverse();
        }
        for (b, s) in untied.into_iter().zip(free) {
            ties[b] = Some(s);
        }
    }
}

/// The step a block's wording names most (the first of equals), if any.
fn best_named(word: &[f64]) -> Option<usize> {
    let (at, most) = word
        .iter()
        .enumerate()
        .fold((0, 0.0), |b, (i, &v)| if v > b.1 { (i, v) } else { b });
    (most > 0.0).then_some(at)
}

/// Whether the tied blocks stand, in the stream, mostly in the reverse of
/// their steps' order.
fn runs_backwards(blocks: &[StreamBlock], ties: &[Option<usize>]) -> bool {
    let mut tied: Vec<(usize, usize)> = (0..blocks.len())
        .filter_map(|b| ties[b].map(|s| (blocks[b].order, s)))
        .collect();
    tied.sort_unstable();
    let (mut with, mut against) = (0, 0);
    for (i, a) in tied.iter().enumerate() {
        for b in &tied[i + 1..] {
            match a.1.cmp(&b.1) {
                std::cmp::Ordering::Less => with += 1,
                std::cmp::Ordering::Greater => against += 1,
                std::cmp::Ordering::Equal => {}
            }
        }
    }
    against > with
}

/// (risk, measure) block indices paired by rank when the blocks come as two
/// columns: every risk block before every measure block (or the reverse),
/// each run unbroken, as many of each (at least two).
fn columns(blocks: &[StreamBlock]) -> Vec<(usize, usize)> {
    let mut by_order: Vec<usize> = (0..blocks.len()).collect();
    by_order.sort_by_key(|&i| blocks[i].order);
    let roles: Vec<BlockRole> = by_order.iter().map(|&i| blocks[i].role).collect();
    let switches = roles.windows(2).filter(|w| w[0] != w[1]).count();
    let of = |role: BlockRole| -> Vec<usize> {
        by_order
            .iter()
            .copied()
            .filter(|&i| blocks[i].role == role)
            .collect()
    };
    let (risks, measures) = (of(BlockRole::Risk), of(BlockRole::Measure));
    if switches != 1 || risks.len() != measures.len() || risks.len() < 2 {
        return Vec::new();
    }
    risks.into_iter().zip(measures).collect()
}

/// Best first; ties broken by stream order, so the result is stable.
fn best_first(pairs: &mut [(f64, usize, usize)]) {
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
}

/// Take pairs best first, one block of each role per step. Returns the
/// ties and the evidence of the pairs taken.
fn assign(pairs: &[(f64, usize, usize)], blocks: &[StreamBlock]) -> (Vec<Option<usize>>, f64) {
    let mut pairs = pairs.to_vec();
    best_first(&mut pairs);
    let mut ties = vec![None; blocks.len()];
    let mut used: HashMap<(usize, BlockRole), ()> = HashMap::new();
    let mut total = 0.0;
    for &(score, bi, si) in &pairs {
        if ties[bi].is_some() || used.contains_key(&(si, blocks[bi].role)) {
            continue;
        }
        ties[bi] = Some(si);
        used.insert((si, blocks[bi].role), ());
        total += score;
    }
    (ties, total)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn weights() -> TieWeights {
        crate::rules::Rules::builtin().ties
    }

    #[test]
    fn wording_and_adjacency_tie_blocks_around_their_step() {
        // 措施(受理) [受理] 风险(受理) [申请] 措施(审查) 风险(审查) [审查]
        let steps = [
            StreamStep {
                name: "受理",
                order: 1,
            },
            StreamStep {
                name: "申请",
                order: 3,
            },
            StreamStep {
                name: "审查",
                order: 6,
            },
        ];
        let m1 = ["1.建立受理单制度。", "责任人：受理人"];
        let r1 = [
            "1.故意刁难申请人。",
            "2.不按规定程序受理。",
            "3.无原因超时受理。",
            "风险等级：中",
        ];
        let m2 = ["1.量化审查标准。", "责任人：审查人"];
        let r2 = ["1.擅自改变审查结论。", "风险等级：高"];
        let blocks = [
            StreamBlock {
                role: BlockRole::Measure,
                order: 0,
                lines: &m1,
            },
            StreamBlock {
                role: BlockRole::Risk,
                order: 2,
                lines: &r1,
            },
            StreamBlock {
                role: BlockRole::Measure,
                order: 4,
                lines: &m2,
            },
            StreamBlock {
                role: BlockRole::Risk,
                order: 5,
                lines: &r2,
            },
        ];
        let (ties, learned) = tie(&steps, &blocks, &Memory::default(), &weights());
        assert_eq!(ties, vec![Some(0), Some(0), Some(2), Some(2)]);
        assert!(!learned.is_empty());
    }

    #[test]
    fn columns_pair_risk_and_measure_boxes_by_rank() {
        // Steps, then every risk box, then every measure box.
        let steps = [
            StreamStep {
                name: "申请",
                order: 0,
            },
            StreamStep {
                name: "受理",
                order: 1,
            },
            StreamStep {
                name: "决定",
                order: 2,
            },
        ];
        let r1 = ["1.对不符合条件的申请违规受理。", "风险等级：低"];
        let r2 = ["1.未经集体研究擅自作出许可决定。", "风险等级：中"];
        let m1 = ["1.受理时当场出具受理回执。", "责任人：受理人"];
        let m2 = ["1.重大事项集体研究决定。", "责任人：分管领导"];
        let blocks = [
            StreamBlock {
                role: BlockRole::Risk,
                order: 3,
                lines: &r1,
            },
            StreamBlock {
                role: BlockRole::Risk,
                order: 4,
                lines: &r2,
            },
            StreamBlock {
                role: BlockRole::Measure,
                order: 5,
                lines: &m1,
            },
            StreamBlock {
                role: BlockRole::Measure,
                order: 6,
                lines: &m2,
            },
        ];
        let (ties, _) = tie(&steps, &blocks, &Memory::default(), &weights());
        assert_eq!(ties, vec![Some(1), Some(2), Some(1), Some(2)]);
    }

    #[test]
    fn memory_ties_a_jumbled_chart() {
        // All steps first, then the blocks in no order: only what other
        // charts taught ties them.
        let steps = [
            StreamStep {
                name: "申请",
                order: 0,
            },
            StreamStep {
                name: "检查",
                order: 1,
            },
            StreamStep {
                name: "决定",
                order: 2,
            },
        ];
        let r_dec = ["1.擅自减轻处罚。", "风险等级：高"];
        let r_chk = ["1.走过场。", "风险等级：中"];
        let r_app = ["1.资料不全。", "风险等级：低"];
        let mut memory = Memory::default();
        memory.learn(BlockRole::Risk, &r_dec, "决定");
        memory.learn(BlockRole::Risk, &r_chk, "检查");
        let blocks = [
            StreamBlock {
                role: BlockRole::Risk,
                order: 3,
                lines: &r_dec,
            },
            StreamBlock {
                role: BlockRole::Risk,
                order: 4,
                lines: &r_chk,
            },
            StreamBlock {
                role: BlockRole::Risk,
                order: 5,
                lines: &r_app,
            },
        ];
        let (ties, _) = tie(&steps, &blocks, &memory, &weights());
        assert_eq!(ties, vec![Some(2), Some(1), None]);
        // Without memory there is no evidence for any: untied.
        let (ties, _) = tie(&steps, &blocks, &Memory::default(), &weights());
        assert_eq!(ties, vec![None, None, None]);
    }

    #[test]
    fn a_measure_block_follows_the_risk_block_it_stands_beside_elsewhere() {
        let steps = [
            StreamStep {
                name: "受理",
                order: 0,
            },
            StreamStep {
                name: "送达",
                order: 1,
            },
        ];
        let risk = ["1.不按规定程序受理。", "2.受理时无原因超时办理。"];
        let measure = ["1.建立首问负责制度。", "责任人：窗口人员"];
        let other = ["1.严格执行文书制作规范。", "责任人：办理人"];
        // Two charts of the file put the measure block right beside the
        // risk block (no step between).
        let mut memory = Memory::default();
        for _ in 0..2 {
            let seen = [
                StreamBlock {
                    role: BlockRole::Measure,
                    order: 5,
                    lines: &measure,
                },
                StreamBlock {
                    role: BlockRole::Risk,
                    order: 6,
                    lines: &risk,
                },
            ];
            memory.learn_partners(&steps, &seen);
        }
        // Here every box comes after every step: the risk block names 受理
        // twice; the measure block names nothing, and only its standing
        // after 送达 speaks for 送达, so it goes with its risk block.
        let blocks = [
            StreamBlock {
                role: BlockRole::Measure,
                order: 2,
                lines: &other,
            },
            StreamBlock {
                role: BlockRole::Risk,
                order: 3,
                lines: &risk,
            },
            StreamBlock {
                role: BlockRole::Measure,
                order: 4,
                lines: &measure,
            },
        ];
        let (ties, _) = tie(&steps, &blocks, &memory, &weights());
        assert_eq!(ties[1], Some(0));
        assert_eq!(ties[2], Some(0));
        // Without the file's memory it stays by its neighbouring step.
        let (ties, _) = tie(&steps, &blocks, &Memory::default(), &weights());
        assert_eq!(ties[2], Some(1));
    }

    #[test]
    fn an_orderly_chart_teaches_by_position() {
        // 受理 R1 审核 R2 归档: one box after each step, no box naming its
        // step. The chart is laid out in order, so each box is learned
        // with its step and ties the same box in a jumbled chart.
        let steps = [
            StreamStep {
                name: "受理",
                order: 0,
            },
            StreamStep {
                name: "审核",
                order: 2,
            },
            StreamStep {
                name: "归档",
                order: 4,
            },
        ];
        let r1 = ["1.故意刁难办事群众。", "2.索要好处费用。"];
        let r2 = ["1.降低标准放宽条件。", "2.隐瞒重大疑点问题。"];
        let orderly = [
            StreamBlock {
                role: BlockRole::Risk,
                order: 1,
                lines: &r1,
            },
            StreamBlock {
                role: BlockRole::Risk,
                order: 3,
                lines: &r2,
            },
        ];
        let (ties, learned) = tie(&steps, &orderly, &Memory::default(), &weights());
        assert_eq!(ties, vec![Some(0), Some(1)]);
        // The jumbled chart: steps first, then the boxes in reverse.
        let jumbled_steps = [
            StreamStep {
                name: "受理",
                order: 0,
            },
            StreamStep {
                name: "审核",
                order: 1,
            },
        ];
        let jumbled = [
            StreamBlock {
                role: BlockRole::Risk,
                order: 2,
                lines: &r2,
            },
            StreamBlock {
                role: BlockRole::Risk,
                order: 3,
                lines: &r1,
            },
        ];
        let (ties, _) = tie(&jumbled_steps, &jumbled, &learned, &weights());
        assert_eq!(ties, vec![Some(1), Some(0)]);
    }

    #[test]
    fn a_step_in_a_list_of_steps_or_as_its_doer_names_it_less() {
        let products = weights().products;
        let w = |l: &str, step: &str| wording(&[l], step, &products);
        assert_eq!(
            w("强化事后监管，纠正调查、审查、批复中的问题。", "事后监管"),
            1.0
        );
        assert_eq!(
            w("强化事后监管，纠正调查、审查、批复中的问题。", "审查"),
            0.0
        );
        assert_eq!(w("制定受理、审核、审批操作规程。", "审核"), 0.0);
        assert_eq!(w("严格按照标准审查。", "审查"), 1.0);
        // The one who does it: 检查组, 审查员, 申请人.
        assert_eq!(w("实行检查组组长审批制。", "检查"), 0.5);
        assert_eq!(w("审查员回避。", "审查"), 0.5);
        // Every line counts; the cap is applied as evidence.
        let four = [
            "检查过程不严。",
            "检查人员不负责。",
            "擅自发布检查信息。",
            "检查不及时。",
        ];
        assert_eq!(wording(&four, "检查", &products), 4.0);
        assert!(wording_evidence(4.0) > wording_evidence(3.0));
        assert!(wording_evidence(4.0) < 2.01);
    }

    #[test]
    fn lone_risk_boxes_go_to_the_label_whose_step_they_name() {
        let light = weights().light;
        let boxes = |b: &[&str]| b.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        // By shared characters, not stream order.
        let b = boxes(&[
            "拖延办理,逾期不发证",
            "未按规定程序签批,越权批准",
            "审核不严",
        ]);
        let steps = ["粮食科,进行审核", "分管领导批准", "办公室制证"];
        assert_eq!(pair_lone(&b, &steps, &light), vec![(0, 2), (1, 1), (2, 0)]);
        // More boxes than labels: only the box that names the step pairs.
        let b = boxes(&["审核不严,共同作假", "超标准、未上会研究签批"]);
        assert_eq!(pair_lone(&b, &["核实"], &light), vec![(0, 0)]);
        // Light characters are no evidence; as many boxes as labels, in order.
        let b = boxes(&["未按规定进行", "超过时限"]);
        assert_eq!(
            pair_lone(&b, &["进行初审", "按时限办结"], &light),
            vec![(0, 0), (1, 1)]
        );
        // No evidence and unequal counts: no guess.
        assert_eq!(pair_lone(&b, &["进行初审"], &light), vec![]);
    }
}
