using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Logs;
using OpenTelemetry.Trace;

namespace SeedMcp.ServiceDefaults;

/// <summary>
/// Shutdown in the order a load balancer needs: on SIGTERM the service first <em>drains</em> — <c>/health</c> answers
/// 503 and new requests get 503 with <c>Retry-After</c> — for <c>Shutdown:DrainDelay</c>, while requests already in
/// flight finish; then Kestrel stops, and every finished span and log record is exported before the host disposes.
/// </summary>
public static partial class GracefulShutdown
{
    public const string DrainDelayKey = "Shutdown:DrainDelay";

    public static TBuilder AddGracefulShutdown<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var drainDelay = builder.Configuration.GetValue(DrainDelayKey,
            builder.Environment.IsDevelopment() ? TimeSpan.Zero : TimeSpan.FromSeconds(5));
        if (drainDelay < TimeSpan.Zero || drainDelay > TimeSpan.FromMinutes(5))
        {
            throw new InvalidOperationException($"Setting '{DrainDelayKey}' (env Shutdown__DrainDelay) must be between 00:00:00 and 00:05:00, but was {drainDelay}.");
        }

        builder.Services.AddSingleton(new DrainState(drainDelay));
        builder.Services.AddHostedService<DrainOnStopping>();
        builder.Services.AddHealthChecks().AddCheck<DrainingHealthCheck>("draining");
        // In-flight requests get the drain delay plus the usual 30 s to finish.
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = drainDelay + TimeSpan.FromSeconds(30));
        return builder;
    }

    /// <summary>
    /// Refuses new work while draining — 503, <c>Retry-After: 1</c>, <c>Connection: close</c> — with the body
    /// <paramref name="writeRefusal"/> writes (a service's own error format), plain text by default; health and
    /// liveness probes still answer (health with 503). Put it near the start of the pipeline: nothing behind it
    /// starts new work while draining.
    /// </summary>
    public static IApplicationBuilder UseGracefulShutdown(this IApplicationBuilder app, Func<HttpContext, Task>? writeRefusal = null)
    {
        var state = app.ApplicationServices.GetRequiredService<DrainState>();
        var refuse = writeRefusal ?? WritePlainRefusalAsync;
        return app.Use(async (context, next) =>
        {
            if (!state.IsDraining
                || context.Request.Path.StartsWithSegments(Extensions.HealthEndpointPath)
                || context.Request.Path.StartsWithSegments(Extensions.AlivenessEndpointPath))
            {
                await next(context);
                return;
            }

            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = "1";
            context.Response.Headers.Connection = "close";
            await refuse(context);
        });
    }

    private static Task WritePlainRefusalAsync(HttpContext context)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync("Service Unavailable: the service is shutting down. Retry on another instance.", context.RequestAborted);
    }

    /// <summary>Whether the service is draining, and for how long it drains.</summary>
    public sealed class DrainState(TimeSpan drainDelay)
    {
        private volatile bool _draining;

        public TimeSpan DrainDelay => drainDelay;

        public bool IsDraining => _draining;

        internal void BeginDraining() => _draining = true;
    }

    /// <summary>
    /// Drains before any hosted service stops, so Kestrel still serves (with 503s) while the delay runs; once every
    /// hosted service has stopped (Kestrel too, so no request can end a span any more), flushes the telemetry.
    /// </summary>
    private sealed partial class DrainOnStopping(
        DrainState state, ILogger<DrainState> logger, TracerProvider? tracerProvider = null, LoggerProvider? loggerProvider = null) : IHostedLifecycleService
    {
        /// <summary>
        /// OpenTelemetry gives its exporters 5 s at disposal and drops what is still queued after that: on a loaded
        /// machine the last seconds of a busy server's spans take longer. The flush before it gets this long.
        /// </summary>
        private const int FlushTimeoutMilliseconds = 10_000;

        private int _flushed;

        public async Task StoppingAsync(CancellationToken cancellationToken)
        {
            state.BeginDraining();
            Draining(logger, state.DrainDelay.TotalSeconds);
            if (state.DrainDelay > TimeSpan.Zero)
            {
                await Task.Delay(state.DrainDelay, cancellationToken).ContinueWith(static _ => { }, TaskScheduler.Default);
            }
        }

        public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StoppedAsync(CancellationToken cancellationToken)
        {
            // A host stopped twice (tests do) flushes once.
            if (Interlocked.Exchange(ref _flushed, 1) == 1)
            {
                return Task.CompletedTask;
            }

            var traced = tracerProvider?.ForceFlush(FlushTimeoutMilliseconds) ?? true;
            var logged = loggerProvider?.ForceFlush(FlushTimeoutMilliseconds) ?? true;
            if (!traced || !logged)
            {
                FlushIncomplete(logger, FlushTimeoutMilliseconds / 1000);
            }

            return Task.CompletedTask;
        }

        [LoggerMessage(EventId = 9102, Level = LogLevel.Warning,
            Message = "Shutting down: the telemetry still queued was not all exported within {FlushSeconds} s; what remains is dropped")]
        private static partial void FlushIncomplete(ILogger logger, int flushSeconds);

        [LoggerMessage(EventId = 9101, Level = LogLevel.Information,
            Message = "Shutting down: draining for {DrainSeconds} s (health answers 503, new requests are refused, requests in flight finish)")]
        private static partial void Draining(ILogger logger, double drainSeconds);
    }

    private sealed class DrainingHealthCheck(DrainState state) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(state.IsDraining ? HealthCheckResult.Unhealthy("Shutting down.") : HealthCheckResult.Healthy());
    }
}
