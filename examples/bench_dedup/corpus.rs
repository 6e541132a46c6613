//! Generated corpora with known true clusters, for the dedup benchmark.
//!
//! Written independently of riskflow's matcher (it uses strsim and its own
//! clause splitting), from the definition in issue 13: a line is a sequence
//! of clauses; a different clause (added, dropped, replaced, negated) is a
//! different risk; a typo is one or two characters changed inside a clause.
//!
//! 1. **Clause vocabulary**: the clauses of `phrases.txt` (real lines from
//!    the seed charts), split on `，；。、,;.`, keeping a clause only when it
//!    is at least 3 edits from every clause kept before (so no two clauses of
//!    the vocabulary are a typo apart and the truth is unambiguous).
//! 2. **Bases** (true clusters): the real lines whose clauses are all in the
//!    vocabulary, then *families* of lines near each other by whole clauses
//!    (a template of 2–4 clauses and siblings with one clause replaced,
//!    added, dropped or negated — what a whole-string ratio merges), then
//!    lines joined from random clauses. Every base is a distinct clause
//!    sequence with a distinct concatenation.
//! 3. **Lines**: a base picked with a skew (`u^skew`), written as is, with
//!    formatting only (markers, width, spaces, separators swapped, trailing
//!    `。`), with 1–2 typos inside clauses (random hanzi substituted, a
//!    particle inserted, a character deleted; never a negation inserted or
//!    deleted), with a known slip (未→朱, 需→霄 …), or with a character outside
//!    GB2312. A third of the content variants are also reformatted.

use std::collections::HashSet;

/// Real lines, one a line (`#` starts a comment).
const PHRASES: &str = include_str!("phrases.txt");

/// Clause separators of the truth model (full and half width).
const SEPARATORS: &[char] = &['，', '；', '。', '、', ',', ';', '.'];

const NEGATIONS: &[char] = &['不', '未', '无', '没', '非', '否', '勿'];

const PARTICLES: &[char] = &['的', '了', '和', '及', '并', '等'];

/// Look-alike and same-sound slips seen in real charts.
const SLIPS: &[(char, char)] = &[
    ('未', '朱'),
    ('需', '霄'),
    ('原', '照'),
    ('予', '子'),
    ('己', '已'),
    ('责', '贵'),
    ('管', '官'),
    ('办', '力'),
    ('审', '宙'),
    ('受', '爱'),
    ('格', '各'),
    ('弱', '反'),
];

/// Hanzi outside GB2312.
const RARE: &[char] = &['鶐', '喆', '堃', '昇', '燊', '鑫'];

const MARKERS: &[&str] = &[
    "1.",
    "2、",
    "（3）",
    "①",
    "1",
    "４．",
    "(2)",
    "一、",
    "措施一：",
    "3..",
    "• ",
];

/// The shape of one corpus.
pub struct Mix {
    pub name: &'static str,
    pub seed: u64,
    pub bases: usize,
    /// Share of the bases made in families sharing whole clauses.
    pub family_share: f64,
    /// Siblings per family, inclusive range.
    pub family_size: (usize, usize),
    pub max_clauses: usize,
    /// Base `b` is picked as `u^skew × bases`: larger skews concentrate
    /// lines on fewer bases.
    pub skew: f64,
    /// Line kinds, as shares; the rest are typos plus formatting.
    pub as_is: f64,
    pub format: f64,
    pub typo: f64,
    pub slip: f64,
    pub rare: f64,
}

/// The corpus the rules were tuned on.
pub const TUNE: Mix = Mix {
    name: "tune",
    seed: 0x5EED_2026_D1CE_0001,
    bases: 12_000,
    family_share: 0.4,
    family_size: (2, 4),
    max_clauses: 3,
    skew: 2.0,
    as_is: 0.55,
    format: 0.22,
    typo: 0.14,
    slip: 0.04,
    rare: 0.02,
};

/// A second corpus, never tuned on: another seed, more and flatter bases
/// (about three times as many distinct texts), more families, longer
/// lines, more typos.
pub const HELD_OUT: Mix = Mix {
    name: "held-out",
    seed: 0xB1A5_0F13_7777_0002,
    bases: 40_000,
    family_share: 0.6,
    family_size: (2, 6),
    max_clauses: 4,
    skew: 1.4,
    as_is: 0.42,
    format: 0.24,
    typo: 0.22,
    slip: 0.05,
    rare: 0.03,
};

/// One true cluster: its clauses, the separators between them, and whether
/// the line ends with `。`.
#[derive(Clone)]
pub struct Base {
    pub clauses: Vec<String>,
    seps: Vec<char>,
    full_stop: bool,
    /// Family number, if it was made in one.
    pub family: Option<u32>,
}

impl Base {
    pub fn render(&self) -> String {
        render(&self.clauses, &self.seps, self.full_stop)
    }
}

fn render(clauses: &[String], seps: &[char], full_stop: bool) -> String {
    let mut out = String::new();
    for (i, c) in clauses.iter().enumerate() {
        if i > 0 {
            out.push(seps[i - 1]);
        }
        out.push_str(c);
    }
    if full_stop {
        out.push('。');
    }
    out
}

pub struct Corpus {
    pub lines: Vec<String>,
    /// True cluster (base index) of every line.
    pub truth: Vec<u32>,
    pub bases: Vec<Base>,
}

/// xorshift64*: small, fast, and the same on every machine.
pub struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

fn is_hanzi(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

/// A clause's content as compared: letters and digits only.
fn content(clause: &str) -> String {
    clause.chars().filter(|c| c.is_alphanumeric()).collect()
}

pub fn generate(mix: &Mix, lines: usize) -> Corpus {
    let mut rng = Rng(mix.seed);
    let vocab = vocabulary();
    let bases = make_bases(&mut rng, mix, &vocab);
    let pool: Vec<char> = PHRASES
        .chars()
        .filter(|&c| is_hanzi(c) && !NEGATIONS.contains(&c))
        .collect();
    let mut out = Vec::with_capacity(lines);
    let mut truth = Vec::with_capacity(lines);
    for _ in 0..lines {
        let u = rng.unit();
        let b = ((u.powf(mix.skew) * bases.len() as f64) as usize).min(bases.len() - 1);
        let base = &bases[b];
        let roll = rng.unit();
        let mut edges = (mix.as_is, mix.as_is + mix.format, 0.0, 0.0, 0.0);
        edges.2 = edges.1 + mix.typo;
        edges.3 = edges.2 + mix.slip;
        edges.4 = edges.3 + mix.rare;
        let text = if roll < edges.0 {
            base.render()
        } else if roll < edges.1 {
            reformat(&mut rng, &base.render())
        } else {
            let varied = if roll < edges.2 || roll >= edges.4 {
                typo(&mut rng, base, &pool)
            } else if roll < edges.3 {
                slip(&mut rng, base).unwrap_or_else(|| typo(&mut rng, base, &pool))
            } else {
                rare(&mut rng, base)
            };
            if roll >= edges.4 || rng.below(3) == 0 {
                reformat(&mut rng, &varied)
            } else {
                varied
            }
        };
        out.push(text);
        truth.push(b as u32);
    }
    Corpus {
        lines: out,
        truth,
        bases,
    }
}

/// Distinct clauses of the phrases, pairwise at least 3 edits apart.
fn vocabulary() -> Vec<String> {
    let mut kept: Vec<String> = Vec::new();
    let mut kept_content: Vec<Vec<char>> = Vec::new();
    for line in PHRASES.lines().filter(|l| !l.starts_with('#')) {
        for clause in line.split(SEPARATORS) {
            let clause = clause.trim();
            let c: Vec<char> = content(clause).chars().collect();
            let hanzi = c.iter().filter(|&&ch| is_hanzi(ch)).count();
            if hanzi < 2 || c.len() > 30 || clause.chars().next().is_some_and(|ch| !is_hanzi(ch)) {
                continue;
            }
            if kept_content.iter().any(|k| near(k, &c)) {
                continue;
            }
            kept_content.push(c);
            kept.push(clause.to_string());
        }
    }
    kept
}

/// Within 2 edits (a typo apart), by strsim.
fn near(a: &[char], b: &[char]) -> bool {
    if a.len().abs_diff(b.len()) > 2 {
        return false;
    }
    let (a, b): (String, String) = (a.iter().collect(), b.iter().collect());
    strsim::levenshtein(&a, &b) <= 2
}

fn make_bases(rng: &mut Rng, mix: &Mix, vocab: &[String]) -> Vec<Base> {
    let vocab_set: HashSet<&str> = vocab.iter().map(String::as_str).collect();
    let mut seen_seq: HashSet<Vec<String>> = HashSet::new();
    let mut seen_concat: HashSet<String> = HashSet::new();
    let mut bases: Vec<Base> = Vec::new();
    let mut try_add =
        |clauses: Vec<String>, rng: &mut Rng, family: Option<u32>, bases: &mut Vec<Base>| {
            let contents: Vec<String> = clauses.iter().map(|c| content(c)).collect();
            let concat: String = contents.concat();
            if clauses.is_empty() || concat.chars().count() > 60 {
                return false;
            }
            if seen_seq.contains(&contents) || seen_concat.contains(&concat) {
                return false;
            }
            seen_seq.insert(contents);
            seen_concat.insert(concat);
            let seps = (1..clauses.len())
                .map(|_| *rng.pick(&['，', '，', '，', '；', '、']))
                .collect();
            bases.push(Base {
                clauses,
                seps,
                full_stop: rng.below(3) > 0,
                family,
            });
            true
        };
    // Real lines whose clauses are all in the vocabulary.
    for line in PHRASES.lines().filter(|l| !l.starts_with('#')) {
        let clauses: Vec<String> = line
            .split(SEPARATORS)
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_string)
            .collect();
        if clauses.iter().all(|c| vocab_set.contains(c.as_str())) {
            try_add(clauses, rng, None, &mut bases);
        }
    }
    let family_target = (mix.bases as f64 * mix.family_share) as usize;
    let mut families = 0u32;
    let mut made_in_families = 0;
    let mut attempts = 0;
    while made_in_families < family_target && attempts < mix.bases * 50 {
        attempts += 1;
        let k = 2 + rng.below(mix.max_clauses - 1);
        let template: Vec<String> = (0..k).map(|_| rng.pick(vocab).clone()).collect();
        let size = mix.family_size.0 + rng.below(mix.family_size.1 - mix.family_size.0 + 1);
        let mut members = vec![template.clone()];
        for _ in 1..size {
            let mut m = template.clone();
            let at = rng.below(m.len());
            match rng.below(4) {
                0 => m[at] = rng.pick(vocab).clone(),
                1 if m.len() < mix.max_clauses + 1 => {
                    m.insert(rng.below(m.len() + 1), rng.pick(vocab).clone())
                }
                2 if m.len() > 1 => {
                    m.remove(at);
                }
                _ => match negate(&m[at], vocab) {
                    Some(n) => m[at] = n,
                    None => m[at] = rng.pick(vocab).clone(),
                },
            }
            members.push(m);
        }
        let mut added = 0;
        for m in members {
            if try_add(m, rng, Some(families), &mut bases) {
                added += 1;
            }
        }
        if added > 0 {
            families += 1;
            made_in_families += added;
        }
    }
    let mut attempts = 0;
    while bases.len() < mix.bases && attempts < mix.bases * 50 {
        attempts += 1;
        let k = 1 + rng.below(mix.max_clauses);
        let clauses: Vec<String> = (0..k).map(|_| rng.pick(vocab).clone()).collect();
        try_add(clauses, rng, None, &mut bases);
    }
    // Shuffle, so that frequency does not follow the way bases were made.
    for i in (1..bases.len()).rev() {
        let j = rng.below(i + 1);
        bases.swap(i, j);
    }
    bases
}

/// The clause stated as its opposite (`不` added, or a leading negation
/// dropped), unless that lands a typo away from another clause.
fn negate(clause: &str, vocab: &[String]) -> Option<String> {
    let first = clause.chars().next()?;
    let n = if NEGATIONS.contains(&first) {
        clause.chars().skip(1).collect::<String>()
    } else {
        format!("不{clause}")
    };
    let c: Vec<char> = content(&n).chars().collect();
    if c.len() < 2 {
        return None;
    }
    let clash = vocab.iter().any(|v| {
        let v: Vec<char> = content(v).chars().collect();
        v != content(clause).chars().collect::<Vec<_>>() && near(&v, &c)
    });
    (!clash).then_some(n)
}

/// One or two character edits inside clauses: at most one in a clause of
/// fewer than 6 characters, none in a clause of fewer than 3, two only in a
/// line of at least 8 characters; never a negation inserted or deleted.
fn typo(rng: &mut Rng, base: &Base, pool: &[char]) -> String {
    let mut clauses: Vec<Vec<char>> = base.clauses.iter().map(|c| c.chars().collect()).collect();
    let total: usize = clauses.iter().map(Vec::len).sum();
    let wanted = if total >= 8 && rng.below(3) == 0 {
        2
    } else {
        1
    };
    let mut done = vec![0usize; clauses.len()];
    let mut made = 0;
    for _ in 0..wanted * 8 {
        if made == wanted {
            break;
        }
        let i = rng.below(clauses.len());
        let len = clauses[i].len();
        let cap = if len >= 6 {
            2
        } else if len >= 3 {
            1
        } else {
            0
        };
        if done[i] >= cap {
            continue;
        }
        let c = &mut clauses[i];
        let at = rng.below(c.len());
        match rng.below(10) {
            0..=5 => {
                let new = *rng.pick(pool);
                if new == c[at] || !is_hanzi(c[at]) {
                    continue;
                }
                c[at] = new;
            }
            6..=7 => {
                if NEGATIONS.contains(&c[at]) || c.len() <= 3 {
                    continue;
                }
                c.remove(at);
            }
            _ => c.insert(at, *rng.pick(PARTICLES)),
        }
        done[i] += 1;
        made += 1;
    }
    let clauses: Vec<String> = clauses
        .into_iter()
        .map(|c| c.into_iter().collect())
        .collect();
    render(&clauses, &base.seps, base.full_stop)
}

/// A known slip in one clause, if the base has a slipping character.
fn slip(rng: &mut Rng, base: &Base) -> Option<String> {
    let start = rng.below(SLIPS.len());
    let (right, wrong) = (0..SLIPS.len())
        .map(|i| SLIPS[(start + i) % SLIPS.len()])
        .find(|(right, _)| base.clauses.iter().any(|c| c.contains(*right)))?;
    let mut clauses = base.clauses.clone();
    let c = clauses.iter_mut().find(|c| c.contains(right))?;
    *c = c.replacen(right, &wrong.to_string(), 1);
    Some(render(&clauses, &base.seps, base.full_stop))
}

/// One hanzi of a clause of 4 or more characters replaced by a rare one.
fn rare(rng: &mut Rng, base: &Base) -> String {
    let mut clauses = base.clauses.clone();
    let long: Vec<usize> = (0..clauses.len())
        .filter(|&i| clauses[i].chars().count() >= 4)
        .collect();
    if let Some(&i) = long.get(rng.below(long.len().max(1))) {
        let mut chars: Vec<char> = clauses[i].chars().collect();
        let at = rng.below(chars.len());
        if is_hanzi(chars[at]) && !NEGATIONS.contains(&chars[at]) {
            chars[at] = *rng.pick(RARE);
        }
        clauses[i] = chars.into_iter().collect();
    }
    render(&clauses, &base.seps, base.full_stop)
}

/// Formatting only: list markers, width, spaces, separators swapped,
/// trailing punctuation.
fn reformat(rng: &mut Rng, text: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for _ in 0..1 + rng.below(3) {
        match rng.below(6) {
            0 => {
                let marker: Vec<char> = rng.pick(MARKERS).chars().collect();
                chars.splice(0..0, marker);
            }
            1 => {
                if chars.last() == Some(&'。') {
                    chars.pop();
                    if rng.below(2) == 0 {
                        chars.push(*rng.pick(&['.', '；', ';']));
                    }
                } else {
                    chars.push('。');
                }
            }
            2 => {
                let at = rng.below(chars.len() + 1);
                chars.insert(at, *rng.pick(&[' ', '\u{3000}', ' ']));
            }
            3 => {
                for c in chars.iter_mut() {
                    *c = match *c {
                        '，' => ',',
                        ',' => '，',
                        '；' => ';',
                        ';' => '；',
                        '：' => ':',
                        '（' => '(',
                        '）' => ')',
                        d @ '0'..='9' => {
                            char::from_u32(d as u32 - '0' as u32 + 0xFF10).unwrap_or(d)
                        }
                        other => other,
                    };
                }
            }
            4 => {
                // One separator swapped for another.
                let seps: Vec<usize> = (0..chars.len())
                    .filter(|&i| {
                        matches!(chars[i], '，' | '；' | '、' | ',' | ';') && i + 1 < chars.len()
                    })
                    .collect();
                if !seps.is_empty() {
                    let i = seps[rng.below(seps.len())];
                    chars[i] = *rng.pick(&['，', '；', '、', ',']);
                }
            }
            _ => {
                // A space after a separator, as typed in Word.
                if let Some(i) = chars.iter().position(|&c| c == '，') {
                    chars.insert(i + 1, ' ');
                }
            }
        }
    }
    chars.into_iter().collect()
}
