using System.Text.Json;
using SeedMcp.AppHost.Monitoring;

namespace SeedMcp.Tests.Support;

/// <summary>A PromQL expression and where it was found, for failure messages that point at the right line of work.</summary>
public sealed record PromQlExpression(string Source, string Expression)
{
    public override string ToString() => $"{Source}: {Expression}";
}

/// <summary>The PromQL the operations artefacts under SeedMcp.AppHost/observability/ carry.</summary>
public static class ObservabilityArtefacts
{
    public static string DashboardFile => Path.Combine(RepositoryFiles.InAppHost(ObservabilityFiles.GrafanaDashboardsDirectory), "seedmcp.json");

    public static string RulesDirectory => RepositoryFiles.InAppHost(ObservabilityFiles.RulesDirectory);

    public static string RuleTestsDirectory => RepositoryFiles.InAppHost(ObservabilityFiles.RuleTestsDirectory);

    /// <summary>Every panel target of the dashboard, and the selector of each <c>label_values(selector, label)</c> variable.</summary>
    public static IReadOnlyList<PromQlExpression> DashboardQueries()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(DashboardFile));
        var queries = new List<PromQlExpression>();
        foreach (var panel in Panels(dashboard.RootElement))
        {
            var title = panel.GetProperty("title").GetString();
            if (panel.TryGetProperty("targets", out var targets))
            {
                queries.AddRange(targets.EnumerateArray().Select(target =>
                    new PromQlExpression($"dashboard panel '{title}'", target.GetProperty("expr").GetString()!)));
            }
        }

        foreach (var variable in dashboard.RootElement.GetProperty("templating").GetProperty("list").EnumerateArray())
        {
            if (variable.GetProperty("type").GetString() == "query")
            {
                var definition = variable.GetProperty("definition").GetString()!;
                // Grafana's label_values(selector, label) is not PromQL; its selector is.
                var selector = definition["label_values(".Length..definition.LastIndexOf(',')];
                queries.Add(new PromQlExpression($"dashboard variable '{variable.GetProperty("name").GetString()}'", selector));
            }
        }

        return queries;
    }

    /// <summary>The <c>expr</c> of every alerting and recording rule.</summary>
    public static IReadOnlyList<PromQlExpression> RuleExpressions() =>
        [.. Directory.GetFiles(RulesDirectory, "*.yml").SelectMany(file =>
            YamlFile.Load(file)["groups"].Sequence().SelectMany(group =>
                group["rules"].Sequence().Select(rule => new PromQlExpression(
                    $"{Path.GetFileName(file)} rule '{rule.Scalar("alert") ?? rule.Scalar("record")}'", rule.Scalar("expr")!))))];

    /// <summary>The series the rule unit tests feed in: named as /metrics names them, or the tests prove nothing.</summary>
    public static IReadOnlyList<PromQlExpression> RuleTestInputSeries() =>
        [.. Directory.GetFiles(RuleTestsDirectory, "*.yml").SelectMany(file =>
            YamlFile.Load(file)["tests"].Sequence().SelectMany(test =>
                test["input_series"].Sequence().Select(series => new PromQlExpression(
                    $"{Path.GetFileName(file)} test '{test.Scalar("name")}'", series.Scalar("series")!))))];

    private static IEnumerable<JsonElement> Panels(JsonElement container)
    {
        foreach (var panel in container.GetProperty("panels").EnumerateArray())
        {
            yield return panel;
            if (panel.TryGetProperty("panels", out var nested))
            {
                foreach (var inner in nested.EnumerateArray())
                {
                    yield return inner;
                }
            }
        }
    }
}
