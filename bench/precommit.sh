#!/usr/bin/env bash
# The pre-commit budget: medians of a full run and of one-file runs, with and without context,
# on a generated repository of 2,000 files (see bench/precommit.py).
#
# Usage: bench/precommit.sh [--binary PATH] [--runs N]
# Without --binary, infralint is built in release mode.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
binary=""
args=()
while (($#)); do
    case "$1" in
        --binary)
            binary="${2:?--binary needs a path}"
            shift 2
            ;;
        --runs)
            args+=("$1" "${2:?--runs needs a value}")
            shift 2
            ;;
        *)
            echo "unknown argument: $1" >&2
            exit 2
            ;;
    esac
done
if [[ -z "$binary" ]]; then
    cargo build --release --locked --quiet
    binary="$PWD/target/release/infralint"
fi
exec python3 bench/precommit.py --binary "$(realpath "$binary")" "${args[@]}"
