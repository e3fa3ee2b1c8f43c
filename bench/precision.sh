#!/usr/bin/env bash
# Per-rule precision of infralint on a corpus. Lints the corpus with every rule (`--select all`),
# leaving out the peers' test data that is written to fail (checkov's tests, actionlint's
# testdata, zizmor's integration test data), then prints per rule the number of findings and a
# fixed-seed sample of min(all, 30) of them with file:line, the source line and the verdict
# recorded in bench/precision/*.tsv. See bench/precision.py for the verdict files.
#
# Usage: bench/precision.sh [--binary PATH] [--rule ID]... [--summary] [--unjudged]
#                           [--sample N] [--seed N] [CORPUS]
# CORPUS defaults to ../shared/corpus. Without --binary, infralint is built in release mode.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo="$PWD"

binary=""
corpus=""
args=()
while (($#)); do
    case "$1" in
        --binary)
            binary="${2:?--binary needs a path}"
            shift 2
            ;;
        --rule | --sample | --seed)
            args+=("$1" "${2:?$1 needs a value}")
            shift 2
            ;;
        --summary | --unjudged)
            args+=("$1")
            shift
            ;;
        -h | --help)
            sed -n '2,10p' "$0"
            exit 0
            ;;
        *)
            corpus="$1"
            shift
            ;;
    esac
done
corpus="${corpus:-$repo/../shared/corpus}"
[[ -d "$corpus" ]] || { echo "corpus not found: $corpus" >&2; exit 2; }
if [[ -z "$binary" ]]; then
    cargo build --release --quiet
    binary="$repo/target/release/infralint"
fi

# Peers' test data written to fail, left out of the measure.
excluded=(bridgecrewio__checkov rhysd__actionlint zizmorcore__zizmor)
targets=()
for dir in "$corpus"/*/; do
    name="$(basename "$dir")"
    skip=""
    for ex in "${excluded[@]}"; do
        [[ "$name" == "$ex" ]] && skip=1
    done
    [[ -z "$skip" ]] && targets+=("${dir%/}")
done

out="$(mktemp)"
trap 'rm -f "$out"' EXIT
status=0
"$binary" --no-config --select all --fail-on never -f json-lines "${targets[@]}" >"$out" || status=$?
if ((status != 0)); then
    echo "infralint exited with $status" >&2
    exit "$status"
fi
python3 "$repo/bench/precision.py" --input "$out" --corpus "$corpus" \
    --verdicts "$repo/bench/precision" "${args[@]}"
