"""The pre-commit budget: how long infralint takes on one changed file of a large repository.

Generates a repository of 2,000 infrastructure files (Kubernetes manifests with their
NetworkPolicies, PodDisruptionBudgets and autoscalers, Terraform modules, compose projects,
Dockerfiles, Kestra flows, systemd units and GitHub workflows) in a temporary directory holding
`.git`, then times, as medians of alternating runs:

- the full run (`infralint .`),
- one file with its context (what pre-commit does with one changed file): a Kubernetes
  manifest, whose context is the whole repository's run-wide facts, and a Terraform file,
  whose context is its module and the repository's modules,
- the same files with `--no-context`.

Prints each median in milliseconds and the ratio of each one-file run to the full run. The
budget: a one-file run with context has a median of at most 100 ms and at most half the full
run's.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

TEAMS = 20


def deployment(team, service):
    return f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: {service}
  namespace: {team}
  labels:
    app: {service}
spec:
  replicas: 2
  selector:
    matchLabels:
      app: {service}
  template:
    metadata:
      labels:
        app: {service}
    spec:
      securityContext:
        runAsNonRoot: true
      containers:
        - name: {service}
          image: registry.example.com/{team}/{service}:1.4.2
          ports:
            - containerPort: 8080
          resources:
            requests:
              cpu: 100m
              memory: 128Mi
            limits:
              memory: 256Mi
          readinessProbe:
            httpGet:
              path: /ready
              port: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: {service}
  namespace: {team}
spec:
  selector:
    app: {service}
  ports:
    - port: 80
      targetPort: 8080
"""


def policies(team):
    return f"""apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: {team}
spec:
  podSelector: {{}}
  policyTypes: [Ingress]
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: all
  namespace: {team}
spec:
  maxUnavailable: 1
  selector: {{}}
"""


def autoscaler(team, service):
    return f"""apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {service}
  namespace: {team}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {service}
  minReplicas: 2
  maxReplicas: 6
"""


def terraform(module):
    return {
        "main.tf": f"""resource "aws_s3_bucket" "data" {{
  bucket = "example-{module}-data"
}}

resource "aws_s3_bucket_public_access_block" "data" {{
  bucket                  = aws_s3_bucket.data.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}}
""",
        "variables.tf": f"""variable "environment" {{
  description = "Where the {module} stack runs."
  type        = string
}}
""",
        "versions.tf": """terraform {
  required_version = ">= 1.6"
  backend "s3" {}
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.40"
    }
  }
}

provider "aws" {
  default_tags {
    tags = { owner = "platform" }
  }
}
""",
    }


def compose(name):
    return f"""services:
  {name}:
    build: .
    restart: unless-stopped
    ports:
      - "127.0.0.1:8080:8080"
"""


def dockerfile(name):
    return f"""FROM python:3.12-slim
WORKDIR /srv/{name}
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
USER 10001
CMD ["python", "-m", "{name}"]
"""


def flow(team, index):
    return f"""id: load-{index}
namespace: company.{team}
tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: load {index}
triggers:
  - id: nightly
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "0 2 * * *"
    timezone: Europe/Paris
"""


def unit(index):
    return f"""[Unit]
Description=Worker {index}

[Service]
ExecStart=/usr/local/bin/worker --queue {index}
User=worker
NoNewPrivileges=yes
ProtectSystem=strict

[Install]
WantedBy=multi-user.target
"""


def workflow(index):
    return f"""name: build-{index}
on: [push]
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-24.04
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683
      - run: make test
"""


def generate(root):
    files = {}
    services = 0
    for team_index in range(TEAMS):
        team = f"team-{team_index:02d}"
        files[f"k8s/{team}/policies.yaml"] = policies(team)
        for s in range(36):
            service = f"svc-{s:02d}"
            files[f"k8s/{team}/{service}.yaml"] = deployment(team, service)
            services += 1
            if s % 9 == 0:
                files[f"k8s/{team}/{service}-hpa.yaml"] = autoscaler(team, service)
    for m in range(100):
        for name, text in terraform(f"stack-{m:03d}").items():
            files[f"terraform/stack-{m:03d}/{name}"] = text
    for c in range(150):
        files[f"apps/app-{c:03d}/docker-compose.yml"] = compose(f"app{c}")
        files[f"apps/app-{c:03d}/Dockerfile"] = dockerfile(f"app{c}")
    for d in range(100):
        files[f"images/tool-{d:03d}/Dockerfile"] = dockerfile(f"tool{d}")
    for f in range(200):
        files[f"flows/flow-{f:03d}.yaml"] = flow(f"team{f % 10}", f)
    for u in range(150):
        files[f"systemd/worker-{u:03d}.service"] = unit(u)
    for w in range(130):
        files[f".github/workflows/build-{w:03d}.yml"] = workflow(w)
    files["README.md"] = "generated\n"
    for rel, text in files.items():
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as out:
            out.write(text)
    os.makedirs(os.path.join(root, ".git"))
    return sum(1 for rel in files if rel != "README.md")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", required=True)
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="infralint-precommit-") as root:
        count = generate(root)
        cases = {
            "full run": ["."],
            "one manifest, context": ["k8s/team-07/svc-13.yaml"],
            "one manifest, --no-context": ["--no-context", "k8s/team-07/svc-13.yaml"],
            "one Terraform file, context": ["terraform/stack-042/main.tf"],
            "one Terraform file, --no-context": ["--no-context", "terraform/stack-042/main.tf"],
            "one Dockerfile, context": ["images/tool-017/Dockerfile"],
        }
        times = {name: [] for name in cases}
        for _ in range(args.runs):
            for name, extra in cases.items():
                start = time.perf_counter()
                done = subprocess.run(
                    [args.binary, "--fail-on", "never", "-f", "json", *extra],
                    cwd=root,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.PIPE,
                )
                times[name].append(time.perf_counter() - start)
                if done.returncode != 0:
                    sys.exit(f"{name}: exit {done.returncode}: {done.stderr.decode()}")
        full = statistics.median(times["full run"])
        print(f"repository: {count} infrastructure files; {args.runs} alternating runs each")
        for name, samples in times.items():
            median = statistics.median(samples)
            print(f"{name:36} {median * 1000:8.1f} ms  {median / full:5.2f}x of the full run")


if __name__ == "__main__":
    main()
