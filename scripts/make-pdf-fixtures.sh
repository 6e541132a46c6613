#!/usr/bin/env bash
# Regenerate the PDF fixtures under fixtures/pdf/ by printing the flow, table,
# list and prose fixtures to PDF with LibreOffice, plus one scanned
# (image-only) page. Needs `soffice` (libreoffice-writer-nogui), a CJK font
# (fonts-noto-cjk),
# pdftoppm (poppler-utils), img2pdf and iconv;
# not run by tests or CI: the PDFs are committed.
#
#   flow_*.pdf      fixtures/flow/*.docx printed (text boxes → stroked rectangles)
#   table_*.pdf     fixtures/table/*.docx printed (ruled cells)
#   list_gb18030.pdf, prose_gbk.pdf   fixtures/text/ printed (text converted to UTF-8 first)
#   scanned.pdf     page 1 of flow_gaoxin_boxes.pdf rendered to a PNG and wrapped as an image-only PDF
#
# usage: scripts/make-pdf-fixtures.sh
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/fixtures/pdf"
for tool in soffice pdftoppm img2pdf iconv; do
    command -v "$tool" >/dev/null || { echo "$tool not found" >&2; exit 1; }
done
mkdir -p "$out"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT


topdf() { # input, output name
    # A private profile: a shared one locks when several conversions run at once.
    soffice -env:UserInstallation="file://$work/profile" --headless \
        --convert-to pdf --outdir "$work" "$1" >/dev/null 2>&1
    local base
    base="$(basename "${1%.*}")"
    mv "$work/$base.pdf" "$out/$2.pdf"
    echo "wrote $out/$2.pdf"
}

# LibreOffice lays the Chinese text out taller than Word does and places
# paragraph-anchored boxes by its own reckoning: some boxes' text overflows
# into the box below, and a few boxes overlap a title. Those charts are
# printed as LibreOffice shows them; their expected files say what differs.
for f in gaoxin_boxes group_canvas mixed wps_vml; do topdf "$root/fixtures/flow/$f.docx" "flow_$f"; done
for f in gangwei yilanbiao; do topdf "$root/fixtures/table/$f.docx" "table_$f"; done

# LibreOffice guesses a .txt file's encoding poorly: hand it UTF-8.
iconv -f GB18030 -t UTF-8 "$root/fixtures/text/list_gb18030.txt" >"$work/list_gb18030.txt"
topdf "$work/list_gb18030.txt" list_gb18030
iconv -f GBK -t UTF-8 "$root/fixtures/text/prose_gbk.html" \
    | sed 's/charset="gbk"/charset="utf-8"/Ig; s/charset=gbk/charset=utf-8/Ig' >"$work/prose_gbk.html"
topdf "$work/prose_gbk.html" prose_gbk

# A scan: one page as a picture, no text.
pdftoppm -r 100 -f 1 -l 1 -png "$out/flow_gaoxin_boxes.pdf" "$work/scan"
img2pdf --pagesize A4 -o "$out/scanned.pdf" "$work"/scan*.png
echo "wrote $out/scanned.pdf"
