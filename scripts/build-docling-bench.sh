#!/usr/bin/env bash
# Builds docling.rs's text-only driver for `bench_ingest --docling EXE`
# (README "Speed and memory"): our 30-line crate (scripts/docling-bench/)
# added to a docling.rs checkout's workspace, built with that checkout's own
# Cargo.lock (with another lock cargo picks a `zip` its calamine does not
# compile against). Prints the driver's path.
#
# usage: scripts/build-docling-bench.sh DOCLING_CHECKOUT
#   DOCLING_CHECKOUT: a clone of github.com/docling-project/docling.rs
#   (measured at 5fd2ce5). From the tool library's mirror (`fetch
#   github:docling-project/docling.rs`), whose large test files are absent,
#   check out without them:
#     git clone --no-checkout /work/.mirror/docling-project+docling.rs/repo /tmp/docling
#     cd /tmp/docling && git sparse-checkout set --no-cone '/*' '!tests/data/' '!crates/*/tests/data/'
#     git checkout 5fd2ce5      # complains about the absent files; the build needs none
#   Its code is read and built there, never copied here. ~1.5 min on 2 cores.
set -euo pipefail
here=$(cd "$(dirname "$0")/docling-bench" && pwd)
dir=${1:?usage: $0 DOCLING_CHECKOUT}
[ -f "$dir/Cargo.lock" ] && [ -d "$dir/crates/docling" ] || {
    echo "$dir is not a docling.rs checkout" >&2
    exit 2
}
mkdir -p "$dir/crates/bench-driver/src"
cp "$here/Cargo.toml" "$dir/crates/bench-driver/Cargo.toml"
cp "$here/main.rs" "$dir/crates/bench-driver/src/main.rs"
grep -q '"crates/bench-driver"' "$dir/Cargo.toml" ||
    sed -i 's|^members = \[|members = [\n    "crates/bench-driver",|' "$dir/Cargo.toml"
(cd "$dir" && cargo build --release -p bench-driver >&2)
echo "$dir/target/release/bench-driver"
