#!/usr/bin/env python3
"""Per-rule precision on a corpus: counts, a fixed-seed sample of findings, and the verdicts
recorded for them.

Reads the JSON lines infralint wrote for the corpus (stdin or --input), draws min(all, SAMPLE)
findings per rule with a fixed seed, prints each with file:line and the source line, and looks
each one up in the verdict files under bench/precision/ (tab-separated: rule, path relative to
the corpus, line, verdict, note; verdict is `true`, `false` or `debatable`). Positive findings
are judged separately from the rule's other findings, as `<rule> (positive)`.

Precision = true / (true + false) over the judged findings of the sample. A rule is flagged when
it is below 0.90 or when more than a third of its judged findings are debatable.
"""

import argparse
import collections
import json
import os
import random
import sys

SAMPLE = 30
SEED = 20261207


def load_verdicts(directory):
    verdicts = {}
    if not os.path.isdir(directory):
        return verdicts
    for name in sorted(os.listdir(directory)):
        if not name.endswith(".tsv"):
            continue
        with open(os.path.join(directory, name), encoding="utf-8") as fh:
            for number, raw in enumerate(fh, 1):
                line = raw.rstrip("\n")
                if not line.strip() or line.startswith("#"):
                    continue
                parts = line.split("\t")
                if len(parts) < 4:
                    sys.exit(f"{name}:{number}: expected rule, path, line, verdict[, note]")
                rule, path, at, verdict = parts[:4]
                if verdict not in ("true", "false", "debatable"):
                    sys.exit(f"{name}:{number}: verdict must be true, false or debatable")
                note = parts[4] if len(parts) > 4 else ""
                verdicts[(rule, path, int(at))] = (verdict, note)
    return verdicts


def source_line(corpus, path, line):
    try:
        with open(os.path.join(corpus, path), encoding="utf-8", errors="replace") as fh:
            for number, text in enumerate(fh, 1):
                if number == line:
                    text = text.strip()
                    return text if len(text) <= 160 else text[:157] + "..."
    except OSError:
        pass
    return ""


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--input", help="JSON lines from infralint (default: stdin)")
    parser.add_argument("--corpus", required=True, help="the corpus directory the paths are in")
    parser.add_argument("--verdicts", required=True, help="directory of verdict files")
    parser.add_argument("--rule", action="append", default=[],
                        help="only these rules (repeatable; a prefix such as `docker/` works)")
    parser.add_argument("--sample", type=int, default=SAMPLE)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--summary", action="store_true",
                        help="one line a rule, without the sampled findings")
    parser.add_argument("--unjudged", action="store_true",
                        help="print only the sampled findings that have no verdict yet, as "
                             "verdict-file lines to fill in")
    args = parser.parse_args()

    stream = open(args.input, encoding="utf-8") if args.input else sys.stdin
    corpus = os.path.realpath(args.corpus)
    by_rule = collections.defaultdict(list)
    for raw in stream:
        raw = raw.strip()
        if not raw:
            continue
        finding = json.loads(raw)
        path = os.path.relpath(os.path.realpath(finding["path"]), corpus)
        key = finding["rule"]
        if finding["severity"] == "positive":
            key += " (positive)"
        if args.rule and not any(key.startswith(r) for r in args.rule):
            continue
        by_rule[key].append((path, finding["line"], finding["column"], finding["severity"],
                             finding["message"]))

    verdicts = load_verdicts(args.verdicts)
    flagged = []
    for key in sorted(by_rule):
        findings = sorted(by_rule[key])
        rng = random.Random(f"{args.seed}:{key}")
        sample = sorted(rng.sample(findings, min(len(findings), args.sample)))
        counts = collections.Counter()
        lines = []
        for path, line, column, severity, message in sample:
            verdict, note = verdicts.get((key, path, line), ("", ""))
            counts[verdict or "unjudged"] += 1
            if args.unjudged:
                if not verdict:
                    lines.append(f"{key}\t{path}\t{line}\t?\t"
                                 f"{source_line(corpus, path, line)}")
                continue
            lines.append(f"  [{verdict or '?':9}] {path}:{line}:{column}: {message}")
            lines.append(f"              | {source_line(corpus, path, line)}")
            if note:
                lines.append(f"              = {note}")
        judged = counts["true"] + counts["false"]
        precision = counts["true"] / judged if judged else None
        shown = f"{precision:.2f}" if precision is not None else "-"
        debatable = counts["debatable"]
        total_judged = judged + debatable
        low = precision is not None and precision < 0.90
        noisy = total_judged and debatable * 3 > total_judged
        mark = " LOW" if low else ""
        mark += " NOISY" if noisy else ""
        if low or noisy:
            flagged.append(key)
        if args.unjudged:
            if lines:
                print("\n".join(lines))
            continue
        print(f"{key}: {len(findings)} findings, sample {len(sample)}: "
              f"{counts['true']} true, {counts['false']} false, {debatable} debatable, "
              f"{counts['unjudged']} unjudged; precision {shown}{mark}")
        if not args.summary:
            print("\n".join(lines))
    if not args.unjudged and flagged:
        print(f"\nbelow 0.90 or more than a third debatable: {', '.join(flagged)}")


if __name__ == "__main__":
    main()
