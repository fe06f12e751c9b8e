using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using SeedMcp.Tests.Support;
using SeedMcp.Tests.Tools;

namespace SeedMcp.Tests.Telemetry;

/// <summary>
/// The tail-sampling buffer's bound under a burst of concurrent slow requests (real Kestrel, a real OTLP receiver):
/// the held spans never exceed <c>MaxHeldSpans</c>, the oldest traces are decided early, and what that loses (traces
/// dropped early that turn out slow) is counted under <c>tracing_errors_total{reason="tail_buffer_full"}</c>.
/// Invalid settings stop startup with a message naming the setting.
/// </summary>
public sealed partial class TailSamplingBoundTests(DashboardReceiverFixture fixture) : IClassFixture<DashboardReceiverFixture>
{
    private const int MaxHeldSpans = 10;
    private const int Concurrent = 40;

    [Fact]
    public async Task The_bound_holds_under_a_burst_and_the_losses_are_counted()
    {
        await using var server = await ServerHost.StartAsync(new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = fixture.Receiver.OtlpGrpcEndpoint.ToString(),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpc",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            ["OTEL_TRACES_SAMPLER"] = "parentbased_traceidratio",
            ["OTEL_TRACES_SAMPLER_ARG"] = "0",
            ["Telemetry:TailSampling:Enabled"] = "true",
            ["Telemetry:TailSampling:KeepSlowerThan"] = "00:00:00.200",
            ["Telemetry:TailSampling:MaxHeldSpans"] = MaxHeldSpans.ToString(CultureInfo.InvariantCulture),
            ["Telemetry:Prometheus:Enabled"] = "true",
        }, services =>
        {
            services.AddSingleton<SlowToolProbe>();
            services.AddMcpServer().WithTools<SlowTool>();
        });
        using var http = RawMcp.CreateHttpClient();
        var sessions = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => RawMcp.OpenSessionAsync(http, server.McpEndpoint)));

        // Each call's session.touch ends at once and is held; its tool waits 400 ms, longer than the threshold.
        using var burstDone = new CancellationTokenSource();
        var held = WatchHeldSpansAsync(http, server.BaseAddress, burstDone.Token);
        var calls = Enumerable.Range(0, Concurrent).Select(async i =>
        {
            using var response = await http.SendAsync(RawMcp.Post(server.McpEndpoint,
                RawMcp.CallTool("wait", """{"milliseconds":400}""", id: 10 + i), sessions[i % sessions.Length], McpTestClient.SessionProtocolVersion));
            response.EnsureSuccessStatusCode();
            await response.Content.ReadAsStringAsync();
        });
        await Task.WhenAll(calls).WaitAsync(TimeSpan.FromSeconds(60));
        await burstDone.CancelAsync();
        var observed = await held.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.NotEmpty(observed);
        Assert.All(observed, value => Assert.InRange(value, 0d, MaxHeldSpans));
        await PrometheusScrape.WaitForSampleAsync(http, server.BaseAddress, """tracing_errors_total{[^}]*reason="tail_buffer_full"[^}]*}""", minimum: 1);
        await PrometheusScrape.WaitForSampleAsync(http, server.BaseAddress, """tracing_tail_decisions_total{[^}]*outcome="dropped"[^}]*}""", minimum: 1);
        // Nothing stays held once the burst is over.
        await PrometheusScrape.WaitForValueAsync(http, server.BaseAddress, """tracing_tail_held_spans{[^}]*}""", value => value == 0, what: "fall back to 0");
    }

    [Theory]
    [InlineData("Telemetry:TailSampling:KeepSlowerThan", "00:00:00", "Telemetry__TailSampling__KeepSlowerThan")]
    [InlineData("Telemetry:TailSampling:MaxHeldSpans", "1", "Telemetry__TailSampling__MaxHeldSpans")]
    [InlineData("Telemetry:TailSampling:MaxHeldMegabytes", "0", "Telemetry__TailSampling__MaxHeldMegabytes")]
    public async Task An_invalid_setting_stops_startup_naming_it(string key, string value, string environmentVariable)
    {
        var exception = await Assert.ThrowsAnyAsync<Exception>(() => ServerHost.StartAsync(new Dictionary<string, string?>
        {
            ["Telemetry:TailSampling:Enabled"] = "true",
            [key] = value,
        }));

        Assert.Contains(environmentVariable, exception.ToString(), StringComparison.Ordinal);
    }

    /// <summary>Scrapes the held-span gauge every 20 ms until cancelled; returns every value seen.</summary>
    private static async Task<List<double>> WatchHeldSpansAsync(HttpClient http, Uri baseAddress, CancellationToken stop)
    {
        var values = new List<double>();
        while (!stop.IsCancellationRequested)
        {
            var scrape = await http.GetStringAsync(new Uri(baseAddress, "metrics"), CancellationToken.None);
            foreach (Match match in HeldSpans().Matches(scrape))
            {
                values.Add(double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture));
            }

            try
            {
                await Task.Delay(20, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return values;
    }

    [GeneratedRegex(@"(?m)^tracing_tail_held_spans\{[^}]*\} (?<value>[0-9.eE+-]+)")]
    private static partial Regex HeldSpans();
}
