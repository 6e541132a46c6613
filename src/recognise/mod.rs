//! Recognising fields in text: list markers, grades, responsible persons,
//! titles, names, steps, contacts. Pure functions of a line (or a box) and the rules.

pub mod fields;
pub mod grades;
pub mod markers;
