#!/usr/bin/env bash
# Regenerate the Word 97 (.doc) fixtures under fixtures/doc/ by converting
# flow-chart .docx fixtures with LibreOffice. Needs `soffice` (e.g. the
# libreoffice-writer-nogui package); not run by tests or CI: the .doc output
# is committed.
#
# usage: scripts/make-doc-fixtures.sh [SOURCE_DIR]
#   SOURCE_DIR holds the .docx inputs (default: fixtures/flow)
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
src="${1:-$root/fixtures/flow}"
out="$root/fixtures/doc"
names=(gaoxin_boxes group_canvas)

command -v soffice >/dev/null || { echo "soffice not found" >&2; exit 1; }
mkdir -p "$out"
# A private profile: a shared one locks when several conversions run at once.
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
for n in "${names[@]}"; do
    soffice -env:UserInstallation="file://$profile" --headless \
        --convert-to doc:"MS Word 97" --outdir "$out" "$src/$n.docx" >/dev/null
    echo "wrote $out/$n.doc"
done
