//! Where text boxes sit on the page (filled in below).
use super::fib::Fib;
use super::story::Segment;
use crate::document::Rect;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    pub rect: Option<Rect>,
    pub page: u32,
}

#[derive(Debug, Default)]
pub struct Drawing {}

impl Drawing {
    pub fn read(_wd: &[u8], _table: &[u8], _fib: &Fib, _main: &[Segment]) -> Drawing {
        Drawing {}
    }
    pub fn text_box(&self, _index: u32, _lid: u32) -> Option<Place> {
        None
    }
}
