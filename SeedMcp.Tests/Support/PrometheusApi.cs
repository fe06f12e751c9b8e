using System.Globalization;
using System.Text.Json;

namespace SeedMcp.Tests.Support;

/// <summary>Prometheus's HTTP API (<c>/api/v1/…</c>), for tests that check what a real Prometheus scraped and evaluated.</summary>
public sealed class PrometheusApi(Uri baseAddress) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = baseAddress };

    /// <summary>The <c>data</c> of a successful answer; a PromQL error fails with Prometheus's own message.</summary>
    public async Task<JsonElement> GetDataAsync(string pathAndQuery)
    {
        using var response = await _http.GetAsync(new Uri(pathAndQuery, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        if (root.GetProperty("status").GetString() != "success")
        {
            throw new InvalidOperationException($"Prometheus refused {pathAndQuery}: {body}");
        }

        return root.GetProperty("data").Clone();
    }

    /// <summary>The result vector of an instant query.</summary>
    public async Task<IReadOnlyList<JsonElement>> QueryAsync(string promql) =>
        [.. (await GetDataAsync("api/v1/query?query=" + Uri.EscapeDataString(promql))).GetProperty("result").EnumerateArray()];

    /// <summary>Polls an instant query until its result satisfies <paramref name="done"/>; returns that result.</summary>
    public async Task<IReadOnlyList<JsonElement>> WaitForAsync(string promql, Func<IReadOnlyList<JsonElement>, bool> done, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var result = await QueryAsync(promql);
            if (done(result))
            {
                return result;
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"Prometheus never answered {promql} as expected; last result: [{string.Join(", ", result)}]");
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>The value of one sample of a result vector.</summary>
    public static double Value(JsonElement sample) =>
        double.Parse(sample.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);

    public void Dispose() => _http.Dispose();
}
