using SeedMcp.Tests.Support;

namespace SeedMcp.Tests.Operations;

/// <summary>The tokenizer the query checks rely on: it must find every metric and nothing that is not one.</summary>
public sealed class PromQlMetricNamesTests
{
    [Theory]
    [InlineData("""up{job="seed-mcp"} == 0""", "up")]
    [InlineData("""histogram_quantile(0.95, sum by (le, http_route) (rate(http_server_request_duration_seconds_bucket{job="seed-mcp", le!="0.5"}[$__rate_interval])))""",
        "http_server_request_duration_seconds_bucket")]
    [InlineData("""sum by (tool) (rate(seedmcp_tool_calls_total{outcome="error"}[5m])) / sum without (instance) (rate(seedmcp_tool_calls_total[5m])) > 0.05 and sum(increase(seedmcp_tool_calls_total[5m])) >= 10""",
        "seedmcp_tool_calls_total")]
    [InlineData("""sum(increase(a_total[5m])) > 0 unless on (job, instance) sum(increase(b_total[5m] offset 1h)) > 0""", "a_total", "b_total")]
    [InlineData("""sum(rate(tracing_errors_total[5m])) or vector(0)""", "tracing_errors_total")]
    [InlineData("""max(seedmcp_redis_up) == bool 0 or absent(seedmcp_redis_up{instance=~"a|b"})""", "seedmcp_redis_up")]
    [InlineData("""x_total * on (job) group_left (service_name) target_info""", "x_total", "target_info")]
    [InlineData("""rate(odd_total{label="by (sum) {x} [1m]"}[1h30m])""", "odd_total")]
    public void Finds_exactly_the_metric_names(string expression, params string[] expected) =>
        Assert.Equal(expected.Order(), PromQlMetricNames.Extract(expression).Order());
}
