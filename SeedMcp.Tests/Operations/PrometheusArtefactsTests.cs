using SeedMcp.AppHost.Monitoring;
using SeedMcp.Tests.Support;

namespace SeedMcp.Tests.Operations;

/// <summary>What Prometheus loads, checked by Prometheus's own promtool (as .ci/run also does).</summary>
public sealed class PrometheusArtefactsTests
{
    [Fact]
    public async Task The_scrape_config_the_apphost_writes_and_the_rules_it_loads_pass_promtool()
    {
        var directory = Directory.CreateTempSubdirectory("seedmcp-prometheus-config-");
        try
        {
            var config = Path.Combine(directory.FullName, PrometheusScrapeConfig.ConfigFileName);
            var targets = Path.Combine(directory.FullName, PrometheusScrapeConfig.TargetsFileName);
            await File.WriteAllTextAsync(targets, PrometheusScrapeConfig.RenderTargets(["localhost:5180", "localhost:5181"]));
            await File.WriteAllTextAsync(config, PrometheusScrapeConfig.Render(Path.Combine(ObservabilityArtefacts.RulesDirectory, "*.yml"), targets));

            var (exitCode, output) = await Promtool.RunAsync("check", "config", config);

            Assert.True(exitCode == 0, output);
            Assert.Contains("SUCCESS: 8 rules found", output, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task The_alert_rules_pass_their_unit_tests()
    {
        var tests = Directory.GetFiles(ObservabilityArtefacts.RuleTestsDirectory, "*.yml");

        var (exitCode, output) = await Promtool.RunAsync(["test", "rules", .. tests]);

        Assert.NotEmpty(tests);
        Assert.True(exitCode == 0, output);
    }
}
