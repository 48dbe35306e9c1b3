#!/usr/bin/env bash
# The write-path load harness: the run command in Release on a fresh data folder (demo data, rate limits off), every
# platform process pinned to core 0; the load generator (tools/load/Platform.LoadWrites) on core 1. Scenarios,
# interleaved per round: the raw blob write rate of the same Azurite (new 2 KB blocks, the size of a complaint's stored
# state), complaints filed through GraphQL, votes cast through GraphQL. Medians of operations/s, p50 and p99.
#
#   tools/load/writes.sh                  # 20 s warm-up, 3 rounds of 15 s, 16 callers
#   tools/load/writes.sh --smoke          # a few seconds: checks that figures come out, nothing more
#   options: --warmup S --round S --rounds N --callers N --out FILE; after --, arguments for the run command
#   (e.g. -- --Platform:TraceSampleRatio=0.1)
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
warmup=20 round=15 rounds=3 callers=16 out_file="$root/artifacts/load-writes.md"
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) warmup=2 round=3 rounds=1 callers=4; out_file="$root/artifacts/load-writes-smoke.md" ;;
    --warmup) warmup=$2; shift ;;
    --round) round=$2; shift ;;
    --rounds) rounds=$2; shift ;;
    --callers) callers=$2; shift ;;
    --out) out_file=$2; shift ;;
    --) shift; break ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
[ "$(nproc)" -ge 2 ] || { echo "needs two cores: one for the platform, one for the load" >&2; exit 2; }
work=$(mktemp -d)
platform=""
source "$root/tools/load/common.sh"
cleanup() {
  stop_platform
  rm -rf "$work"
}
trap cleanup EXIT

dotnet build -c Release "$root/tools/load/Platform.LoadWrites" -nologo -v q >/dev/null || exit 1
# A data folder of its own: thousands of load complaints do not land in the developer's platform.
start_platform --Platform:DataPath="$work/data" --Platform:RateLimits=false "$@"
storage=$(sed -n 's/.*"storage": "\(DefaultEndpointsProtocol[^"]*\)".*/\1/p' "$root/gateway/Platform.Gateway/appsettings.json" | head -1)
measure() {
  taskset -c 1 dotnet "$root/tools/load/Platform.LoadWrites/bin/Release/net10.0/Platform.LoadWrites.dll" \
    --scenario "$1" --seconds "$2" --callers "$callers" --gateway "$gateway" --identity http://127.0.0.1:5081 --storage "$storage"
}
scenarios="blobs complaints votes"
echo "warm-up: ${warmup} s per scenario"
for s in $scenarios; do
  line=$(measure "$s" "$warmup") || { echo "the $s load failed" >&2; exit 1; }
  echo "warm-up $line"
done
for r in $(seq 1 "$rounds"); do
  for s in $scenarios; do
    line=$(measure "$s" "$round") || { echo "the $s load failed" >&2; exit 1; }
    echo "$line" >>"$work/results"
    echo "round $r: $line"
  done
done

mkdir -p "$(dirname "$out_file")"
{
  echo "Write load $(date -u +%Y-%m-%dT%H:%MZ): $(nproc) cores, platform and Azurite on core 0, load on core 1, $callers callers, ${warmup} s warm-up, $rounds interleaved rounds of ${round} s, medians."
  echo
  echo "| scenario | operations/s | of the raw blob rate | p50 / p99 (ms) | errors |"
  echo "|---|---|---|---|---|"
  node -e '
    const rows = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(l => l.trim().split(/ +/));
    const median = v => { v = [...v].sort((a, b) => a - b); const m = v.length >> 1; return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2; };
    const of = s => rows.filter(r => r[0] === s).map(r => r.slice(1).map(Number));
    const blobs = median(of("blobs").map(r => r[0]));
    for (const s of ["blobs", "complaints", "votes"]) {
      const r = of(s); const rate = median(r.map(x => x[0]));
      console.log(`| ${s} | ${rate.toFixed(1)} | ${(rate / blobs).toFixed(3)} | ${median(r.map(x => x[1])).toFixed(1)} / ${median(r.map(x => x[2])).toFixed(1)} | ${r.reduce((a, x) => a + x[3], 0)} |`);
    }' "$work/results"
} | tee "$out_file"
