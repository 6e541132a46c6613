#!/usr/bin/env bash
# Regenerate the Excel 97–2003 (.xls) fixtures under fixtures/excel/ with
# LibreOffice Calc. Needs `soffice` with Calc (e.g. the
# libreoffice-calc-nogui package); not run by tests or CI: the .xls output is
# committed.
#
#   yilanbiao.xls   fixtures/excel/yilanbiao.xlsx (written by
#                   `cargo run --example make_fixtures`) saved as .xls; it
#                   shares yilanbiao.expected.json with the .xlsx
#
# usage: scripts/make-xls-fixtures.sh
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
dir="$root/fixtures/excel"

command -v soffice >/dev/null || { echo "soffice not found" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

for name in yilanbiao; do
    cp "$dir/$name.xlsx" "$work/$name.xlsx"
    # A private profile, so a running LibreOffice does not take the job.
    soffice -env:UserInstallation="file://$work/profile" --headless \
        --convert-to xls --outdir "$work/out" "$work/$name.xlsx" >/dev/null
    test -s "$work/out/$name.xls" || { echo "conversion of $name.xlsx failed" >&2; exit 1; }
    cp "$work/out/$name.xls" "$dir/$name.xls"
    echo "fixtures/excel/$name.xls"
done
