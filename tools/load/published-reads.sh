#!/usr/bin/env bash
# The read path on the published images' code, without the run command's development helpers: one silo and one
# gateway published ReadyToRun (as the images are; published again on every run into artifacts/published-reads, so
# the figures are of the code checked out), Azurite and the Kestrel baseline (tools/load/Platform.LoadBaseline, answering the
# gateway's very bytes) on core 0, wrk on core 1 with 32 connections. Per round: the README's tariff query executed in
# full (Cache-Control: no-cache: a grain call every request), { __typename }, and the baseline. No telemetry exporter
# (spans are made and dropped, as in a pod without OTEL_EXPORTER_OTLP_ENDPOINT), no identity server, web app,
# dashboard or mail server on the core.
#
#   tools/load/published-reads.sh                       # 2 warm-up rounds and 3 measured, 15 s each (about 4 minutes)
#   tools/load/published-reads.sh --seconds 5 --rounds 1   # shorter
#   tools/load/published-reads.sh --tiered-compilation 0   # the platform's processes with DOTNET_TieredCompilation=0
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
seconds=15 rounds=3 tiered=1
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=$2; shift ;;
    --rounds) rounds=$2; shift ;;
    --tiered-compilation) tiered=$2; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
command -v wrk >/dev/null || { echo "wrk is missing: run tools/load/run.sh once, or apt-get install wrk" >&2; exit 2; }
published="$root/artifacts/published-reads"
rm -rf "$published"
for project in services/Platform.Silo gateway/Platform.Gateway; do
  dotnet publish "$root/$project" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
    -o "$published/$(basename $project)" >/dev/null
done
dotnet build -c Release "$root/tools/load/Platform.LoadBaseline" -nologo -v q >/dev/null
work=$(mktemp -d) pids=()
source "$root/tools/load/common.sh"
cleanup() { for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
port() { node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })'; }
blob=$(port) queue=$(port) table=$(port) silo=$(port) gw=$(port) ogw=$(port) web=$(port) plain=$(port)
key='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='
storage="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$key;BlobEndpoint=http://127.0.0.1:$blob/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$queue/devstoreaccount1;TableEndpoint=http://127.0.0.1:$table/devstoreaccount1;"
# Installed only once npm has finished (it writes node_modules/.package-lock.json last), as the tests' install checks.
[ -f "$root/infra/azurite/node_modules/.package-lock.json" ] || (cd "$root/infra/azurite" && npm install --no-audit --no-fund >/dev/null)
taskset -c 0 node "$root/infra/azurite/node_modules/azurite/dist/src/azurite.js" --location "$work/azurite" --blobHost 127.0.0.1 \
  --blobPort "$blob" --queueHost 127.0.0.1 --queuePort "$queue" --tableHost 127.0.0.1 --tablePort "$table" --loose \
  --skipApiVersionCheck --disableTelemetry >"$work/azurite.log" 2>&1 & pids+=($!)
common=(ConnectionStrings__storage="$storage" Orleans__ClusterId=reads Platform__Database__Provider=Sqlite
  ConnectionStrings__readmodel="Data Source=$work/readmodel.db" Logging__LogLevel__Default=Warning
  ASPNETCORE_ENVIRONMENT=Development DOTNET_TieredCompilation="$tiered")
(cd "$published/Platform.Silo" && exec env "${common[@]}" ASPNETCORE_URLS="http://127.0.0.1:$web" Orleans__Endpoints__SiloPort="$silo" \
  Orleans__Endpoints__GatewayPort="$ogw" Platform__Silo__SeedDemoData=true Platform__Mail__Smtp__Host=127.0.0.1 \
  Platform__Mail__Smtp__Port="$(port)" Platform__Mail__Smtp__Security=None Platform__Mail__Smtp__From=platform@regelingen.localhost \
  taskset -c 0 dotnet Platform.Silo.dll) >"$work/silo.log" 2>&1 & pids+=($!)
(cd "$published/Platform.Gateway" && exec env "${common[@]}" ASPNETCORE_URLS="http://127.0.0.1:$gw" \
  Platform__Gateway__Authority="http://127.0.0.1:$(port)/" Platform__Gateway__WebAppUrl=http://127.0.0.1:5999/ \
  Platform__RateLimits__Enabled=false taskset -c 0 dotnet Platform.Gateway.dll) >"$work/gateway.log" 2>&1 & pids+=($!)
body='{"query":"{ arrangement(id: \"afval-nhn\") { name tariffs { service { code } amount unit } } }"}'
ask() { curl -sf -m 3 "http://127.0.0.1:$gw/graphql" -H 'content-type: application/json' -H 'cache-control: no-cache' -d "$body"; }
for _ in $(seq 1 180); do ask 2>/dev/null | grep -q '"tariffs":\[{' && break; sleep 1; done
ask | grep -q '"tariffs":\[{' || { echo "the gateway did not answer the tariff query; its log:" >&2; tail -20 "$work/gateway.log" >&2; exit 1; }
mkdir -p "$work/bodies"; ask >"$work/bodies/tariffs.json"
ask | cmp -s - "$work/bodies/tariffs.json" || { echo "the gateway's answer changed between two requests" >&2; exit 1; }
taskset -c 0 dotnet "$root/tools/load/Platform.LoadBaseline/bin/Release/net10.0/Platform.LoadBaseline.dll" --bodies "$work/bodies" \
  --urls "http://127.0.0.1:$plain" >"$work/plain.log" 2>&1 & pids+=($!)
for _ in $(seq 1 100); do curl -sf -o /dev/null -X POST "http://127.0.0.1:$plain/graphql/tariffs" -d "$body" && break; sleep 0.2; done
curl -sf -X POST "http://127.0.0.1:$plain/graphql/tariffs" -d "$body" | cmp -s - "$work/bodies/tariffs.json" \
  || { echo "the baseline does not answer the gateway's bytes" >&2; exit 1; }
printf '%s' "$body" >"$work/tariffs.json"; printf '%s' '{"query":"{ __typename }"}' >"$work/typename.json"
for s in tariffs typename; do wrk_script "$work/$s.json" "$work/$s.lua" "Cache-Control: no-cache"; done
run() { local f; f=$(wrk_figures "$1" "$2" "$seconds" 32) || return 1; set -- $f; printf '%s req/s (p99 %s ms)' "$1" "$3"; }
echo "published ReadyToRun, DOTNET_TieredCompilation=$tiered; $seconds s per figure; the first two rounds warm up"
for round in $(seq 1 $((rounds + 2))); do
  t=$(run "http://127.0.0.1:$gw/graphql" "$work/tariffs.lua") || exit 1; n=$(run "http://127.0.0.1:$gw/graphql" "$work/typename.lua") || exit 1
  p=$(run "http://127.0.0.1:$plain/graphql/tariffs" "$work/tariffs.lua") || exit 1
  ratio=$(awk -v a="${t%% *}" -v b="${p%% *}" 'BEGIN { printf "%.2f", a / b }')
  echo "round $round$([ "$round" -le 2 ] && echo ' (warm-up)'): tariffs executed $t | typename $n | plain $p | tariffs / plain $ratio"
done
