using System.Text.Json;

namespace SeedMcp.Tests.Support;

/// <summary>Reads spans back from an Aspire dashboard's telemetry API (<c>/api/telemetry/spans</c>, OTLP JSON).</summary>
public static class DashboardTelemetryApi
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The API returns the newest 200 spans unless asked for more; 10,000 is its ceiling.</summary>
    private const int MaxSpans = 10_000;

    /// <summary>Polls until the trace holds spans satisfying <paramref name="complete"/>, or fails naming what it saw.</summary>
    public static async Task<IReadOnlyList<OtlpSpan>> WaitForTraceAsync(
        HttpClient api, string traceId, Func<IReadOnlyList<OtlpSpan>, bool> complete, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        IReadOnlyList<OtlpSpan> spans = [];
        while (DateTime.UtcNow < deadline)
        {
            using var response = await api.GetAsync($"/api/telemetry/spans?traceId={traceId}&limit={MaxSpans}");
            if (response.IsSuccessStatusCode)
            {
                spans = OtlpSpan.FindAll(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement);
                if (complete(spans))
                {
                    return spans;
                }
            }

            await Task.Delay(250);
        }

        throw new TimeoutException(
            $"Trace {traceId} did not arrive complete within {timeout ?? DefaultTimeout}; spans seen: " +
            string.Join(", ", spans.GroupBy(span => span.Name).Select(group => $"{group.Key} ×{group.Count()}")));
    }
}
