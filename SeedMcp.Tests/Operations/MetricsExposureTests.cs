using System.Net;
using SeedMcp.Tests.Support;

namespace SeedMcp.Tests.Operations;

/// <summary>Where <c>/metrics</c> answers: <c>Telemetry:Prometheus:Enabled</c> and <c>Telemetry:Prometheus:Port</c>.</summary>
public sealed class MetricsExposureTests
{
    [Fact]
    public async Task With_a_metrics_port_metrics_answer_there_only()
    {
        var metricsPort = FreePort.Next();
        await using var server = await ServerHost.StartAsync(new Dictionary<string, string?>
        {
            ["Telemetry:Prometheus:Enabled"] = "true",
            ["Telemetry:Prometheus:Port"] = metricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        using var http = RawMcp.CreateHttpClient();
        var metricsPortAddress = new Uri($"http://127.0.0.1:{metricsPort}/");

        using var onMetricsPort = await http.GetAsync(new Uri(metricsPortAddress, "metrics"));
        Assert.Equal(HttpStatusCode.OK, onMetricsPort.StatusCode);
        Assert.Contains("# TYPE", await onMetricsPort.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var onServicePort = await http.GetAsync(new Uri(server.BaseAddress, "metrics"));
        Assert.Equal(HttpStatusCode.NotFound, onServicePort.StatusCode);

        // The port the connection arrived on decides, not a Host header naming the metrics port.
        using var forged = new HttpRequestMessage(HttpMethod.Get, new Uri(server.BaseAddress, "metrics"));
        forged.Headers.Host = $"127.0.0.1:{metricsPort}";
        using var forgedResponse = await http.SendAsync(forged);
        Assert.Equal(HttpStatusCode.NotFound, forgedResponse.StatusCode);

        using var alive = await http.GetAsync(new Uri(server.BaseAddress, "alive"));
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
    }

    [Fact]
    public async Task With_metrics_disabled_there_is_no_metrics_endpoint()
    {
        await using var server = await ServerHost.StartAsync(new Dictionary<string, string?> { ["Telemetry:Prometheus:Enabled"] = "false" });
        using var http = RawMcp.CreateHttpClient();

        using var response = await http.GetAsync(new Uri(server.BaseAddress, "metrics"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task An_invalid_metrics_port_stops_startup_with_a_message_naming_the_setting()
    {
        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => ServerHost.StartAsync(new Dictionary<string, string?>
        {
            ["Telemetry:Prometheus:Port"] = "metrics",
        }));

        Assert.Contains("Telemetry:Prometheus:Port", exception.Message, StringComparison.Ordinal);
    }
}
