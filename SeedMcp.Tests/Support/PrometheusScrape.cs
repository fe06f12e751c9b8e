using System.Globalization;
using System.Text.RegularExpressions;

namespace SeedMcp.Tests.Support;

public static partial class PrometheusScrape
{
    /// <summary>
    /// Scrapes <c>/metrics</c> until any series matching <paramref name="seriesPattern"/> (a regex over name and labels)
    /// reaches <paramref name="minimum"/>; returns its value.
    /// </summary>
    public static Task<double> WaitForSampleAsync(HttpClient http, Uri baseAddress, string seriesPattern, double minimum, TimeSpan? timeout = null) =>
        WaitForValueAsync(http, baseAddress, seriesPattern, value => value >= minimum, timeout, $"reach {minimum}");

    /// <summary>Scrapes until a series matching <paramref name="seriesPattern"/> has a value satisfying <paramref name="accept"/>.</summary>
    public static async Task<double> WaitForValueAsync(
        HttpClient http, Uri baseAddress, string seriesPattern, Func<double, bool> accept, TimeSpan? timeout = null, string? what = null)
    {
        var series = new Regex("^" + seriesPattern + @" (?<value>[0-9.eE+-]+)", RegexOptions.Multiline);
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        var scrape = string.Empty;
        while (DateTime.UtcNow < deadline)
        {
            scrape = await http.GetStringAsync(new Uri(baseAddress, "metrics"));
            // Any matching series will do: counters with known labels exist at 0 from startup beside the one that grows.
            foreach (Match match in series.Matches(scrape))
            {
                if (double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture) is var value && accept(value))
                {
                    return value;
                }
            }

            await Task.Delay(250);
        }

        var name = MetricName().Match(seriesPattern).Value;
        throw new TimeoutException($"No sample of {seriesPattern} did {what ?? "satisfy the condition"}. Lines of {name}:\n" +
            string.Join('\n', scrape.Split('\n').Where(line => line.StartsWith(name, StringComparison.Ordinal))));
    }

    /// <summary>The metric name the pattern starts with, to list that metric's lines when the wait fails.</summary>
    [GeneratedRegex("^[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex MetricName();
}
