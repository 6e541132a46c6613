#!/usr/bin/env bash
# Regenerate the Word 97 (.doc) fixtures under fixtures/doc/ and tests/data/doc/ with LibreOffice.
# Needs `soffice` (e.g. the libreoffice-writer-nogui package) and python3;
# not run by tests or CI: the .doc output is committed.
#
#   gaoxin_boxes.doc, group_canvas.doc  flow-chart .docx fixtures converted
#   numbering.doc                       Chinese list formats, built here
#   merged_cells.doc                    a table with merged cells, built here
#
# usage: scripts/make-doc-fixtures.sh [FLOW_DIR]
#   FLOW_DIR holds the flow-chart .docx inputs (default: fixtures/flow)
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
src="${1:-$root/fixtures/flow}"
out="$root/fixtures/doc"

command -v soffice >/dev/null || { echo "soffice not found" >&2; exit 1; }
mkdir -p "$out"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# One paragraph list per number format, 12 items each, label "%1、".
python3 - "$work/numbering.docx" <<'PY'
import sys, zipfile
fmts = ["chineseCounting", "chineseCountingThousand", "chineseLegalSimplified",
        "ideographTraditional", "decimalFullWidth", "upperRoman"]
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
ct = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
      '<Default Extension="xml" ContentType="application/xml"/>'
      '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
      '<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/></Types>')
rel = '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{}</Relationships>'
top = rel.format('<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>')
doc_rel = rel.format('<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>')
abstract = "".join(
    f'<w:abstractNum w:abstractNumId="{i}"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="{f}"/>'
    f'<w:lvlText w:val="%1、"/><w:suff w:val="nothing"/></w:lvl></w:abstractNum>' for i, f in enumerate(fmts))
nums = "".join(f'<w:num w:numId="{i + 1}"><w:abstractNumId w:val="{i}"/></w:num>' for i in range(len(fmts)))
paras = "".join(
    f'<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="{i + 1}"/></w:numPr></w:pPr><w:r><w:t>{f} {k + 1}</w:t></w:r></w:p>'
    for i, f in enumerate(fmts) for k in range(12))
with zipfile.ZipFile(sys.argv[1], "w") as z:
    z.writestr("[Content_Types].xml", ct)
    z.writestr("_rels/.rels", top)
    z.writestr("word/_rels/document.xml.rels", doc_rel)
    z.writestr("word/numbering.xml", f'<?xml version="1.0" encoding="UTF-8"?><w:numbering {W}>{abstract}{nums}</w:numbering>')
    z.writestr("word/document.xml", f'<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>{paras}</w:body></w:document>')
PY

# A 3-column table with a vertical merge (风险点, two rows) and a
# horizontal one (防控措施, two columns).
python3 - "$work/merged_cells.docx" <<'PY'
import sys, zipfile
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
ct = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
      '<Default Extension="xml" ContentType="application/xml"/>'
      '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
top = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
       '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
def tc(text, extra=""):
    return f'<w:tc><w:tcPr><w:tcW w:w="2000" w:type="dxa"/>{extra}</w:tcPr><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>'
rows = [
    tc("环节") + tc("风险点") + tc("等级"),
    tc("受理", '<w:vMerge w:val="restart"/>') + tc("不一次性告知") + tc("低"),
    tc("", "<w:vMerge/>") + tc("超时办理") + tc("中"),
    tc("防控措施", '<w:gridSpan w:val="2"/>') + tc("责任人"),
]
grid = '<w:tblGrid><w:gridCol w:w="2000"/><w:gridCol w:w="2000"/><w:gridCol w:w="2000"/></w:tblGrid>'
table = "<w:tbl><w:tblPr><w:tblW w:w=\"6000\" w:type=\"dxa\"/></w:tblPr>" + grid + "".join(f"<w:tr>{r}</w:tr>" for r in rows) + "</w:tbl>"
body = f'<w:p><w:r><w:t>合并单元格</w:t></w:r></w:p>{table}<w:p/>'
with zipfile.ZipFile(sys.argv[1], "w") as z:
    z.writestr("[Content_Types].xml", ct)
    z.writestr("_rels/.rels", top)
    z.writestr("word/document.xml", f'<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>{body}</w:body></w:document>')
PY

# Charts go to fixtures/doc/ (golden tests, the demo); the reader's own
# test documents to tests/data/doc/ (tests/corpus_doc.rs).
convert() {
    # A private profile: a shared one locks when several conversions run at once.
    soffice -env:UserInstallation="file://$work/profile" --headless \
        --convert-to doc:"MS Word 97" --outdir "$2" "$1" >/dev/null 2>&1
    echo "wrote $2/$(basename "${1%.docx}").doc"
}
for f in "$src/gaoxin_boxes.docx" "$src/group_canvas.docx"; do convert "$f" "$out"; done
mkdir -p "$root/tests/data/doc"
for f in "$work/numbering.docx" "$work/merged_cells.docx"; do convert "$f" "$root/tests/data/doc"; done
