#!/bin/sh
# Validate a riskflow datapackage.json (and the CSVs beside it) with the
# frictionless validator: types, primary keys, foreign keys.
#
# usage: scripts/validate-datapackage.sh OUT/datapackage.json
#
# Installs nothing: uses $FRICTIONLESS, else `frictionless` on the PATH
# (pip install frictionless). Without it, says so and exits 0.
set -eu

if [ $# -ne 1 ]; then
    echo "usage: $0 DATAPACKAGE.json" >&2
    exit 2
fi
tool=${FRICTIONLESS:-$(command -v frictionless || true)}
if [ -z "$tool" ] || [ ! -x "$tool" ]; then
    echo "frictionless not installed: skipped"
    exit 0
fi
if "$tool" validate "$1"; then
    echo "valid: $1"
else
    echo "invalid: $1" >&2
    exit 1
fi
