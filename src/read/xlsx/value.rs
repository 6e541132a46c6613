//! A cell value as Excel would display it, near enough for text work:
//! strings as is, numbers without a spurious `.0`, dates as ISO dates,
//! booleans `TRUE`/`FALSE`; errors and blanks give nothing.

use calamine::{DataRef, ExcelDateTime};

pub(super) fn display(v: &DataRef<'_>) -> Option<String> {
    let text = match v {
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => s.to_string(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => number(*f)?,
        DataRef::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        DataRef::DateTime(d) => date_time(d)?,
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(_) | DataRef::Empty => return None,
    };
    (!text.trim().is_empty()).then_some(text)
}

/// Excel shows at most 15 significant digits and no trailing zeros.
pub(super) fn number(f: f64) -> Option<String> {
    if !f.is_finite() {
        return None;
    }
    if f.fract() == 0.0 && f.abs() < 1e15 {
        return Some(format!("{}", f as i64));
    }
    let rounded: f64 = format!("{f:.14e}").parse().unwrap_or(f);
    Some(format!("{rounded}"))
}

fn date_time(d: &ExcelDateTime) -> Option<String> {
    let serial = d.as_f64();
    if d.is_duration() {
        let secs = (serial * 86_400.0).round();
        if !secs.is_finite() || secs.abs() > 1e12 {
            return number(serial);
        }
        let secs = secs as i64;
        let sign = if secs < 0 { "-" } else { "" };
        let secs = secs.abs();
        return Some(format!(
            "{sign}{}:{:02}:{:02}",
            secs / 3600,
            secs / 60 % 60,
            secs % 60
        ));
    }
    // Outside Excel's calendar the value is just a number.
    if !(0.0..2_958_466.0).contains(&serial) {
        return number(serial);
    }
    let (y, mo, da, h, mi, s, ms) = d.to_ymd_hms_milli();
    // Round to whole seconds the way Excel's default formats show them.
    let s = if ms >= 500 {
        s.saturating_add(1).min(59)
    } else {
        s
    };
    let has_time = h != 0 || mi != 0 || s != 0;
    Some(if serial < 1.0 && has_time {
        format!("{h:02}:{mi:02}:{s:02}")
    } else if has_time {
        format!("{y:04}-{mo:02}-{da:02} {h:02}:{mi:02}:{s:02}")
    } else {
        format!("{y:04}-{mo:02}-{da:02}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::ExcelDateTimeType;

    #[test]
    fn numbers_show_like_excel() {
        assert_eq!(number(3.0).as_deref(), Some("3"));
        assert_eq!(number(-12.0).as_deref(), Some("-12"));
        assert_eq!(number(0.1 + 0.2).as_deref(), Some("0.3"));
        assert_eq!(number(2.5).as_deref(), Some("2.5"));
        assert_eq!(number(f64::NAN), None);
    }

    #[test]
    fn values_become_display_text() {
        let dt = |v| DataRef::DateTime(ExcelDateTime::new(v, ExcelDateTimeType::DateTime, false));
        assert_eq!(display(&dt(45943.0)).as_deref(), Some("2025-10-13"));
        assert_eq!(
            display(&dt(45943.5)).as_deref(),
            Some("2025-10-13 12:00:00")
        );
        assert_eq!(display(&dt(0.75)).as_deref(), Some("18:00:00"));
        let dur = DataRef::DateTime(ExcelDateTime::new(1.5, ExcelDateTimeType::TimeDelta, false));
        assert_eq!(display(&dur).as_deref(), Some("36:00:00"));
        assert_eq!(display(&DataRef::Bool(true)).as_deref(), Some("TRUE"));
        assert_eq!(display(&DataRef::Float(7.0)).as_deref(), Some("7"));
        assert_eq!(
            display(&DataRef::SharedString("1、甲\n2、乙")).as_deref(),
            Some("1、甲\n2、乙")
        );
        assert_eq!(display(&DataRef::String("  ".into())), None);
        assert_eq!(
            display(&DataRef::Error(calamine::CellErrorType::Div0)),
            None
        );
        assert_eq!(display(&DataRef::Empty), None);
    }
}
