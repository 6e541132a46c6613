//! The PDF reader on the printed fixtures (`fixtures/pdf/`, made by
//! `scripts/make-pdf-fixtures.sh`): exact blocks, geometry and statuses.

use riskflow::document::{Block, BlockKind, Document, Rect};
use riskflow::read::{Format, Limits, read};

fn read_fixture(name: &str) -> Document {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/pdf")
        .join(name);
    let bytes = std::fs::read(&path).expect("fixture");
    let (format, doc) = read(&bytes, &Limits::default());
    assert_eq!(format, Format::Pdf);
    doc.expect("readable")
}

fn find<'a>(doc: &'a Document, text: &str) -> &'a Block {
    doc.blocks
        .iter()
        .find(|b| b.text == text)
        .unwrap_or_else(|| panic!("no block {text:?}"))
}

#[test]
fn flow_chart_boxes_keep_their_text_spaces_and_rectangles() {
    let doc = read_fixture("flow_group_canvas.pdf");
    assert!(doc.issues.is_empty(), "{:?}", doc.issues);
    // A step box: the stroked rounded rectangle, in EMU, with the two
    // spaces of the source measured from the gap.
    let step = find(&doc, "立  案");
    assert_eq!(step.kind, BlockKind::TextBox);
    assert_eq!(step.page, 0);
    let r = step.rect.expect("geometry");
    // The .docx box is at x=3175000, w=1219200: the printed one within 1 pt.
    assert!(
        (r.x - 3_175_000).abs() <= 12_700 && (r.w - 1_219_200).abs() <= 12_700,
        "{r:?}"
    );
    // Column header box: two centred lines stay two lines.
    assert_eq!(
        find(&doc, "风险点等级\n及表现形式").rect.map(|r| r.x),
        Some(4_622_800)
    );
}

#[test]
fn ruled_table_cells_with_merged_rows_and_a_continued_table() {
    let doc = read_fixture("table_yilanbiao.pdf");
    let cell = find(&doc, "协助XX党委加强党风廉政建设");
    assert_eq!(
        cell.kind,
        BlockKind::Cell {
            table: 0,
            row: 1,
            col: 0,
            row_span: 3,
            col_span: 1
        }
    );
    assert_eq!(
        cell.rect,
        Some(Rect {
            x: 1_145_540,
            y: 1_641_485,
            w: 878_840,
            h: 4_265_930
        })
    );
    // Page 2 goes on with the same table (same columns), rows counted on.
    let next = doc.blocks.iter().find(|b| b.page == 1).expect("page 2");
    assert!(
        matches!(next.kind, BlockKind::Cell { table: 0, row, .. } if row > 5),
        "{:?}",
        next.kind
    );
}

#[test]
fn a_scan_is_an_image_and_says_so() {
    let doc = read_fixture("scanned.pdf");
    assert_eq!(doc.blocks.len(), 1);
    assert_eq!(doc.blocks[0].kind, BlockKind::Image);
    assert_eq!(doc.issues.len(), 1);
    assert_eq!(doc.issues[0].code, "source.image_only");
}
