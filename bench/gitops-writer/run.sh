#!/usr/bin/env bash
# Benchmark of gitops-writer: commits per minute to one branch with 1 and with 8 concurrent writers, against the
# Bitbucket Cloud fake (POST /src) and the Server fake (JGit push over git smart HTTP), beside the Cloud fake's own
# floor (the same writers committing straight to POST /src, nothing computed, no conflicts). Not a test: never part of
# ./mvnw verify (surefire runs *Test classes; this runs GitOpsWriterBenchmark explicitly).
#
#   bench/gitops-writer/run.sh                       build and measure (~4 min)
#   SECONDS_PER_RUN=30 WARMUP_SECONDS=15 bench/gitops-writer/run.sh
#
# The build starts its own Kafka broker and uses the machine's PostgreSQL through libs/local-infra and stops both;
# the fakes and the service run in the one test JVM. Results: stdout and gitops-writer/target/bench-gitops-writer.txt.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
SECONDS_PER_RUN="${SECONDS_PER_RUN:-20}"
WARMUP_SECONDS="${WARMUP_SECONDS:-10}"

cd "$ROOT"
./mvnw -B -q -pl gitops-writer -am verify -Dtest=GitOpsWriterBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dbench.seconds="$SECONDS_PER_RUN" -Dbench.warmup-seconds="$WARMUP_SECONDS"
echo "[bench] results:"
cat gitops-writer/target/bench-gitops-writer.txt
