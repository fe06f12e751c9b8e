using System.Diagnostics.Metrics;
using SeedMcp.Server.Redis;
using SeedMcp.Server.Sessions;
using SeedMcp.Server.Telemetry;
using StackExchange.Redis;

namespace SeedMcp.Server.Status;

/// <summary>
/// Every few seconds, measures what dashboards and alerts watch between requests: active sessions, and whether Redis
/// answers and how fast (asking <see cref="RedisProbe"/>). Gauges read the last measurement, so a scrape never waits on Redis.
/// </summary>
public sealed partial class StatusMonitor : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private readonly ISessionStore _sessions;
    private readonly RedisProbe _redis;
    private readonly ILogger<StatusMonitor> _logger;
    private readonly Histogram<double> _redisRoundTrip;
    private long _activeSessions;
    private int _redisUp = 1;

    public StatusMonitor(ISessionStore sessions, RedisProbe redis, IMeterFactory meterFactory, ILogger<StatusMonitor> logger)
    {
        _sessions = sessions;
        _redis = redis;
        _logger = logger;

        var meter = meterFactory.Create(SeedMcpTelemetry.Meters.Status);
        meter.CreateObservableGauge(SeedMcpTelemetry.Meters.SessionsActive, () => Volatile.Read(ref _activeSessions), "{session}", "Live MCP sessions in the session store.");
        _redisRoundTrip = meter.CreateHistogram(SeedMcpTelemetry.Meters.RedisRoundTrip, "s", "Round trip of a Redis PING.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1] });
        if (_redis.Configured)
        {
            meter.CreateObservableGauge(SeedMcpTelemetry.Meters.RedisUp, () => Volatile.Read(ref _redisUp), description: "1 when Redis answered the last PING, else 0.");
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            await MeasureAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task MeasureAsync(CancellationToken cancellationToken)
    {
        // Measurements are background work: they must not become spans of their own or join a request's trace.
        using var suppress = OpenTelemetry.SuppressInstrumentationScope.Begin();
        try
        {
            if (_redis.Configured)
            {
                var ping = await _redis.PingAsync(Interval, cancellationToken);
                if (ping.RoundTrip is not { } roundTrip)
                {
                    Unreachable(ping.Error);
                    return;
                }

                _redisRoundTrip.Record(roundTrip.TotalSeconds);
                Volatile.Write(ref _redisUp, 1);
            }

            Volatile.Write(ref _activeSessions, await _sessions.CountActiveAsync(cancellationToken));
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            Unreachable(exception.Message);
        }
    }

    private void Unreachable(string? reason)
    {
        if (Interlocked.Exchange(ref _redisUp, 0) == 1)
        {
            RedisUnreachable(_logger, reason);
        }
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "Redis does not answer: {Reason}")]
    private static partial void RedisUnreachable(ILogger logger, string? reason);
}
