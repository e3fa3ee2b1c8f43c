#!/usr/bin/env bash
# Times infralint (release build) on generated large inputs: a 5 MB Terraform file, a module of
# 20 files, and a 10 MB Kubernetes manifest bundle. Prints the median wall time of several runs
# and the peak memory of one run. Usage: bench/large-inputs.sh [RUNS] (default 7).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs="${1:-7}"
cargo build --release --locked --quiet
bin="$PWD/target/release/infralint"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

python3 - "$work" <<'PY'
import os, sys
root = sys.argv[1]

def resource(i):
    return (
        f'resource "aws_s3_bucket" "b{i}" {{\n  bucket = "bucket-{i}"\n'
        f'  tags = {{\n    Name = "bucket-{i}"\n    Env  = "prod"\n  }}\n}}\n\n'
        f'variable "v{i}" {{\n  type        = string\n  description = "value {i}"\n'
        f'  default     = "x"\n}}\n\n'
    )

os.makedirs(f"{root}/tf-5mb")
with open(f"{root}/tf-5mb/main.tf", "w") as f:
    i, size = 0, 0
    while size < 5_000_000:
        text = resource(i)
        f.write(text)
        size += len(text)
        i += 1

os.makedirs(f"{root}/tf-module")
for n in range(20):
    with open(f"{root}/tf-module/file{n:02}.tf", "w") as f:
        f.write("".join(resource(n * 100 + i) for i in range(100)))

os.makedirs(f"{root}/k8s-10mb")
with open(f"{root}/k8s-10mb/bundle.yaml", "w") as f:
    i, size = 0, 0
    while size < 10_000_000:
        text = (
            f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{i}\n"
            f"data:\n  mode: prod\n---\n"
        )
        f.write(text)
        size += len(text)
        i += 1
PY

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

for case in tf-5mb tf-module k8s-10mb; do
    times=()
    for _ in $(seq "$runs"); do
        start=$(date +%s%N)
        "$bin" "$work/$case" --fail-on never >/dev/null
        end=$(date +%s%N)
        times+=("$(( (end - start) / 1000000 ))")
    done
    med=$(printf '%s\n' "${times[@]}" | median)
    peak=$(/usr/bin/time -f '%M' "$bin" "$work/$case" --fail-on never 2>&1 >/dev/null | tail -1)
    printf '%-10s median %5d ms over %d runs, peak %6d KiB\n' "$case" "$med" "$runs" "$peak"
done
