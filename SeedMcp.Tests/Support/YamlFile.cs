using YamlDotNet.RepresentationModel;

namespace SeedMcp.Tests.Support;

/// <summary>Reading the operations YAML (Prometheus rules, rule tests, Grafana provisioning) as a node tree.</summary>
public static class YamlFile
{
    public static YamlMappingNode Load(string file)
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(file);
        yaml.Load(reader);
        return (YamlMappingNode)yaml.Documents[0].RootNode;
    }

    public static IEnumerable<YamlMappingNode> Sequence(this YamlNode node) => ((YamlSequenceNode)node).Children.Cast<YamlMappingNode>();

    public static YamlMappingNode Mapping(this YamlMappingNode node, string key) => (YamlMappingNode)node[key];

    public static string? Scalar(this YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? ((YamlScalarNode)value).Value : null;
}
