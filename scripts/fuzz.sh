#!/usr/bin/env bash
# Coverage-guided fuzzing of the Rust core with cargo fuzz (libFuzzer); what each target checks is in
# fuzz/README.md. Runs every target for FUZZ_SECONDS seconds (default 60), or only FUZZ_TARGETS
# (space-separated names), prints the executions each did, and exits non-zero when any target found a
# crash or a broken property — its input is saved under fuzz/artifacts/<target>/ and named in the output.
set -euo pipefail
cd "$(dirname "$0")/.."

# One run per tree at a time: runs share fuzz/scratch/ (and two would halve each other's executions).
mkdir -p fuzz/scratch
exec 9>fuzz/scratch/.lock
if ! flock -n 9; then
  echo "› another scripts/fuzz.sh is running in this tree; waiting for it to finish"
  flock 9
fi

seconds=${FUZZ_SECONDS:-60}
# libFuzzer's default; past the 2048-character window of clean_message, so its cut is covered.
max_len=${FUZZ_MAX_LEN:-4096}

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "› installing cargo-fuzz (builds from source, under a minute)"
  # Without --locked when the lock file names a version the registry mirror lacks.
  cargo install cargo-fuzz --version '^0.13' --locked || cargo install cargo-fuzz --version '^0.13'
fi

# cargo fuzz needs nightly-only rustc flags (-Z sanitizer, coverage passes). RUSTC_BOOTSTRAP lets the one
# stable toolchain the project uses accept them. No sanitizer: the crate forbids unsafe code and links no
# C, so AddressSanitizer would only watch std, at a third of the speed. Debug assertions and overflow
# checks stay on (cargo fuzz's default).
export RUSTC_BOOTSTRAP=1
fuzz_flags=(--sanitizer none)

if [ -n "${FUZZ_TARGETS:-}" ]; then
  read -r -a targets <<<"$FUZZ_TARGETS"
else
  targets=()
  for file in fuzz/fuzz_targets/*.rs; do targets+=("$(basename "$file" .rs)"); done
fi

echo "› building the fuzz targets"
cargo fuzz build "${fuzz_flags[@]}"

failed=()
for target in "${targets[@]}"; do
  # The fuzzer adds what it finds to its first corpus folder: a scratch copy, so fuzz/corpus/ stays seeds.
  scratch=fuzz/scratch/$target
  rm -rf "$scratch"
  mkdir -p "$scratch"
  cp fuzz/corpus/"$target"/* "$scratch"/
  log=fuzz/scratch/$target.log
  echo "› $target: ${seconds}s (log: $log)"
  status=0
  cargo fuzz run "${fuzz_flags[@]}" "$target" "$scratch" -- \
    -max_total_time="$seconds" -max_len="$max_len" -timeout=10 -print_final_stats=1 >"$log" 2>&1 || status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  coverage=$(grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+' "$log" | tail -1 || true)
  if [ "$status" -eq 0 ]; then
    echo "  $target: ${runs:-?} executions (${rate:-?}/s), $coverage, no crash"
  else
    echo "  $target: FAILED after ${runs:-?} executions (exit $status):"
    # The broken property (a panic's message) or libFuzzer's own verdict (timeout, out of memory).
    { grep -m1 -A4 'panicked at' "$log" || grep -m1 -A2 'ERROR: libFuzzer' "$log" || tail -n 20 "$log"; } |
      sed 's/^/    /'
    grep -E 'Test unit written to' "$log" | sed 's/^/  /' || true
    failed+=("$target")
  fi
done

if [ "${#failed[@]}" -gt 0 ]; then
  echo "› fuzzing found failures in: ${failed[*]} (inputs under fuzz/artifacts/<target>/;" \
    "replay one with RUSTC_BOOTSTRAP=1 cargo fuzz run --sanitizer none <target> <file>)"
  exit 1
fi
echo "› fuzzing: ${#targets[@]} targets, ${seconds}s each, no crash"
