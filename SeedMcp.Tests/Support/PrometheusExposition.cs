using System.Globalization;
using System.Text.RegularExpressions;

namespace SeedMcp.Tests.Support;

/// <summary>One line of a scrape: <c>name{label="value",…} value</c> (label values as written, still escaped).</summary>
public sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>Reading the Prometheus text format that <c>/metrics</c> answers with.</summary>
public static partial class PrometheusExposition
{
    /// <summary>
    /// Series written by Prometheus itself rather than scraped: a query may name them although <c>/metrics</c> never does.
    /// </summary>
    public static readonly IReadOnlySet<string> WrittenByPrometheus = new HashSet<string> { "up" };

    /// <summary>The names of the series in a scrape (<c>_bucket</c>, <c>_count</c>, <c>_sum</c> included, as PromQL names them).</summary>
    public static IReadOnlySet<string> SeriesNames(string scrape) => Samples(scrape).Select(sample => sample.Name).ToHashSet(StringComparer.Ordinal);

    public static IReadOnlyList<PrometheusSample> Samples(string scrape) =>
        [.. scrape.Split('\n')
            .Where(line => line.Length > 0 && line[0] != '#')
            .Select(line => SampleLine().Match(line))
            .Where(match => match.Success)
            .Select(match => new PrometheusSample(
                match.Groups["name"].Value,
                LabelPair().Matches(match.Groups["labels"].Value).ToDictionary(pair => pair.Groups["key"].Value, pair => pair.Groups["value"].Value),
                ParseValue(match.Groups["value"].Value)))];

    private static double ParseValue(string value) => value switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.Parse(value, CultureInfo.InvariantCulture),
    };

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(?<labels>.*)\})? (?<value>\S+)")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"(?<key>[a-zA-Z_][a-zA-Z0-9_]*)=""(?<value>(?:[^""\\]|\\.)*)""")]
    private static partial Regex LabelPair();
}
