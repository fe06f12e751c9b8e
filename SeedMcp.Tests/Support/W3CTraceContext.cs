using System.Diagnostics;

namespace SeedMcp.Tests.Support;

/// <summary>A fresh, sampled W3C trace context a test can send and then look for.</summary>
public sealed record W3CTraceContext(string TraceId, string SpanId)
{
    public string TraceParent => $"00-{TraceId}-{SpanId}-01";

    public static W3CTraceContext New() => new(ActivityTraceId.CreateRandom().ToHexString(), ActivitySpanId.CreateRandom().ToHexString());
}
