#!/usr/bin/env python3
"""Attributes `perf script -F ip,sym,dso` samples of a SeedMcp server to components.

Each sample goes to the leaf-most frame that belongs to a named component (so time in a shared helper counts for
the component that called it); samples with no such frame go to their leaf's library (kernel, runtime, libc...).
Usage: attribute.py perf.script [cpu_us_per_call]
"""
import collections
import re
import sys

COMPONENTS = [
    ("auth: JWT validation (IdentityModel, JwtBearer, OpenSSL)", r"Microsoft\.IdentityModel|JwtBearer|libcrypto|System\.Security\.Cryptography"),
    ("auth: SeedMcp auth middleware", r"SeedMcp\.Server\.Auth"),
    ("rate limiting (ASP.NET Core limiter, SeedMcp sliding windows)",
     r"Microsoft\.AspNetCore\.RateLimiting\.RateLimitingMiddleware|System\.Threading\.RateLimiting|SeedMcp\.Server\.RateLimiting"),
    ("Redis command spans (SeedMcp RedisCommandSpans)", r"RedisCommandSpans"),
    ("Redis client (StackExchange.Redis)", r"StackExchange\.Redis|Pipelines\.Sockets"),
    ("sessions (SeedMcp store + middleware)", r"SeedMcp\.Server\.Sessions"),
    ("OTel metrics (instruments, aggregation)", r"OpenTelemetry\.Metrics|System\.Diagnostics\.Metrics|MeterProvider|Metrics::"),
    ("OTel ASP.NET Core instrumentation", r"OpenTelemetry\.Instrumentation\.AspNetCore"),
    ("OTLP export (serialize, send)", r"OpenTelemetry\.Exporter|ObservedBatchExportProcessor|ObservedOtlp|BatchExport"),
    ("OTel SDK (sampling, processors, logs)", r"\[OpenTelemetry|OpenTelemetry\.|SpanCountingProcessor|TracingHealthMetrics"),
    ("Activity / DiagnosticSource", r"System\.Diagnostics\.Activity|DiagnosticSource|DiagnosticListener|HostingApplicationDiagnostics"),
    ("SeedMcp telemetry filters", r"SeedMcp\.Server\.Telemetry"),
    ("MCP SDK (JSON-RPC, Streamable HTTP, tools)", r"ModelContextProtocol"),
    ("SeedMcp (tools, other)", r"SeedMcp\.Server"),
    ("System.Text.Json", r"System\.Text\.Json"),
    ("Kestrel / ASP.NET Core pipeline", r"Microsoft\.AspNetCore|Microsoft\.Extensions"),
]
LIBRARIES = [
    ("kernel: network + thread wake-ups/scheduling", "kallsyms"),
    ("runtime (GC, stubs, JIT helpers)", "libcoreclr"),
    ("JIT", "libclrjit"),
    ("libc", "libc.so"),
    ("CoreLib (tasks, collections)", "System.Private.CoreLib"),
]
RULES = [(name, re.compile(pattern)) for name, pattern in COMPONENTS]


def attribute(stack):
    for frame in stack:
        for name, pattern in RULES:
            if pattern.search(frame):
                return name
    return next((name for name, marker in LIBRARIES if marker in stack[0]), "other")


def main():
    counts, stack, total = collections.Counter(), [], 0
    with open(sys.argv[1], encoding="utf-8", errors="replace") as lines:
        for line in list(lines) + [""]:
            if line.strip():
                stack.append(line)
                continue
            if stack:
                counts[attribute(stack)] += 1
                total += 1
                stack = []
    per_call = float(sys.argv[2]) if len(sys.argv) > 2 else None
    for name, count in counts.most_common():
        share = count / total
        extra = f"  {share * per_call:6.1f} µs/call" if per_call else ""
        print(f"{100 * share:5.1f} %{extra}  {name}")
    print(f"{total} samples")


if __name__ == "__main__":
    main()
