# Shared by the load harnesses (sourced, with $root and $work set): the run command on core 0, wrk on core 1.

# start_platform [run-command arguments]: builds the run command in Release and starts it with every process on core 0,
# as a process group of its own ($platform; stop_platform ends it), its log in $work/platform.log; returns once the
# gateway ($gateway) is healthy and has had 10 s to settle.
start_platform() {
  gateway=http://127.0.0.1:5080
  dotnet build -c Release "$root/infra/Platform.AppHost" -nologo -v q >/dev/null || exit 1
  setsid taskset -c 0 dotnet run -c Release --no-build --project "$root/infra/Platform.AppHost" -- "$@" >"$work/platform.log" 2>&1 &
  platform=$!
  for _ in $(seq 1 300); do curl -sf -o /dev/null -m 2 "$gateway/health" && break; sleep 1; done
  curl -sf -o /dev/null -m 2 "$gateway/health" || { echo "the platform did not become healthy" >&2; tail -20 "$work/platform.log" >&2; exit 1; }
  sleep 10
}

# stop_platform: SIGTERM to the run command's process group (it and everything it started), then waits for it.
stop_platform() {
  if [ -n "${platform:-}" ]; then kill -TERM -- "-$platform" 2>/dev/null && wait "$platform" 2>/dev/null; fi
  return 0
}

# wrk_script BODY_FILE LUA_FILE [HEADER: VALUE ...]: a wrk script that POSTs the bytes of BODY_FILE as JSON, with the
# headers given. The body is read from its file by Lua: pasted into a Lua string literal, a JSON body loses the
# backslashes of its escaped quotes, and every request becomes a 400 (published-reads.sh measured exactly that until
# 4 December).
wrk_script() {
  local body=$1 lua=$2; shift 2
  printf 'wrk.method="POST"\nwrk.headers["Content-Type"]="application/json"\nwrk.body=io.open("%s"):read("*a")\n' "$body" >"$lua"
  local header
  for header in "$@"; do printf 'wrk.headers["%s"]="%s"\n' "${header%%: *}" "${header#*: }" >>"$lua"; done
}

# wrk_figures URL SCRIPT SECONDS CONNECTIONS: one wrk run on core 1, printed as "requests/s p50-ms p99-ms". Fails (and
# prints nothing on stdout) when any answer was not 2xx or a connection failed: such a rate is of errors, not of the
# request. Requests that wrk gave up on (no answer in 2 s) are reported on stderr and leave the figure standing.
wrk_figures() {
  taskset -c 1 wrk -t1 -c"$4" -d"${3}s" --latency -s "$2" "$1" 2>/dev/null | awk -v url="$1" '
    function ms(v) { if (v ~ /us$/) return v/1000; if (v ~ /ms$/) return v+0; if (v ~ /s$/) return v*1000; return v }
    /Requests\/sec/ { r = $2 } /^ +50%/ { p50 = ms($2) } /^ +99%/ { p99 = ms($2) } / requests in / { n = $1 }
    /Non-2xx or 3xx responses:/ { bad = $5 }
    /Socket errors:/ { gsub(",", ""); sock = $4 + $6 + $8; slow = $10 }
    END {
      if (bad + sock > 0 || r == "") {
        printf "wrk against %s: %d of %d answers not 2xx, %d socket errors; no figure\n", url, bad, n, sock > "/dev/stderr"
        exit 1
      }
      if (slow > 0) printf "wrk against %s: %d of %d requests not answered within 2 s\n", url, slow, n > "/dev/stderr"
      printf "%s %.2f %.2f\n", r, p50, p99
    }'
}
