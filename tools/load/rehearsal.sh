#!/usr/bin/env bash
# The rolling-update rehearsal without a container engine: three silo processes, two gateways (round robin in the
# client, rerouting a refused connection as a load balancer does), the identity server, Azurite and PostgreSQL, all
# on 127.0.0.1; under a mixed load (filings, votes, the resident's list, anonymous tariff reads; about 30 requests a
# second) the silos are rolled one at a time with SIGTERM, then the gateways, twice. Prints the figures (failed
# attempts, rerouted requests, p50/p99 while rolling, grains that moved, each step) and keeps them in
# artifacts/rehearsal.txt (the test's own output in artifacts/rehearsal-test.log). The same test runs in the test command.
#
#   tools/load/rehearsal.sh                  # Release build, about 6 minutes
#   tools/load/rehearsal.sh --ready-to-run   # the silo, gateway and identity server published ReadyToRun (as an image
#                                            # would be with -p:PublishReadyToRun=true), into artifacts/ready-to-run
#   tools/load/rehearsal.sh --think 4        # each app of the load pauses 4 times as long between requests (about
#                                            # 15 requests a second instead of 38); combines with --ready-to-run
#   tools/load/rehearsal.sh --settle 0      # the next process stops as soon as the last is back (default 10 s later,
#                                            # as the manifests' minReadySeconds)
#   tools/load/rehearsal.sh --azurite-files  # Azurite keeps its data in files, as the run command's does (default: in
#                                            # memory; on files it pauses every 5 s to write its index of blobs again)
#   tools/load/rehearsal.sh --lead 12        # the load runs 12 s before the first step (default 60 s: the processes past
#                                            # their first minute of compiling, as a deployment's are when it rolls)
#   tools/load/rehearsal.sh --cpu pods       # each silo and gateway in a cgroup weighted by its pod's CPU request and
#                                            # capped at its limit, as the kubelet does (--cpu requests: no caps);
#                                            # default: every thread on the machine weighs the same (runs de-dg)
#   tools/load/rehearsal.sh --no-pgo         # the platform's processes without dynamic PGO (DOTNET_TieredPGO=0)
#   tools/load/rehearsal.sh --ready-to-run --no-tiering   # and the platform's processes without tiered compilation
#                                            # (DOTNET_TieredCompilation=0: ReadyToRun code as published, the rest
#                                            # compiled optimized once, nothing compiled again while they run)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
ready_to_run=0
while [ $# -gt 0 ]; do
  case "$1" in
    --ready-to-run) ready_to_run=1 ;;
    --think) export PLATFORM_REHEARSAL_THINK=$2; shift ;;
    --no-tiering) export PLATFORM_TIERED_COMPILATION=0 ;;
    --no-pgo) export PLATFORM_TIERED_PGO=0 ;;
    --settle) export PLATFORM_REHEARSAL_SETTLE=$2; shift ;;
    --azurite-files) export PLATFORM_REHEARSAL_AZURITE=files ;;
    --lead) export PLATFORM_REHEARSAL_LEAD=$2; shift ;;
    --cpu) export PLATFORM_REHEARSAL_CPU=$2; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
if [ "$ready_to_run" = 1 ]; then
  out="$root/artifacts/ready-to-run"
  rm -rf "$out"
  for project in services/Platform.Silo gateway/Platform.Gateway services/Platform.Identity; do
    dotnet publish "$project" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
      -o "$out/$(basename "$project")" >/dev/null
  done
  export PLATFORM_PUBLISHED="$out"
fi
# The test's own output (why it failed, when it does) is kept beside the figures.
mkdir -p artifacts
rm -f artifacts/rehearsal.txt
dotnet test tests/Platform.Reliability.Tests -c Release --filter "FullyQualifiedName~RollingRehearsal" \
  --logger "console;verbosity=normal" >artifacts/rehearsal-test.log 2>&1 || status=$?
if [ -f artifacts/rehearsal.txt ]; then cat artifacts/rehearsal.txt; fi
if [ "${status:-0}" -ne 0 ]; then
  echo "the rehearsal failed; its output: artifacts/rehearsal-test.log" >&2
  grep -A 12 "Error Message" artifacts/rehearsal-test.log >&2
fi
exit "${status:-0}"
