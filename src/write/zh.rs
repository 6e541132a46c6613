//! The contract's codes in the users' words, for the outputs people read
//! (the workbook and the report). JSON, CSV and SQLite keep the codes.

/// 高 / 中 / 低 for a grade level.
pub fn level(code: &str) -> Option<&'static str> {
    Some(match code {
        "high" => "高",
        "medium" => "中",
        "low" => "低",
        _ => return None,
    })
}

/// The grade scale: 文字 (风险等级：高), 字母 (B级), 星级 (★★★), 级别 (一级风险).
pub fn scale(code: &str) -> Option<&'static str> {
    Some(match code {
        "word" => "文字",
        "letter" => "字母",
        "stars" => "星级",
        "tier" => "级别",
        _ => return None,
    })
}

/// 错误 / 警告 / 提示 for a finding severity.
pub fn severity(code: &str) -> Option<&'static str> {
    Some(match code {
        "error" => "错误",
        "warning" => "警告",
        "info" => "提示",
        _ => return None,
    })
}

/// The source status.
pub fn status(code: &str) -> Option<&'static str> {
    Some(match code {
        "ok" => "正常",
        "partial" => "部分读取",
        "failed" => "失败",
        "skipped" => "跳过",
        _ => return None,
    })
}

/// The chart layout.
pub fn layout(code: &str) -> Option<&'static str> {
    Some(match code {
        "flow" => "流程图",
        "table" => "一览表",
        "list" => "列表",
        "prose" => "文字",
        _ => return None,
    })
}

/// The kind of a text cluster.
pub fn text_kind(code: &str) -> Option<&'static str> {
    Some(match code {
        "risk" => "风险",
        "measure" => "措施",
        _ => return None,
    })
}

/// The kind of a contact number.
pub fn contact(code: &str) -> Option<&'static str> {
    Some(match code {
        "service" => "服务电话",
        "supervision" => "监督电话",
        "complaint" => "投诉电话",
        _ => return None,
    })
}

/// Where a chart's name came from (`Chart.name_from`).
pub fn name_from(code: &str) -> Option<&'static str> {
    Some(match code {
        "label" => "名称行",
        "title" => "标题",
        "heading" => "上方标题",
        "file" => "文件名",
        _ => return None,
    })
}

/// A cell of the flat tables in Chinese, for the columns that hold codes;
/// None leaves the cell as it is.
pub fn cell(table: &str, column: &str, value: &str) -> Option<&'static str> {
    match (table, column) {
        ("sources", "status") => status(value),
        ("charts", "layout") => layout(value),
        ("charts", "name_from") => name_from(value),
        ("risk_points", "grade_level") => level(value),
        ("risk_points", "grade_scale") => scale(value),
        ("texts", "kind") => text_kind(value),
        ("findings", "severity") => severity(value),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_of_the_contract_have_words_and_others_are_left_alone() {
        assert_eq!(cell("risk_points", "grade_level", "medium"), Some("中"));
        assert_eq!(cell("findings", "severity", "warning"), Some("警告"));
        assert_eq!(cell("charts", "layout", "flow"), Some("流程图"));
        assert_eq!(cell("sources", "status", "ok"), Some("正常"));
        assert_eq!(cell("findings", "code", "grade.missing"), None);
        assert_eq!(cell("charts", "layout", "mosaic"), None);
    }
}
