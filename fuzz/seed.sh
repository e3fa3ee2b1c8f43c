#!/usr/bin/env bash
# Seed the fuzz corpora (fuzz/corpus/<target>/) from fixtures/ and from the examples in the
# rule docs. Run from anywhere; existing corpus files are kept, so seeding again only adds.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
corpus="$root/fuzz/corpus"
mkdir -p "$corpus"/{dockerfile,yaml,systemd,hcl,lint}

# The lint target reads its first byte as the kind of file: an index into
# infralint::fuzzing::FILE_KINDS (0 Dockerfile, 1 compose YAML, 2 dotenv, 3 Kubernetes,
# 4 Kestra, 5 systemd, 6 .tf, 7 .tf.json, 8 .tfvars, 9 GitHub workflow,
# 10 composite action, 11 GitLab CI).
lint_seed() { # kind file
  local name
  name="$(basename "$2")"
  { printf "\\x$(printf %02x "$1")"; cat "$2"; } > "$corpus/lint/$1-$(cksum < "$2" | cut -d' ' -f1)-$name"
}
copy() { # target file
  cp "$2" "$corpus/$1/$(cksum < "$2" | cut -d' ' -f1)-$(basename "$2")"
}

while IFS= read -r -d '' file; do
  name="$(basename "$file")"
  case "$file" in
    */docker/*Dockerfile* | *Dockerfile) copy dockerfile "$file"; lint_seed 0 "$file" ;;
    *.service | *.timer | *.socket | *.mount | *.path | *.service.d/*.conf)
      copy systemd "$file"; lint_seed 5 "$file" ;;
    *.tf.json) lint_seed 7 "$file" ;;
    *.tf | *.hcl) copy hcl "$file"; lint_seed 6 "$file" ;;
    *.tfvars) copy hcl "$file"; lint_seed 8 "$file" ;;
    *.env | */.env | */.env.*) lint_seed 2 "$file" ;;
    *.yaml | *.yml)
      copy yaml "$file"
      case "$file" in
        */compose* | */docker-compose*) lint_seed 1 "$file" ;;
        */ci/*gitlab*) lint_seed 11 "$file" ;;
        */ci/*action*) lint_seed 10 "$file" ;;
        */ci/*) lint_seed 9 "$file" ;;
        */kestra/* | */flows/*) lint_seed 4 "$file" ;;
        *) lint_seed 3 "$file" ;;
      esac ;;
    *) case "$name" in Dockerfile* | Containerfile*) copy dockerfile "$file"; lint_seed 0 "$file" ;; esac ;;
  esac
done < <(find "$root/fixtures" -type f -print0)

# Every `bad`/`good` example of the rule docs, by its info string.
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
awk -v out="$tmp" '
  /^```/ && !inside {
    info = substr($0, 4); inside = 1; n++
    kind = ""
    if (info ~ /^dockerfile (bad|good)/) kind = "0"
    else if (info ~ /^yaml compose (bad|good)/) kind = "1"
    else if (info ~ /^yaml k8s (bad|good)/) kind = "3"
    else if (info ~ /^yaml kestra (bad|good)/) kind = "4"
    else if (info ~ /^ini systemd/) kind = "5"
    else if (info ~ /^hcl/) kind = "6"
    file = out "/" kind "-" n
    next
  }
  /^```/ && inside { inside = 0; if (kind != "") close(file); next }
  inside && kind != "" { print > file }
' "$root"/rules/*/*.md
for file in "$tmp"/*; do
  [ -e "$file" ] || continue
  kind="$(basename "$file" | cut -d- -f1)"
  case "$kind" in
    0) copy dockerfile "$file" ;;
    1 | 3 | 4) copy yaml "$file" ;;
    5) copy systemd "$file" ;;
    6) copy hcl "$file" ;;
  esac
  lint_seed "$kind" "$file"
done
for target in dockerfile yaml systemd hcl lint; do
  echo "$target: $(find "$corpus/$target" -type f | wc -l) seeds"
done
