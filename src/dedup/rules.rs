//! The tunable part of dedup, read from `rules/dedup.toml`.

use serde::Deserialize;

use super::minhash::Family;

/// Thresholds and word lists for clustering and typo detection.
/// `Default` equals `rules/dedup.toml` (a test keeps them in step).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DedupRules {
    /// Minimum edit similarity `1 - lev / longer length` for a near-duplicate.
    pub threshold: f64,
    /// Character n-gram size for MinHash.
    pub ngram: usize,
    /// MinHash bands ...
    pub bands: usize,
    /// ... of this many rows each.
    pub rows: usize,
    /// Keys up to this many characters also get bands over single
    /// characters ...
    pub short_max_chars: usize,
    /// ... this many of them, of `short_rows` rows each.
    pub short_bands: usize,
    pub short_rows: usize,
    /// Characters that may be substituted but never inserted or deleted
    /// between near-duplicates: they turn a statement into its opposite.
    pub negations: String,
    /// Longer keys are only grouped exactly.
    pub max_fuzzy_chars: usize,
    pub clause: ClauseRules,
    pub typo: TypoRules,
    #[serde(default)]
    pub confusions: Vec<Confusion>,
    /// Traditional forms (`rules/variants.toml`): not rare characters but
    /// another script, never reported as typos. Set when the rules load.
    #[serde(skip)]
    pub variants: crate::rules::Variants,
    /// People's decisions (`decisions.toml` in the rules folder, or
    /// `riskflow dedup --decisions FILE`): texts to merge or keep apart.
    #[serde(skip)]
    pub decisions: super::decisions::Decisions,
}

/// How lines split into clauses, and how far two clauses may differ.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClauseRules {
    /// Characters that end a clause (compared after NFKC width folding, so
    /// `，` and `,` are the same).
    pub separators: String,
    /// Most edits allowed inside one clause ...
    pub max_edits: usize,
    /// ... and at most `floor((1 - threshold) * clause length)` of them.
    pub threshold: f64,
}

impl ClauseRules {
    /// The separators after NFKC folding, as matched against keys.
    pub(crate) fn separator_chars(&self) -> Vec<char> {
        use unicode_normalization::UnicodeNormalization;
        let mut chars: Vec<char> = self.separators.nfkc().collect();
        chars.sort_unstable();
        chars.dedup();
        chars
    }

    /// Edits allowed between two clauses whose longer one has `len` chars.
    pub(crate) fn max_edits(&self, len: usize) -> usize {
        let t = if self.threshold.is_finite() {
            self.threshold.clamp(0.0, 1.0)
        } else {
            1.0
        };
        (((1.0 - t) * len as f64 + 1e-9).floor() as usize).min(self.max_edits)
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypoRules {
    pub max_edits: usize,
    pub min_ratio: usize,
    pub min_canonical: usize,
    pub rare_char_max: usize,
    pub rare_char_min_hanzi: usize,
}

/// A known wrong spelling and its correction.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Confusion {
    pub wrong: String,
    pub right: String,
}

/// The rule file shipped with riskflow, for `include_str!` by the loader.
pub const DEFAULT_RULES_TOML: &str = include_str!("../../rules/dedup.toml");

impl Default for DedupRules {
    fn default() -> Self {
        let confusion = |wrong: &str, right: &str| Confusion {
            wrong: wrong.to_string(),
            right: right.to_string(),
        };
        DedupRules {
            threshold: 0.7,
            ngram: 2,
            bands: 20,
            rows: 3,
            short_max_chars: 10,
            short_bands: 12,
            short_rows: 2,
            negations: "不未无没非否勿".to_string(),
            max_fuzzy_chars: 300,
            clause: ClauseRules {
                separators: "，；。、,;.".to_string(),
                max_edits: 2,
                threshold: 0.6,
            },
            typo: TypoRules {
                max_edits: 2,
                min_ratio: 3,
                min_canonical: 3,
                rare_char_max: 2,
                rare_char_min_hanzi: 4,
            },
            confusions: vec![
                confusion("朱按", "未按"),
                confusion("单簧管", "监管"),
                confusion("无照因", "无原因"),
                confusion("所霄", "所需"),
                confusion("准子", "准予"),
                confusion("不予县里", "不予受理"),
            ],
            variants: Default::default(),
            decisions: Default::default(),
        }
    }
}

impl DedupRules {
    /// Checks values that parse but make no sense, so a bad rule file is
    /// reported before any document is read. The message names the rule.
    pub fn validate(&self) -> Result<(), String> {
        if !(self.threshold > 0.0 && self.threshold <= 1.0) {
            return Err(format!(
                "dedup.toml: threshold = {} 应在 0 与 1 之间（不含 0）",
                self.threshold
            ));
        }
        if !(1..=8).contains(&self.ngram) {
            return Err(format!(
                "dedup.toml: ngram = {} 应在 1 到 8 之间",
                self.ngram
            ));
        }
        if self.bands == 0
            || self.rows == 0
            || self.short_rows == 0
            || self
                .bands
                .saturating_mul(self.rows)
                .saturating_add(self.short_bands.saturating_mul(self.short_rows))
                > 512
        {
            return Err(format!(
                "dedup.toml: bands = {}、rows = {}、short_bands = {}、short_rows = {} 中 bands、rows、short_rows 应为正数，且 bands × rows + short_bands × short_rows 不超过 512",
                self.bands, self.rows, self.short_bands, self.short_rows
            ));
        }
        if !(self.clause.threshold >= 0.0 && self.clause.threshold <= 1.0) {
            return Err(format!(
                "dedup.toml: clause.threshold = {} 应在 0 与 1 之间",
                self.clause.threshold
            ));
        }
        if self.typo.min_ratio == 0 {
            return Err("dedup.toml: typo.min_ratio 应至少为 1".to_string());
        }
        for c in &self.confusions {
            if c.wrong.is_empty() {
                return Err(format!(
                    "dedup.toml: confusions 中 wrong 为空（right = \"{}\"）",
                    c.right
                ));
            }
        }
        Ok(())
    }

    /// The MinHash band families, clamped to what `validate` accepts so
    /// that unchecked rules still cannot make clustering misbehave.
    pub(crate) fn families(&self) -> Vec<Family> {
        let rows = self.rows.clamp(1, 32);
        let long = Family {
            ngram: self.ngram.clamp(1, 8),
            bands: self.bands.clamp(1, 512 / rows),
            rows,
            max_chars: self.max_fuzzy_chars,
        };
        let short_rows = self.short_rows.clamp(1, 32);
        let short = Family {
            ngram: 1,
            bands: self.short_bands.min(512 / short_rows),
            rows: short_rows,
            max_chars: self.short_max_chars.min(self.max_fuzzy_chars),
        };
        if short.bands == 0 || short.max_chars == 0 {
            vec![long]
        } else {
            vec![long, short]
        }
    }

    /// Largest number of differing characters allowed between keys whose
    /// longer one has `len` characters.
    pub(crate) fn max_edits(&self, len: usize) -> usize {
        let t = if self.threshold.is_finite() {
            self.threshold.clamp(0.0, 1.0)
        } else {
            1.0
        };
        // The epsilon keeps 0.3 * 10 = 2.9999… from rounding down to 2.
        ((1.0 - t) * len as f64 + 1e-9).floor() as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_file_parses_into_default() {
        let parsed: DedupRules = toml::from_str(DEFAULT_RULES_TOML).unwrap();
        assert_eq!(parsed, DedupRules::default());
        assert_eq!(parsed.validate(), Ok(()));
    }

    #[test]
    fn max_edits_follows_threshold() {
        let r = DedupRules::default();
        let got: Vec<usize> = [3, 4, 5, 6, 7, 10, 20]
            .iter()
            .map(|&n| r.max_edits(n))
            .collect();
        assert_eq!(got, vec![0, 1, 1, 1, 2, 3, 6]);
    }

    #[test]
    fn clause_edits_follow_length_and_cap() {
        let r = DedupRules::default();
        let got: Vec<usize> = [2, 3, 4, 5, 7, 12]
            .iter()
            .map(|&n| r.clause.max_edits(n))
            .collect();
        assert_eq!(got, vec![0, 1, 1, 2, 2, 2]);
    }

    #[test]
    fn unknown_field_is_rejected() {
        let text = DEFAULT_RULES_TOML.replace("threshold = 0.7", "treshold = 0.7");
        assert!(toml::from_str::<DedupRules>(&text).is_err());
    }

    #[test]
    fn validate_names_bad_threshold() {
        let rules = DedupRules {
            threshold: 1.5,
            ..DedupRules::default()
        };
        assert!(rules.validate().unwrap_err().contains("threshold"));
    }
}
