#!/usr/bin/env bash
# Session memory (issue 14): the server's RSS while N sessions are opened (default 20,000) against a real Redis, with
# Sessions:MaxInProcess at its default (or as given), sampled every N/4 sessions; then the oldest session must still
# answer (restored from Redis). Usage: SeedMcp.Benchmarks/session-memory.sh [sessions] [max-in-process]
# Prints "sessions rss_kb gc_heap_mb" lines and the growth over the idle server. Exits 1 if the oldest session does not answer.
set -euo pipefail
sessions="${1:-20000}"
max_in_process="${2:-}"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
if ! command -v redis-server >/dev/null; then as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server; fi
dotnet build SeedMcp.Server -c Release --nologo -v quiet -clp:ErrorsOnly

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
redis_port=$(free_port); server_port=$(free_port)
work=$(mktemp -d); pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$work" >"$work/redis.log" 2>&1 & pids+=($!)
extra=(); [ -n "$max_in_process" ] && extra=(env Sessions__MaxInProcess="$max_in_process")
ASPNETCORE_URLS="http://127.0.0.1:$server_port" ASPNETCORE_ENVIRONMENT=Development AUTH_REQUIRED=false \
  RateLimiting__Enabled=false ConnectionStrings__cache="127.0.0.1:$redis_port" Logging__LogLevel__Default=Warning \
  "${extra[@]}" dotnet SeedMcp.Server/bin/Release/net10.0/SeedMcp.Server.dll >"$work/server.log" 2>&1 & server_pid=$!; pids+=($server_pid)
for _ in $(seq 150); do curl -fs "http://127.0.0.1:$server_port/alive" >/dev/null && break; sleep 0.2; done

echo "Session memory: ${sessions} sessions, Sessions:MaxInProcess=${max_in_process:-default}, Redis sessions; server pid $server_pid"
SERVER_PORT="$server_port" SERVER_PID="$server_pid" SESSIONS="$sessions" python3 - <<'PY'
import http.client, json, os, time
port, pid, total = int(os.environ["SERVER_PORT"]), int(os.environ["SERVER_PID"]), int(os.environ["SESSIONS"])
headers = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}
initialize = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2025-11-25",
    "capabilities": {}, "clientInfo": {"name": "session-memory", "version": "1"}}})
initialized = json.dumps({"jsonrpc": "2.0", "method": "notifications/initialized"})
echo = json.dumps({"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"name": "echo", "arguments": {"message": "hi"}}})
connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

def post(body, session=None):
    h = dict(headers)
    if session:
        h["Mcp-Session-Id"] = session
        h["MCP-Protocol-Version"] = "2025-11-25"
    connection.request("POST", "/mcp", body, h)
    response = connection.getresponse()
    response.read()
    return response

def rss_kb():
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS"))

def gc_heap_mb():
    connection.request("GET", "/metrics")
    text = connection.getresponse().read().decode()
    return sum(float(line.split()[-1]) for line in text.splitlines() if line.startswith("dotnet_gc_last_collection_heap_size_bytes")) / 2**20

def open_session():
    response = post(initialize)
    if response.status != 200:
        raise SystemExit(f"initialize answered {response.status}")
    session = response.getheader("Mcp-Session-Id")
    post(initialized, session)
    return session

# The idle server: started, JIT warmed by a few sessions and calls.
for _ in range(20):
    post(echo, open_session())
time.sleep(6)
idle = rss_kb()
print("sessions rss_kb gc_heap_mb")
print(f"idle {idle} {gc_heap_mb():.0f}")
first = None
step = max(1, total // 4)
started = time.time()
for i in range(1, total + 1):
    session = open_session()
    first = first or session
    if i % step == 0:
        print(f"{i} {rss_kb()} {gc_heap_mb():.0f}", flush=True)
elapsed = time.time() - started
time.sleep(6)  # one pass of the SDK's idle pruning (every 5 s)
settled = rss_kb()
status = post(echo, first).status
print(f"settled {settled} {gc_heap_mb():.0f}")
print(f"Opened {total} sessions in {elapsed:.0f} s; RSS {idle // 1024} -> {settled // 1024} MB ({(settled - idle) // 1024:+d} MB over the idle server); "
      f"the oldest session answered {status}")
raise SystemExit(0 if status == 200 else 1)
PY
