#!/usr/bin/env bash
# The rolling-update rehearsal without a container engine: three silo processes, two gateways (round robin in the
# client, rerouting a refused connection as a load balancer does), the identity server, Azurite and PostgreSQL, all
# on 127.0.0.1; under a mixed load (filings, votes, the resident's list, anonymous tariff reads; about 30 requests a
# second) the silos are rolled one at a time with SIGTERM, then the gateways, twice. Prints the figures (failed
# attempts, rerouted requests, p50/p99 while rolling, grains that moved, each step) and keeps them in
# artifacts/rehearsal.txt. The same test runs in the test command.
#
#   tools/load/rehearsal.sh            # Release build, about 3 minutes
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
dotnet test tests/Platform.Reliability.Tests -c Release --filter "FullyQualifiedName~RollingRehearsal" \
  --logger "console;verbosity=normal" >/dev/null || status=$?
cat artifacts/rehearsal.txt
exit "${status:-0}"
