#!/usr/bin/env bash
# The read-path load harness: the platform as the run command starts it (Release), every platform process
# pinned to core 0, wrk on core 1, against a minimal Kestrel endpoint (tools/load/Platform.LoadBaseline) on
# core 0 that returns the very bytes the gateway answered (compared byte for byte first). Warm-up, then
# interleaved rounds (gateway, plain, gateway, plain, ...); medians of requests/s, p50 and p99 per scenario.
#
#   tools/load/run.sh                       # full run: 60 s warm-up, 3 rounds of 15 s, 32 connections
#   tools/load/run.sh --smoke               # a few seconds: checks that figures come out, nothing more
#   tools/load/run.sh --gateway http://127.0.0.1:6080   # against a platform that is already running
#   options: --warmup S --round S --rounds N --connections N --out FILE; after --, arguments for the run command
#   (e.g. -- --Platform:TraceSampleRatio=1)
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
warmup=60 round=15 rounds=3 connections=32 gateway="" out_file="$root/artifacts/load.md"
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) warmup=2 round=2 rounds=1 connections=8; out_file="$root/artifacts/load-smoke.md" ;;
    --warmup) warmup=$2; shift ;;
    --round) round=$2; shift ;;
    --rounds) rounds=$2; shift ;;
    --connections) connections=$2; shift ;;
    --gateway) gateway=${2%/}; shift ;;
    --out) out_file=$2; shift ;;
    --) shift; break ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
cores=$(nproc)
[ "$cores" -ge 2 ] || { echo "needs two cores: one for the platform, one for the load" >&2; exit 2; }
if ! command -v wrk >/dev/null; then
  [ "$(id -u)" = 0 ] || { echo "wrk is missing: apt-get install wrk (as root)" >&2; exit 2; }
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null || exit 1
fi
work=$(mktemp -d)
platform="" baseline=""
source "$root/tools/load/common.sh"
cleanup() {
  [ -n "$baseline" ] && kill -TERM "$baseline" 2>/dev/null
  stop_platform
  rm -rf "$work"
}
trap cleanup EXIT

dotnet build -c Release "$root/tools/load/Platform.LoadBaseline" -nologo -v q >/dev/null || exit 1
if [ -z "$gateway" ]; then
  start_platform "$@"
fi

# The scenarios: a name, a GraphQL request, and whether the gateway may answer from its kept public answers.
# R_exec (tariffs): the README's tariff query run in full with a grain call every request (Cache-Control: no-cache).
# R_cached (tariffs-cached): the same request answered from the kept answer. typename: the pipeline without a grain.
mkdir -p "$work/requests" "$work/bodies"
tariffs='{"query":"{ arrangement(id: \"afval-nhn\") { name tariffs { service { code name } amount unit validFrom decidedBy } } }"}'
printf '%s' "$tariffs" >"$work/requests/tariffs.json"
printf '%s' "$tariffs" >"$work/requests/tariffs-cached.json"
printf '%s' '{"query":"{ __typename }"}' >"$work/requests/typename.json"
scenarios="tariffs tariffs-cached typename"
fresh() { [ "$1" != tariffs-cached ]; }
for s in $scenarios; do
  extra=(); fresh "$s" && extra=(-H 'Cache-Control: no-cache')
  curl -sf "$gateway/graphql" -H 'content-type: application/json' "${extra[@]}" --data-binary @"$work/requests/$s.json" >"$work/bodies/$s.json" || { echo "the gateway did not answer $s" >&2; exit 1; }
  grep -q '"errors"' "$work/bodies/$s.json" && { echo "the gateway answered $s with errors: $(cat "$work/bodies/$s.json")" >&2; exit 1; }
  if fresh "$s"; then wrk_script "$work/requests/$s.json" "$work/$s.lua" "Cache-Control: no-cache"; else wrk_script "$work/requests/$s.json" "$work/$s.lua"; fi
done
# The kept answer is the executed one, byte for byte.
curl -s "$gateway/graphql" -H 'content-type: application/json' --data-binary @"$work/requests/tariffs-cached.json" -D "$work/cached-headers" -o "$work/cached-again.json"
cmp -s "$work/cached-again.json" "$work/bodies/tariffs.json" || { echo "the kept tariff answer differs from the executed one" >&2; exit 1; }
grep -qi '^x-cache: HIT' "$work/cached-headers" || echo "note: the tariff answer was not served from the kept answers (switched off?)" >&2
port=$(node -e 'const s=require("net").createServer(); s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')
plain=http://127.0.0.1:$port
taskset -c 0 dotnet "$root/tools/load/Platform.LoadBaseline/bin/Release/net10.0/Platform.LoadBaseline.dll" --bodies "$work/bodies" --urls "$plain" >/dev/null 2>&1 &
baseline=$!
# It starts on the platform's busy core: give it up to a minute, and say so when it never answered.
up=""
for _ in $(seq 1 300); do curl -sf -o /dev/null -m 1 -X POST "$plain/graphql/typename" && { up=1; break; }; sleep 0.2; done
[ -n "$up" ] || { echo "the baseline endpoint did not answer on $plain within a minute" >&2; exit 1; }
for s in $scenarios; do
  curl -sf -X POST "$plain/graphql/$s" --data-binary @"$work/requests/$s.json" >"$work/plain-$s.json" || { echo "the baseline endpoint did not answer $s" >&2; exit 1; }
  cmp -s "$work/plain-$s.json" "$work/bodies/$s.json" || { echo "the baseline's $s answer differs from the gateway's" >&2; exit 1; }
  extra=(); fresh "$s" && extra=(-H 'Cache-Control: no-cache')
  curl -s "$gateway/graphql" -H 'content-type: application/json' "${extra[@]}" --data-binary @"$work/requests/$s.json" >"$work/again-$s.json"
  cmp -s "$work/again-$s.json" "$work/bodies/$s.json" || { echo "the gateway's $s answer changed between two requests" >&2; exit 1; }
done

# One wrk run on core 1: "requests/s p50-ms p99-ms" (latencies converted to milliseconds).
measure() { wrk_figures "$1" "$work/$2.lua" "$3" "$connections"; }
echo "warm-up: ${warmup} s per scenario on each side"
for s in $scenarios; do measure "$gateway/graphql" "$s" "$warmup" >/dev/null; measure "$plain/graphql/$s" "$s" "$(( warmup / 3 + 1 ))" >/dev/null; done
for r in $(seq 1 "$rounds"); do
  for s in $scenarios; do
    g=$(measure "$gateway/graphql" "$s" "$round") || exit 1; p=$(measure "$plain/graphql/$s" "$s" "$round") || exit 1
    echo "$s $g $p" >>"$work/results"
    echo "round $r $s: gateway $g | plain $p"
  done
done

mkdir -p "$(dirname "$out_file")"
{
  echo "Load run $(date -u +%Y-%m-%dT%H:%MZ): $(nproc) cores, platform on core 0, wrk on core 1, $connections connections, ${warmup} s warm-up, $rounds interleaved rounds of ${round} s, medians."
  echo
  echo "| scenario | gateway req/s | plain req/s | ratio | gateway p50 / p99 (ms) | plain p50 / p99 (ms) |"
  echo "|---|---|---|---|---|---|"
  for s in $scenarios; do
    awk -v s="$s" '$1 == s' "$work/results" | node -e '
      const rows = require("fs").readFileSync(0, "utf8").trim().split("\n").map(l => l.trim().split(/ +/).slice(1).map(Number));
      const median = i => { const v = rows.map(r => r[i]).sort((a, b) => a - b); const m = v.length >> 1; return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2; };
      const g = median(0), p = median(3), n = x => Math.round(x).toLocaleString("en");
      console.log(`| ${process.argv[1]} | ${n(g)} | ${n(p)} | ${(g / p).toFixed(3)} | ${median(1).toFixed(2)} / ${median(2).toFixed(2)} | ${median(4).toFixed(2)} / ${median(5).toFixed(2)} |`);' "$s"
  done
} | tee "$out_file"
