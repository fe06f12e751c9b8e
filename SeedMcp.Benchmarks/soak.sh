#!/usr/bin/env bash
# Soak (issue 7): steady MCP load against one server for N minutes (default 10), with real Redis and tracing on at
# 100 % exported over OTLP; samples RSS, GC heap and open spans every minute and prints them, then checks that memory
# and open spans stay flat. Usage: SeedMcp.Benchmarks/soak.sh [minutes] [calls-per-second]
set -euo pipefail
minutes="${1:-10}"
rate="${2:-200}"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
if ! command -v redis-server >/dev/null; then as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server; fi
dotnet build SeedMcp.Benchmarks -c Release --nologo -v quiet -clp:ErrorsOnly

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
redis_port=$(free_port); sink_port=$(free_port); stats_port=$(free_port); server_port=$(free_port)
work=$(mktemp -d); pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
bench=SeedMcp.Benchmarks/bin/Release/net10.0/SeedMcp.Benchmarks

redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$work" >"$work/redis.log" 2>&1 & pids+=($!)
"$bench" otlp-sink --ports "$sink_port" --protocol grpc --stats-port "$stats_port" >"$work/sink.log" 2>&1 & pids+=($!)
ASPNETCORE_URLS="http://127.0.0.1:$server_port" ASPNETCORE_ENVIRONMENT=Development AUTH_REQUIRED=false \
  RateLimiting__Enabled=false ConnectionStrings__cache="127.0.0.1:$redis_port" \
  OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$sink_port" OTEL_EXPORTER_OTLP_PROTOCOL=grpc \
  Logging__LogLevel__Default=Warning \
  dotnet SeedMcp.Server/bin/Release/net10.0/SeedMcp.Server.dll >"$work/server.log" 2>&1 & server_pid=$!; pids+=($server_pid)
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$server_port/alive" >/dev/null && break; sleep 0.2; done

sample() { # minute rss_kb gc_heap_bytes spans_active
  local metrics; metrics=$(curl -fs "http://127.0.0.1:$server_port/metrics")
  printf '%s %s %s %s\n' "$1" "$(awk '/VmRSS/ {print $2}' "/proc/$server_pid/status")" \
    "$(awk '/^dotnet_gc_last_collection_heap_size_bytes/ {s+=$2} END {printf "%d", s}' <<<"$metrics")" \
    "$(awk '/^tracing_spans_active/ {s+=$2} END {printf "%d", s}' <<<"$metrics")"
}

echo "Soak: ${minutes} min at ${rate} calls/s, 16 sessions, echo, tracing on (100 %), Redis sessions; server pid $server_pid"
"$bench" load --url "http://127.0.0.1:$server_port/mcp" --tool echo --sessions 16 --rate "$rate" \
  --duration "$((minutes * 60))" --warmup 5 --pid "$server_pid" --json >"$work/load.json" 2>"$work/load.err" & load_pid=$!
echo "minute rss_kb gc_heap_bytes tracing_spans_active" | tee "$work/samples.txt"
sleep 10; sample 0 | tee -a "$work/samples.txt"
for minute in $(seq "$minutes"); do sleep 60; sample "$minute" | tee -a "$work/samples.txt"; done
wait "$load_pid"
sleep 6; sample idle | tee -a "$work/samples.txt"
echo "Load result:"; cat "$work/load.json"; echo
# Growth is judged after the first fifth of the run (JIT, pools and GC budgets settle there), over the rest of it.
settle=$(( (minutes + 4) / 5 ))
awk -v settle="$settle" '$1==settle {rss0=$2; heap0=$3} $1!="minute" && $1!="idle" {rss=$2; heap=$3} $1=="idle" {spans=$4}
     END {printf "After minute %d: RSS %d -> %d KB (%+d KB), GC heap %d -> %d bytes; open spans at idle: %d\n", settle, rss0, rss, rss-rss0, heap0, heap, spans;
          exit (rss - rss0 > 20480 || spans != 0) ? 1 : 0}' "$work/samples.txt"
