using System.Globalization;
using System.Net.Http.Json;
using SeedMcp.Benchmarks.Infrastructure;

namespace SeedMcp.Benchmarks.Otlp;

/// <summary>The <see cref="OtlpSink"/> as a child process, with one OTLP port per server under test.</summary>
public sealed class OtlpSinkProcess : IAsyncDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly Uri _stats;

    private OtlpSinkProcess(ChildProcess process, int statsPort)
    {
        Process = process;
        _stats = new Uri($"http://127.0.0.1:{statsPort}{OtlpSink.StatsPath}");
    }

    public ChildProcess Process { get; }

    /// <param name="httpPorts">Ports answering OTLP/HTTP whatever <paramref name="protocol"/> is.</param>
    public static async Task<OtlpSinkProcess> StartAsync(
        IReadOnlyList<int> ports, string protocol, string? cpus, string logPath, CancellationToken cancellationToken, IReadOnlyList<int>? httpPorts = null)
    {
        var statsPort = FreePort.Next();
        string[] extra = httpPorts is { Count: > 0 } ? ["--http-ports", string.Join(',', httpPorts.Select(p => p.ToString(CultureInfo.InvariantCulture)))] : [];
        var (fileName, arguments) = Self.Command(
            [
                "otlp-sink",
                "--ports", string.Join(',', ports.Select(p => p.ToString(CultureInfo.InvariantCulture))),
                "--protocol", protocol,
                "--stats-port", statsPort.ToString(CultureInfo.InvariantCulture),
                .. extra,
            ]);
        var process = ChildProcess.Start("otlp-sink", cpus, fileName, arguments, new Dictionary<string, string>(), AppContext.BaseDirectory, logPath);
        var sink = new OtlpSinkProcess(process, statsPort);
        await process.WaitUntilReadyAsync(
            async token => (await sink._http.GetAsync(sink._stats, token)).IsSuccessStatusCode, TimeSpan.FromSeconds(30), cancellationToken);
        return sink;
    }

    /// <summary>Counts so far, by OTLP port.</summary>
    public async Task<IReadOnlyDictionary<int, EndpointStats>> StatsAsync(CancellationToken cancellationToken)
    {
        var stats = await _http.GetFromJsonAsync<Dictionary<string, EndpointStats>>(_stats, cancellationToken)
            ?? throw new InvalidOperationException("The OTLP sink returned no stats.");
        return stats.ToDictionary(pair => int.Parse(pair.Key, CultureInfo.InvariantCulture), pair => pair.Value);
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await Process.DisposeAsync();
    }
}
