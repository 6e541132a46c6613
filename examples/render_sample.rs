//! Writes report.html for tests/data/sample_catalog.json to the path given
//! (for looking at the report in a browser without ingesting anything).
fn main() {
    let out = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "sample-report.html".into());
    let cat: riskflow::catalog::Catalog =
        serde_json::from_str(include_str!("../tests/data/sample_catalog.json")).unwrap();
    riskflow::write::html::write(&cat, std::path::Path::new(&out)).unwrap();
}
