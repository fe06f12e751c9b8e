using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace SeedMcp.Benchmarks.Load;

/// <summary>
/// Drives a set of open sessions: each session keeps exactly one <c>tools/call</c> in flight (closed loop), or sends
/// on a fixed schedule (open loop, <c>rate</c> calls/s in total; latency then counts from the scheduled send time, so
/// a slow server cannot hide its queueing). A burst has a warm-up, then a measured window; only calls completing
/// inside the window count, and the caller samples whatever it wants (CPU, memory) exactly when the window opens and
/// closes.
/// </summary>
public static class LoadGenerator
{
    private const int Warmup = 0;
    private const int Measuring = 1;
    private const int Stopped = 2;

    private static readonly TimeSpan StuckCallTimeout = TimeSpan.FromSeconds(30);

    public static async Task<LoadMeasurement> RunAsync(
        IReadOnlyList<McpSession> sessions,
        ToolCall call,
        LoadShape shape,
        Action? windowOpened = null,
        Action? windowClosed = null,
        CancellationToken cancellationToken = default)
    {
        // A server that stops answering must not hang the run: calls still open well after the burst are abandoned.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(shape.Warmup + shape.Duration + StuckCallTimeout);
        var workerToken = deadline.Token;
        var phase = new StrongBox<int>(Warmup);
        var workers = sessions.Select(_ => new Worker()).ToArray();
        var interval = shape.RatePerSecond is { } rate ? TimeSpan.FromSeconds(sessions.Count / rate) : (TimeSpan?)null;
        var startedAt = Stopwatch.GetTimestamp();
        var tasks = sessions.Select((session, i) =>
        {
            // Stagger fixed-rate senders evenly over one interval.
            var offset = interval is { } step ? step * i / sessions.Count : TimeSpan.Zero;
            return Task.Run(() => workers[i].RunAsync(session, call, phase, startedAt + Ticks(offset), interval, workerToken), workerToken);
        }).ToArray();

        try
        {
            await Task.Delay(shape.Warmup, cancellationToken);
            windowOpened?.Invoke();
            var opened = Stopwatch.GetTimestamp();
            Volatile.Write(ref phase.Value, Measuring);
            await Task.Delay(shape.Duration, cancellationToken);
            Volatile.Write(ref phase.Value, Stopped);
            var window = Stopwatch.GetElapsedTime(opened);
            windowClosed?.Invoke();
            await Task.WhenAll(tasks);

            var latency = new LatencyHistogram();
            foreach (var worker in workers)
            {
                latency.Add(worker.Latency);
            }

            return new LoadMeasurement(
                sessions.Count,
                call.Name,
                window,
                latency.Count,
                workers.Sum(w => w.Errors),
                workers.Sum(w => w.Calls + w.Errors),
                workers.Select(w => w.FirstError).FirstOrDefault(e => e is not null),
                latency);
        }
        finally
        {
            Volatile.Write(ref phase.Value, Stopped);
        }
    }

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    private sealed class Worker
    {
        public LatencyHistogram Latency { get; } = new();

        /// <summary>Calls that completed inside the window.</summary>
        public long Calls { get; private set; }

        /// <summary>Failed calls inside the window.</summary>
        public long Errors { get; private set; }

        public string? FirstError { get; private set; }

        public async Task RunAsync(McpSession session, ToolCall call, StrongBox<int> phase, long firstSend, TimeSpan? interval, CancellationToken cancellationToken)
        {
            try
            {
                await LoopAsync(session, call, phase, firstSend, interval, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Abandoned after the burst's deadline (or the run was cancelled): count the call that never came back.
                if (Volatile.Read(ref phase.Value) == Measuring)
                {
                    Errors++;
                }

                FirstError ??= $"no answer {StuckCallTimeout.TotalSeconds:0} s after the burst ended";
            }
        }

        private async Task LoopAsync(McpSession session, ToolCall call, StrongBox<int> phase, long firstSend, TimeSpan? interval, CancellationToken cancellationToken)
        {
            var intervalTicks = interval is { } step ? Ticks(step) : 0;
            var scheduled = firstSend;
            while (Volatile.Read(ref phase.Value) != Stopped)
            {
                long start;
                if (intervalTicks > 0)
                {
                    var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), scheduled);
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait, cancellationToken);
                    }

                    start = scheduled;
                    scheduled += intervalTicks;
                }
                else
                {
                    start = Stopwatch.GetTimestamp();
                }

                string? failure;
                try
                {
                    failure = await session.CallAsync(call, cancellationToken);
                }
                catch (Exception exception) when (exception is HttpRequestException or IOException
                    || (exception is TaskCanceledException && !cancellationToken.IsCancellationRequested))
                {
                    failure = $"{exception.GetType().Name}: {exception.Message}";
                    // A refused connection fails in microseconds: do not spin.
                    await Task.Delay(5, cancellationToken);
                }

                var end = Stopwatch.GetTimestamp();
                if (Volatile.Read(ref phase.Value) != Measuring)
                {
                    continue;
                }

                if (failure is null)
                {
                    Calls++;
                    Latency.Record(end - start);
                }
                else
                {
                    Errors++;
                    FirstError ??= failure;
                }
            }
        }
    }
}

/// <summary>How load is applied: closed loop when <see cref="RatePerSecond"/> is null.</summary>
public sealed record LoadShape(TimeSpan Warmup, TimeSpan Duration, double? RatePerSecond = null);

/// <summary>What one burst measured. Latency percentiles are of successful calls.</summary>
public sealed record LoadMeasurement(
    int Sessions,
    string Tool,
    TimeSpan Window,
    long Calls,
    long Errors,
    long CallsIncludingErrors,
    string? FirstError,
    LatencyHistogram Latency)
{
    public double CallsPerSecond => Calls / Window.TotalSeconds;
}
