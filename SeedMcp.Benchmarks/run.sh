#!/usr/bin/env bash
# Runs the SeedMcp benchmark (issue 6) from a fresh Debian/Ubuntu machine: installs what it needs, builds in Release,
# and runs the interleaved suite. Pass --quick for a ~2 minute run; any other suite option is passed on
# (see `SeedMcp.Benchmarks/bin/Release/net10.0/SeedMcp.Benchmarks help`).
# The report lands in artifacts/benchmarks/<timestamp>/report.md (raw data in results.json, server logs in logs/).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
command -v redis-server >/dev/null || missing+=(redis-server)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
command -v taskset >/dev/null || missing+=(util-linux)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]}..."
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi

# A package-installed redis-server may also run as a system service; the benchmark starts its own on a free port.
(cd SeedMcp.Benchmarks/ts-peer && npm ci --no-audit --no-fund --loglevel=error)

# Builds SeedMcp.Server (Release) too: the benchmark project references it for build order.
dotnet build SeedMcp.Benchmarks -c Release --nologo -v quiet -clp:ErrorsOnly

exec SeedMcp.Benchmarks/bin/Release/net10.0/SeedMcp.Benchmarks suite "$@"
