#!/usr/bin/env bash
# Regenerate the OpenDocument (.odt) and RTF fixtures under fixtures/odt/ and
# fixtures/rtf/ from the Word fixtures, with LibreOffice Writer.
# Needs `soffice` (e.g. the libreoffice-writer-nogui package); not run by
# tests or CI: the output is committed. The expected catalogs beside each
# file are copies of their source's (scripts below), edited by hand only
# where the format cannot carry something (fixtures/README.md says where).
#
#   odt/gaoxin_boxes  flow chart, boxes anchored to page, margin and paragraph
#   odt/group_canvas  flow chart, boxes in a group and in a drawing canvas
#   odt/yilanbiao     一览表 table with cells merged down
#   rtf/gaoxin_boxes  the flow chart, from fixtures/doc/gaoxin_boxes.doc
#   rtf/yilanbiao     the table
#
# usage: scripts/make-odt-rtf-fixtures.sh
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
command -v soffice >/dev/null || { echo "soffice not found" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

convert() { # FORMAT INPUT OUTDIR
    # A private profile: a shared one locks when several conversions run at once.
    soffice -env:UserInstallation="file://$work/profile" --headless \
        --convert-to "$1" --outdir "$3" "$2" >/dev/null 2>&1
    local base="${2##*/}"
    echo "wrote $3/${base%.*}.$1"
}

mkdir -p "$root/fixtures/odt" "$root/fixtures/rtf"
for src in flow/gaoxin_boxes flow/group_canvas table/yilanbiao; do
    convert odt "$root/fixtures/$src.docx" "$root/fixtures/odt"
done
# LibreOffice's RTF export drops custom shapes (the rounded step boxes) and
# the page/margin anchoring of boxes it imported from .docx; from the .doc
# import it keeps them, so the flow chart goes .doc -> .rtf.
convert rtf "$root/fixtures/doc/gaoxin_boxes.doc" "$root/fixtures/rtf"
convert rtf "$root/fixtures/table/yilanbiao.docx" "$root/fixtures/rtf"
