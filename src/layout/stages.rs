//! The usual order of a procedure's stages (申请 → 受理 → 审查 → 决定 → 送达
//! → 事后监管 → 办结), used where the document gives no geometry: a .doc
//! whose step boxes were anchored bottom-up lists a run of them backwards
//! (`接到线索 事后监管 决定 审查 检查 立案 办结`), and a person reading it
//! puts them the right way round. Stages live in `rules/steps.toml`
//! `[stages]`.

/// Stage words in the order a procedure passes through them; words in one
/// group share a place (`审批`, `批准`, `决定`).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stages {
    pub order: Vec<Vec<String>>,
}

impl Stages {
    /// The place of the stage a step name ends in (`审批决定` → 决定,
    /// `分管领导批准` → 批准): the stage word that ends latest in the name,
    /// the longest of those that end together.
    fn place(&self, name: &str) -> Option<usize> {
        let mut best: Option<(usize, usize, usize)> = None; // (end, len, place)
        for (place, group) in self.order.iter().enumerate() {
            for word in group {
                if let Some(at) = name.rfind(word.as_str()) {
                    let key = (at + word.len(), word.len(), place);
                    if best.is_none_or(|b| (key.0, key.1) > (b.0, b.1)) {
                        best = Some(key);
                    }
                }
            }
        }
        best.map(|b| b.2)
    }
}

/// The order in which to read a chart's steps (indices into `names`): as
/// given, or with the longest run of at least three steps whose stages
/// stand strictly backwards (each step's stage before the previous one's)
/// turned round. Steps the stages do not know break a run: a chart's own
/// names (`材料齐全`, an arrow label) are not turned on a guess.
pub fn process_order(names: &[String], stages: &Stages) -> Vec<usize> {
    let mut order: Vec<usize> = (0..names.len()).collect();
    let place: Vec<Option<usize>> = names.iter().map(|s| stages.place(s)).collect();
    let mut best: Option<(usize, usize)> = None; // (start, len)
    let mut start = 0;
    for i in 0..=place.len() {
        let goes_on = i > start
            && i < place.len()
            && matches!((place[i - 1], place[i]), (Some(a), Some(b)) if b < a);
        if goes_on {
            continue;
        }
        let len = i - start;
        if len >= 3 && best.is_none_or(|(_, l)| len > l) {
            best = Some((start, len));
        }
        start = i;
    }
    if let Some((i, len)) = best {
        order[i..i + len].reverse();
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(s: &str) -> Vec<String> {
        s.split(' ').map(String::from).collect()
    }

    fn read(s: &str) -> String {
        let names = names(s);
        let stages = crate::rules::Rules::builtin().stages;
        process_order(&names, &stages)
            .into_iter()
            .map(|i| names[i].clone())
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn a_run_of_steps_given_backwards_is_turned_round() {
        assert_eq!(
            read("接到线索 事后监管 决定 审查 检查 立案 办结"),
            "接到线索 立案 检查 审查 决定 事后监管 办结"
        );
        assert_eq!(
            read("申请 事后监管 送达 审批决定 审查 受理 办结"),
            "申请 受理 审查 审批决定 送达 事后监管 办结"
        );
    }

    #[test]
    fn steps_in_order_or_unknown_stay_as_given() {
        let given = "申请 受理 审查 决定备案 送达 事后监管 办结";
        assert_eq!(read(given), given);
        // One pair backwards is not enough evidence.
        assert_eq!(read("申请 审查 受理 拟写公文"), "申请 审查 受理 拟写公文");
        // A step the stages do not know breaks the run.
        assert_eq!(read("决定 初审合格 不予 受理"), "决定 初审合格 不予 受理");
        assert_eq!(read("批准 初审 初审 受理"), "批准 初审 初审 受理");
        // Names the stages do not know.
        assert_eq!(read("计划 准备 管理 考察"), "计划 准备 管理 考察");
        // A pair the right way inside: no run of three.
        assert_eq!(read("送达 受理 决定 审查"), "送达 受理 决定 审查");
    }
}
