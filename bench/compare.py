"""Times infralint against its peers on the same files, and infralint on a scaled corpus.

Run through bench/compare.sh, which installs the peers and builds infralint first; it passes
the tool paths in the environment (INFRALINT, CHECKOV, TRIVY, HADOLINT, DCLINT, TRIVY_CACHE).
Every run is timed as a whole process (wall clock) with its peak resident memory from wait4's
rusage: for a tool that forks workers, that is the largest single process, as `/usr/bin/time`
reports it. Runs alternate infralint and the peer (A B A B ...) so a change in the machine's
load hits both, and each run prints the 1-minute load average it started under.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

PEER_FORMATS = {
    # checkov and trivy both read Dockerfiles, Kubernetes manifests and Terraform.
    "checkov": {"docker", "k8s", "terraform"},
    "trivy": {"docker", "k8s", "terraform"},
    "hadolint": {"docker"},
    "dclint": {"compose"},
}
PAIRS = ["checkov", "trivy", "hadolint", "dclint"]
# Exit codes that mean "ran and reported findings", not "failed".
OK_CODES = {
    "infralint": {0, 1},
    "checkov": {0, 1},
    "trivy": {0, 1},
    "hadolint": {0, 1},
    "dclint": {0, 1},
}


def log(*parts):
    print(*parts, flush=True)


def load1():
    return os.getloadavg()[0]


def measure(name, cmd, cwd, errlog):
    """Run one command to completion: (wall s, peak RSS MiB, load at start, CPU s)."""
    load = load1()
    with open(errlog, "ab") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in OK_CODES.get(name, {0}):
        sys.exit(f"{name} exited with {proc.returncode}; see {errlog}")
    return wall, usage.ru_maxrss / 1024, load, usage.ru_utime + usage.ru_stime


def classify(infralint, corpus):
    """The infrastructure files infralint finds under `corpus`, as (format, relative path)."""
    out = subprocess.run([infralint, "--no-config", "--show-files", "."], cwd=corpus,
                         check=True, capture_output=True, text=True).stdout
    files = []
    for line in out.splitlines():
        fmt, _, path = line.partition(" ")
        path = path.strip()
        if path.startswith("./"):
            path = path[2:]
        files.append((fmt, path))
    return files


def scope_tree(corpus, files, formats, dest):
    """Copy the files of `formats` into `dest`, keeping their relative paths, so a peer that
    walks a directory sees exactly the files infralint lints in that scope."""
    chosen = [path for fmt, path in files if fmt in formats]
    for path in chosen:
        target = os.path.join(dest, path)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copyfile(os.path.join(corpus, path), target)
    return chosen


def infralint_cmd(env, target):
    return [env["INFRALINT"], "--no-config", "--fail-on", "never", *target]


def peer_cmd(name, env, tree, files):
    if name == "checkov":
        return [env["CHECKOV"], "-d", tree, "--framework", "dockerfile", "kubernetes",
                "terraform", "--skip-download", "--compact", "--quiet"]
    if name == "trivy":
        return [env["TRIVY"], "config", "--quiet", "--skip-check-update", "--cache-dir",
                env["TRIVY_CACHE"], "--misconfig-scanners", "dockerfile,kubernetes,terraform",
                tree]
    if name == "hadolint":
        return [env["HADOLINT"], "--no-fail", "--no-color", *files]
    if name == "dclint":
        return [env["DCLINT"], "--color", "false", *files]
    raise ValueError(name)


def median(values):
    return statistics.median(values)


def alternate(pair, cmd_a, cmd_b, runs, cwd, errlog):
    """Time A then B, `runs` times each; return the samples of each side."""
    samples = {"a": [], "b": []}
    for i in range(runs):
        for side, name, cmd in (("a", "infralint", cmd_a), ("b", pair, cmd_b)):
            wall, rss, load, cpu = measure(name, cmd, cwd, errlog)
            samples[side].append((wall, rss, load, cpu))
            log(f"  {pair:<9} run {i + 1}/{runs}  {name:<9} {wall:8.3f} s  cpu {cpu:8.3f} s"
                f"  {rss:7.1f} MiB  load {load:5.2f}")
    return samples


def summary(samples):
    """Medians of wall and CPU time, the largest peak RSS, and the range of loads."""
    return {
        "wall": median(s[0] for s in samples),
        "cpu": median(s[3] for s in samples),
        "rss": max(s[1] for s in samples),
        "load": (min(s[2] for s in samples), max(s[2] for s in samples)),
    }


def compare(args, env, corpus, files, work):
    rows = []
    errlog = os.path.join(work, "stderr.log")
    whole = summary(run_alone(env, ["."], args.runs, corpus, errlog, "whole corpus"))
    rows.append(("infralint alone, all formats", len(files), whole, None))
    for pair in args.pairs:
        formats = PEER_FORMATS[pair]
        tree = os.path.join(work, f"scope-{pair}")
        chosen = scope_tree(corpus, files, formats, tree)
        if pair == "dclint":
            # dclint reads YAML only; infralint's compose scope also holds `.env` files.
            chosen = [p for p in chosen if p.endswith((".yml", ".yaml"))]
        if not chosen:
            log(f"no files for {pair}; skipped")
            continue
        runs = args.checkov_runs if pair == "checkov" else args.runs
        log(f"{pair}: {len(chosen)} files ({', '.join(sorted(formats))}), {runs} runs each")
        if pair in ("hadolint", "dclint"):
            # Both tools are handed the same file list.
            cmd_a = infralint_cmd(env, chosen)
        else:
            # Both tools walk a tree that holds only the files of the shared formats.
            cmd_a = infralint_cmd(env, ["."])
        cmd_b = peer_cmd(pair, env, ".", chosen)
        samples = alternate(pair, cmd_a, cmd_b, runs, tree, errlog)
        rows.append((f"vs {pair}", len(chosen), summary(samples["a"]), summary(samples["b"])))
    return rows


def run_alone(env, target, runs, cwd, errlog, label):
    log(f"infralint on the {label}, {runs} runs")
    samples = []
    for i in range(runs):
        wall, rss, load, cpu = measure("infralint", infralint_cmd(env, target), cwd, errlog)
        samples.append((wall, rss, load, cpu))
        log(f"  run {i + 1}/{runs}  {wall:8.3f} s  cpu {cpu:8.3f} s  {rss:7.1f} MiB"
            f"  load {load:5.2f}")
    return samples


def print_table(rows):
    log("")
    log("medians; wall = elapsed time of the whole process, cpu = user + system time;"
        " peak = largest resident set")
    log(f"{'':<29} {'':>5} {'infralint':^26} {'peer':^26} {'ratio':^13}  {'load':>11}")
    log(f"{'pair':<29} {'files':>5} {'wall s':>8} {'cpu s':>8} {'peak MiB':>9}"
        f" {'wall s':>8} {'cpu s':>8} {'peak MiB':>9} {'wall':>6} {'cpu':>6}  {'(1 min)':>11}")
    for name, count, a, b in rows:
        lo, hi = a["load"]
        peer = f"{'-':>8} {'-':>8} {'-':>9} {'-':>6} {'-':>6}"
        if b is not None:
            lo, hi = min(lo, b["load"][0]), max(hi, b["load"][1])
            ratio = f"{b['wall'] / a['wall']:.0f}x"
            cpu_ratio = f"{b['cpu'] / a['cpu']:.0f}x"
            peer = f"{b['wall']:8.2f} {b['cpu']:8.2f} {b['rss']:9.1f} {ratio:>6} {cpu_ratio:>6}"
        log(f"{name:<29} {count:>5} {a['wall']:8.3f} {a['cpu']:8.3f} {a['rss']:9.1f} {peer}"
            f"  {lo:5.2f}-{hi:<5.2f}")


def check_targets(rows, scaling):
    log("")
    log("targets (issue 7):")
    by_name = {r[0]: r for r in rows}
    whole = by_name.get("infralint alone, all formats")
    if whole:
        a = whole[2]
        verdict(f"whole corpus {a['wall']:.3f} s wall <= 1.0 s (load {a['load'][1]:.2f})",
                a["wall"] <= 1.0)
        verdict(f"whole corpus peak {a['rss']:.1f} MiB <= 100 MiB", a["rss"] <= 100)
    for pair, floor in (("checkov", 100), ("hadolint", 20)):
        row = by_name.get(f"vs {pair}")
        if row:
            ratio = row[3]["wall"] / row[2]["wall"]
            cpu = row[3]["cpu"] / row[2]["cpu"]
            verdict(f"{ratio:.0f}x faster than {pair} in wall time, {cpu:.0f}x in CPU time"
                    f" (>= {floor}x)", ratio >= floor)
    if scaling and 1 in scaling and 20 in scaling:
        one, twenty = scaling[1], scaling[20]
        ratio = twenty["wall"] / one["wall"]
        verdict(f"x20 corpus in {ratio:.1f}x the x1 wall time (<= 22x)", ratio <= 22)
        # Flat beyond the findings: what the peak gains per copy of the corpus, against what
        # the report (as JSON) gains per copy. Each copy adds its findings, the text of the files
        # that have some (for code frames) and one entry per file; nothing else may grow.
        grow = (twenty["rss"] - one["rss"]) / 19
        report = (twenty["report"] - one["report"]) / 19 / (1 << 20)
        verdict(f"x20 peak {twenty['rss'] / one['rss']:.2f}x the x1 peak: {grow:.1f} MiB more per"
                f" copy, the JSON report {report:.1f} MiB more per copy (memory grows with the"
                f" report only: <= 2x its growth)", grow <= 2 * report)


def verdict(text, ok):
    log(f"  [{'met' if ok else 'MISSED'}] {text}")


def scale(args, env, corpus, files, work):
    """Lint the corpus copied N times into subfolders, for each N of --scale-factors."""
    results = {}
    log("")
    log("scaling: the corpus copied N times into subfolders")
    errlog = os.path.join(work, "stderr.log")
    for factor in args.scale_factors:
        root = os.path.join(work, f"scale-{factor}")
        for copy in range(factor):
            shutil.copytree(corpus, os.path.join(root, f"copy-{copy:02}"), symlinks=True)
        samples = run_alone(env, ["."], args.runs, root, errlog, f"x{factor} corpus")
        results[factor] = summary(samples)
        results[factor]["files"] = len(files) * factor
        report = subprocess.run(infralint_cmd(env, ["--format", "json", "."]), cwd=root,
                                check=True, capture_output=True).stdout
        results[factor]["report"] = len(report)
        shutil.rmtree(root)
    log("")
    log(f"{'scale':<6} {'files':>7} {'wall s':>8} {'cpu s':>8} {'ms/file':>8} {'vs x1':>7}"
        f" {'peak MiB':>9} {'JSON MiB':>9}  {'load (1 min)':>12}")
    base = results[min(results)] if results else None
    for factor, r in sorted(results.items()):
        rel = f"{r['wall'] / base['wall']:.1f}x" if base else ""
        lo, hi = r["load"]
        log(f"x{factor:<5} {r['files']:>7} {r['wall']:8.3f} {r['cpu']:8.3f}"
            f" {r['wall'] / r['files'] * 1000:8.3f} {rel:>7} {r['rss']:9.1f}"
            f" {r['report'] / (1 << 20):9.1f}  {lo:5.2f}-{hi:<5.2f}")
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus")
    parser.add_argument("--runs", type=int, default=int(os.environ.get("RUNS", "3")))
    parser.add_argument("--checkov-runs", type=int, default=None)
    parser.add_argument("--pairs", default="all",
                        help="comma-separated peers (checkov,trivy,hadolint,dclint), all or none")
    parser.add_argument("--scale", action="store_true", help="also run the scaling series")
    parser.add_argument("--scale-factors", default="1,5,20")
    parser.add_argument("--work", default=None, help="scratch directory (default: a temp dir)")
    args = parser.parse_args()
    args.pairs = (PAIRS if args.pairs == "all" else
                  [] if args.pairs == "none" else args.pairs.split(","))
    for pair in args.pairs:
        if pair not in PEER_FORMATS:
            sys.exit(f"unknown peer `{pair}`; known: {', '.join(PAIRS)}")
    if args.checkov_runs is None:
        args.checkov_runs = int(os.environ.get("CHECKOV_RUNS", args.runs))
    args.scale_factors = [int(f) for f in args.scale_factors.split(",")]
    corpus = os.path.abspath(args.corpus)
    env = os.environ
    parent = args.work or os.environ.get("TMPDIR") or None
    work = tempfile.mkdtemp(prefix="infralint-compare-", dir=parent)
    try:
        files = classify(env["INFRALINT"], corpus)
        log(f"corpus {corpus}: {len(files)} infrastructure files; cores {os.cpu_count()}")
        rows = compare(args, env, corpus, files, work)
        print_table(rows)
        scaling = scale(args, env, corpus, files, work) if args.scale else None
        check_targets(rows, scaling)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
