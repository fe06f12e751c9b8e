#!/usr/bin/env bash
# Profiles one benchmark scenario with perf: starts it exactly as the suite does (pinned to CPU 0, with its Redis,
# OTLP sink and token issuer), drives echo at 16 sessions, samples the server for 15 s and prints where its CPU goes.
# Usage: SeedMcp.Benchmarks/profiling/profile.sh <scenario> [tool]     e.g. profile.sh full, profile.sh trace-10%
# Needs perf (apt-get install linux-perf) and a Release build (SeedMcp.Benchmarks/run.sh builds one).
set -euo pipefail
scenario="${1:?scenario name, e.g. off, trace-100%, full}"
tool="${2:-echo}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bench="$here/../bin/Release/net10.0/SeedMcp.Benchmarks"
out="$here/../../artifacts/benchmarks/profiles/${scenario//%/p}"
mkdir -p "$out"
command -v perf >/dev/null || { echo "perf is missing: apt-get install -y linux-perf" >&2; exit 1; }

taskset -c 1 "$bench" serve --scenario "$scenario" --perf-map >"$out/serve.txt" 2>&1 &
serve_pid=$!
trap 'kill "$serve_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do grep -q "^  pid" "$out/serve.txt" 2>/dev/null && break; sleep 1; done
url=$(awk '/^  endpoint/ {print $2}' "$out/serve.txt")
pid=$(awk '/^  pid/ {print $2}' "$out/serve.txt")
token=$(awk '/^  token/ {print $2}' "$out/serve.txt")
load=(taskset -c 1 "$bench" load --url "$url" --tool "$tool" --sessions 16 --pid "$pid")
[ -n "$token" ] && load+=(--token "$token")

"${load[@]}" --warmup 8 --duration 2 >/dev/null            # the JIT tiers up first
"${load[@]}" --warmup 1 --duration 20 --json >"$out/load.json" &
load_pid=$!
sleep 3
perf record -F 1999 -g -p "$pid" -o "$out/perf.data" -- sleep 15 >/dev/null 2>&1
wait "$load_pid"
cpu_per_call=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['serverCpuMicrosPerCall'])" "$out/load.json")
perf script -i "$out/perf.data" -F ip,sym,dso 2>/dev/null >"$out/perf.script"
echo "$scenario, $tool@16: $(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(f\"{d['callsPerSecond']} calls/s, {d['serverCpuMicrosPerCall']} µs CPU/call\")" "$out/load.json")"
python3 "$here/attribute.py" "$out/perf.script" "$cpu_per_call"
echo "Raw profile: $out/perf.data (perf report -i ...)"
