#!/usr/bin/env bash
# The scale harness: the run command in Release (every process on core 0, rate limits off) on a data folder of its own,
# seeded through the grains by tools/load/Platform.ScaleSeed (342 municipalities, 1,000 arrangements, complaints) from
# core 1; at each size, wrk on core 1 measures the complaint list with filters (as the executing organisation's staff,
# who see every complaint of the 1,000 arrangements) and the arrangements list (anonymous, run in full), and the silo's
# resident memory is read after those reads.
#
#   tools/load/scale.sh                          # sizes 10000 and 100000 complaints; a fresh folder, deleted after
#   tools/load/scale.sh --sizes "1000 5000" --data /tmp/scale   # keep (and reuse) a seeded folder
#   tools/load/scale.sh --sizes 50000 --seeded 50000 --data /tmp/scale       # measure a folder seeded before
#   options: --sizes "N ..." --data DIR --seeded N (complaints the folder holds already) --seconds S (per figure)
#            --warmup S (load before each figure, default 60: on one saturated core the JIT's tiers take a minute)
#            --connections "N ..." (default "1 8": one user's latency, then eight at once on the one core) --out FILE
#            --queries "NAME ..." (default all: list text text-rare arrangements arrangements-staff)
#            --no-staff-mail (the seed first switches off the executing organisation's staff's new-complaint mail: at
#            100,000 filings that is 200,000 mails, sent on the core that is measured)
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
sizes="10000 100000" data="" seeded=0 seed_options="" seconds=15 warmup=60 connections="1 8" queries="list text text-rare arrangements arrangements-staff" out_file="$root/artifacts/load-scale.md"
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) sizes=$2; shift ;;
    --data) data=$2; shift ;;
    --seeded) seeded=$2; shift ;;
    --seconds) seconds=$2; shift ;;
    --warmup) warmup=$2; shift ;;
    --connections) connections=$2; shift ;;
    --queries) queries=$2; shift ;;
    --out) out_file=$2; shift ;;
    --no-staff-mail) seed_options="--no-staff-mail" ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
[ "$(nproc)" -ge 2 ] || { echo "needs two cores: one for the platform, one for the load" >&2; exit 2; }
command -v wrk >/dev/null || { echo "wrk is missing: run tools/load/run.sh once, or apt-get install wrk" >&2; exit 2; }
work=$(mktemp -d)
keep=1; [ -z "$data" ] && { data="$work/data"; keep=0; }
platform=""
source "$root/tools/load/common.sh"
cleanup() {
  stop_platform
  rm -rf "$work"
}
trap cleanup EXIT
for p in tools/load/Platform.ScaleSeed tools/load/Platform.LoadWrites; do
  dotnet build -c Release "$root/$p" -nologo -v q >/dev/null || exit 1
done
start_platform --Platform:DataPath="$data" --Platform:RateLimits=false
storage=$(sed -n 's/.*"storage": "\(DefaultEndpointsProtocol[^"]*\)".*/\1/p' "$root/gateway/Platform.Gateway/appsettings.json" | head -1)
membership="${storage%%BlobEndpoint=*}TableEndpoint=http://127.0.0.1:10012/devstoreaccount1;" # the run command's membership table (a table service of its own)

request() { # name, JSON body, token (optional), "kept" (optional: without Cache-Control: no-cache): wrk's script, and the answer to exactly its headers in $work/NAME.answer
  printf '%s' "$2" >"$work/$1.json"
  local headers=(); [ "${4:-}" = kept ] || headers+=("Cache-Control: no-cache"); [ -n "${3:-}" ] && headers+=("Authorization: Bearer $3")
  wrk_script "$work/$1.json" "$work/$1.lua" "${headers[@]}"
  curl -sf "$gateway/graphql" -H 'content-type: application/json' "${headers[@]/#/-H}" --data-binary @"$work/$1.json" >"$work/$1.answer" \
    || { echo "the gateway did not answer $1" >&2; exit 1; }
}
measure() { wrk_figures "$gateway/graphql" "$work/$1.lua" "$2" "$3"; } # name seconds connections -> "req/s p50 p99"
most=$(printf '%s\n' $connections | sort -n | tail -1)
: >"$work/results"
for size in $sizes; do
  echo "seeding to $size complaints"
  taskset -c 1 dotnet "$root/tools/load/Platform.ScaleSeed/bin/Release/net10.0/Platform.ScaleSeed.dll" --complaints "$size" --skip "$seeded" --membership "$membership" $seed_options || exit 1
  [ "$size" -gt "$seeded" ] && seeded=$size
  token=$(taskset -c 1 dotnet "$root/tools/load/Platform.LoadWrites/bin/Release/net10.0/Platform.LoadWrites.dll" --scenario token --user executor@demo.test) || exit 1
  request list '{"query":"{ complaints(filter: { status: [SUBMITTED], serviceCode: \"grofvuil\" }, first: 20) { totalCount edges { node { key status filedAt } } } }"}' "$token"
  request text '{"query":"{ complaints(filter: { text: \"container\", filedFrom: \"2020-01-01\" }, first: 20) { totalCount edges { node { key } } } }"}' "$token"
  # A rare word: one complaint's own number (every seeded description reads "Melding N: afval naast de container ..."),
  # so a page is found only after every visible row's description was read.
  request text-rare '{"query":"{ complaints(filter: { text: \"melding 4242:\" }, first: 20) { totalCount edges { node { key } } } }"}' "$token"
  request arrangements '{"query":"{ arrangements(first: 50) { totalCount edges { node { key name members { municipality { name } } } } } }"}'
  # The same page as the executing organisation's staff, without no-cache: no kept answer serves a signed-in caller, so
  # it runs in full, reading the records the gateway keeps under the public data feed.
  request arrangements-staff '{"query":"{ arrangements(first: 50) { totalCount edges { node { key name members { municipality { name } } } } } }"}' "$token" kept
  for name in $queries; do
    grep -q '"errors"' "$work/$name.answer" && { echo "$name answered with errors: $(head -c 400 "$work/$name.answer")" >&2; exit 1; }
    total=$(sed -n 's/.*"totalCount":\([0-9]*\).*/\1/p' "$work/$name.answer" | head -1)
    measure "$name" "$warmup" "$most" >/dev/null # warm: the same request for $warmup seconds first
    for c in $connections; do
      line=$(measure "$name" "$seconds" "$c") || exit 1
      echo "$size $name ${total:-?} $c $line" | tee -a "$work/results"
    done
  done
  rss=$(ps -o rss= -C Platform.Silo | awk '{ s += $1 } END { printf "%.0f", s / 1024 }')
  echo "$size silo-memory $rss" | tee -a "$work/results"
done

mkdir -p "$(dirname "$out_file")"
{
  echo "Scale run $(date -u +%Y-%m-%dT%H:%MZ): $(nproc) cores, platform on core 0, wrk on core 1, ${seconds} s per figure after ${warmup} s of the same request; 342 municipalities, 1,000 arrangements."
  echo
  echo "| complaints | query | rows matched | connections | req/s | p50 / p99 (ms) |"
  echo "|---|---|---|---|---|---|"
  awk '$2 != "silo-memory" { printf "| %s | %s | %s | %s | %s | %s / %s |\n", $1, $2, $3, $4, $5, $6, $7 }' "$work/results"
  echo
  awk '$2 == "silo-memory" { printf "Silo resident memory after the reads at %s complaints: %s MiB.\n", $1, $3 }' "$work/results"
} | tee "$out_file"
[ "$keep" = 1 ] && echo "the seeded platform's data stays in $data"
