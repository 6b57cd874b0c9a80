#!/usr/bin/env bash
# Fuzzes the pure core (fuzz/harness.rs: callback URLs, token responses, id_token claims, discovery, stored
# state) with cargo-fuzz for a fixed time and prints the executions run. Not part of CI: `cargo test` replays
# the committed corpus (core/tests/fuzz_corpus.rs) instead.
#
#   scripts/fuzz.sh [seconds]     (default 60)
#
# Inputs that reach new code are added to fuzz/corpus/core; `cargo +nightly fuzz cmin core` shrinks the corpus
# before committing it. A crash leaves its input in fuzz/artifacts/core/ and fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}

command -v cargo-fuzz >/dev/null || cargo install -q cargo-fuzz --locked
# libFuzzer needs nightly compiler flags: rustup's nightly when installed, else the stable compiler unlocked.
if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  fuzz() { cargo +nightly fuzz "$@"; }
else
  fuzz() { RUSTC_BOOTSTRAP=1 cargo fuzz "$@"; }
fi

mkdir -p fuzz/target
log=fuzz/target/fuzz.log
# Safe Rust: a panic is the finding, so no sanitizer (about twice the executions in the same time).
fuzz build --sanitizer none core
fuzz run --sanitizer none core -- -max_total_time="$seconds" -print_final_stats=1 2>"$log" || {
  tail -40 "$log"
  exit 1
}
runs=$(awk '/^stat::number_of_executed_units:/ { print $2 }' "$log")
corpus=$(find fuzz/corpus/core -type f | wc -l)
echo "fuzz: $runs executions in $seconds s ($((runs / seconds))/s), no crash; corpus: $corpus inputs"
