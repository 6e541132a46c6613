//! The `table` layout (not built yet: no segment is recognised as table).

use super::draft::ChartDraft;
use crate::document::Block;
use crate::rules::Rules;

/// The charts of this segment when it has the table shape, else None.
pub fn read(_seg: &[&Block], _rules: &Rules) -> Option<Vec<ChartDraft>> {
    None
}
