using SeedMcp.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace SeedMcp.Tests.Operations;

/// <summary>
/// The OpenTelemetry Collector configurations shipped for multi-service tail sampling (no Collector binary runs
/// here, so their shape is checked): the first tier routes spans by trace id, the second keeps errors, slow traces
/// and a ratio of the rest, and every component a pipeline names is defined.
/// </summary>
public sealed class CollectorConfigTests
{
    private static string ConfigFile(string name) => RepositoryFiles.InAppHost(Path.Combine("observability", "otel-collector", name));

    [Fact]
    public void The_load_balancer_routes_every_span_of_a_trace_to_one_sampler()
    {
        var config = YamlFile.Load(ConfigFile("loadbalancer.yaml"));

        var loadBalancing = config.Mapping("exporters").Mapping("loadbalancing");
        Assert.Equal("traceID", loadBalancing.Scalar("routing_key"));
        Assert.NotNull(loadBalancing.Mapping("protocol").Mapping("otlp"));
        Assert.Equal("${env:SAMPLERS_HOSTNAME}", loadBalancing.Mapping("resolver").Mapping("dns").Scalar("hostname"));
        var pipeline = TracesPipeline(config);
        Assert.Equal("loadbalancing", Assert.Single(Names(pipeline, "exporters")));
        AssertComponentsDefined(config, pipeline);
    }

    [Fact]
    public void The_sampler_keeps_errors_slow_traces_and_a_ratio()
    {
        var config = YamlFile.Load(ConfigFile("tail-sampler.yaml"));

        var tailSampling = config.Mapping("processors").Mapping("tail_sampling");
        var policies = tailSampling["policies"].Sequence().ToDictionary(policy => policy.Scalar("type")!);
        Assert.Equal("ERROR", ((YamlScalarNode)Assert.Single(((YamlSequenceNode)policies["status_code"].Mapping("status_code")["status_codes"]).Children)).Value);
        Assert.Equal("500", policies["latency"].Mapping("latency").Scalar("threshold_ms"));
        Assert.Equal("10", policies["probabilistic"].Mapping("probabilistic").Scalar("sampling_percentage"));
        Assert.NotNull(tailSampling.Scalar("decision_wait"));

        var pipeline = TracesPipeline(config);
        var processors = Names(pipeline, "processors");
        // Sampling decides before batching; the memory limiter comes first, as the Collector's docs ask.
        Assert.Equal("memory_limiter tail_sampling batch", string.Join(" ", processors));
        AssertComponentsDefined(config, pipeline);
    }

    private static YamlMappingNode TracesPipeline(YamlMappingNode config) => config.Mapping("service").Mapping("pipelines").Mapping("traces");

    private static List<string> Names(YamlMappingNode pipeline, string kind) =>
        [.. ((YamlSequenceNode)pipeline[kind]).Children.Select(node => ((YamlScalarNode)node).Value!)];

    private static void AssertComponentsDefined(YamlMappingNode config, YamlMappingNode pipeline)
    {
        foreach (var kind in new[] { "receivers", "processors", "exporters" })
        {
            if (!pipeline.Children.ContainsKey(new YamlScalarNode(kind)))
            {
                continue;
            }

            var defined = config.Mapping(kind).Children.Keys.Select(key => ((YamlScalarNode)key).Value).ToHashSet();
            foreach (var name in Names(pipeline, kind))
            {
                Assert.Contains(name, defined);
            }
        }
    }
}
