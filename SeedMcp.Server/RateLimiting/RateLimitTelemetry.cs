using System.Diagnostics;
using System.Diagnostics.Metrics;
using SeedMcp.Server.Telemetry;
using Names = SeedMcp.Server.Telemetry.SeedMcpTelemetry.RateLimiting;

namespace SeedMcp.Server.RateLimiting;

/// <summary>
/// Records rate-limit decisions: an event on the current span (the HTTP server span) for each decision, and for a
/// fail-open also a counter and a log line (at most one per <see cref="FailOpenLogInterval"/>, so an outage does not
/// flood the log while the counter still counts every request).
/// </summary>
internal sealed class RateLimitTelemetry
{
    private static readonly TimeSpan FailOpenLogInterval = TimeSpan.FromSeconds(10);

    private readonly Counter<long> _failedOpen;
    private readonly ILogger<RateLimitTelemetry> _logger;
    private readonly TimeProvider _time;
    private long _lastFailOpenLogTimestamp = long.MinValue;

    public RateLimitTelemetry(IMeterFactory meterFactory, ILogger<RateLimitTelemetry> logger, TimeProvider time)
    {
        var meter = meterFactory.Create(Names.MeterName);
        _failedOpen = meter.CreateCounter<long>(Names.FailedOpenCounter, unit: "{request}",
            description: "Requests to /mcp let through without a rate-limit decision because the limiter's store (Redis) failed.");
        _logger = logger;
        _time = time;
    }

    public static void Acquired(string scope, int permitLimit, long? remaining)
    {
        // Every request is a decision: build the event only for a span that is recorded.
        if (Activity.Current is not { IsAllDataRequested: true } span)
        {
            return;
        }

        var tags = new ActivityTagsCollection
        {
            [Names.ScopeAttribute] = scope,
            [Names.PermitLimitAttribute] = permitLimit,
        };
        if (remaining is not null)
        {
            tags[Names.RemainingAttribute] = remaining.Value;
        }

        span.AddEvent(new ActivityEvent(Names.AcquiredEvent, tags: tags));
    }

    public static void Rejected(string scope, int permitLimit, TimeSpan retryAfter) =>
        Activity.Current?.AddEvent(new ActivityEvent(Names.RejectedEvent, tags: new ActivityTagsCollection
        {
            [Names.ScopeAttribute] = scope,
            [Names.PermitLimitAttribute] = permitLimit,
            [Names.RetryAfterAttribute] = (long)Math.Ceiling(retryAfter.TotalSeconds),
        }));

    public void FailedOpen(string scope, Exception exception)
    {
        var errorType = exception.GetType().FullName ?? exception.GetType().Name;
        _failedOpen.Add(1,
            new KeyValuePair<string, object?>(Names.ScopeAttribute, scope),
            new KeyValuePair<string, object?>(SeedMcpTelemetry.Attributes.ErrorType, errorType));
        Activity.Current?.AddEvent(new ActivityEvent(Names.FailedOpenEvent, tags: new ActivityTagsCollection
        {
            [Names.ScopeAttribute] = scope,
            [SeedMcpTelemetry.Attributes.ErrorType] = errorType,
        }));

        var now = _time.GetTimestamp();
        var last = Interlocked.Read(ref _lastFailOpenLogTimestamp);
        if ((last == long.MinValue || _time.GetElapsedTime(last, now) >= FailOpenLogInterval)
            && Interlocked.CompareExchange(ref _lastFailOpenLogTimestamp, now, last) == last)
        {
            RateLimitingLog.FailedOpen(_logger, scope, exception);
        }
    }
}
