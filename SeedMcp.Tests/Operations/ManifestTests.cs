using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.RegularExpressions;
using SeedMcp.Tests.Support;

namespace SeedMcp.Tests.Operations;

/// <summary>
/// The Aspire manifest azd deploys, produced by the README's command (<c>--publisher manifest</c>) from the built AppHost.
/// </summary>
public sealed partial class ManifestTests
{
    [Fact]
    public async Task The_manifest_has_the_server_redis_and_jaeger_wired_together()
    {
        using var manifest = await PublishAsync("Auto");
        var resources = manifest.RootElement.GetProperty("resources");

        var server = resources.GetProperty("server");
        Assert.Equal("project.v0", server.GetProperty("type").GetString());
        var environment = server.GetProperty("env");
        Assert.Equal("{cache.connectionString}", environment.GetProperty("ConnectionStrings__cache").GetString());
        Assert.Equal("{jaeger.bindings.otlp-grpc.url}", environment.GetProperty("Telemetry__SecondaryTraceEndpoint").GetString());

        var cache = resources.GetProperty("cache");
        Assert.Equal("container.v0", cache.GetProperty("type").GetString());
        Assert.StartsWith("docker.io/library/redis:", cache.GetProperty("image").GetString(), StringComparison.Ordinal);
        Assert.Equal(6379, cache.GetProperty("bindings").GetProperty("tcp").GetProperty("targetPort").GetInt32());

        var jaeger = resources.GetProperty("jaeger");
        Assert.Equal("docker.io/jaegertracing/jaeger:2.15.0", jaeger.GetProperty("image").GetString());
        Assert.Equal(4317, jaeger.GetProperty("bindings").GetProperty("otlp-grpc").GetProperty("targetPort").GetInt32());

        // Development tools stay out of a deployment.
        Assert.False(resources.TryGetProperty("prometheus", out _));
        Assert.False(resources.TryGetProperty("grafana", out _));
    }

    [Fact]
    public async Task Every_reference_in_the_manifest_names_a_resource_of_the_manifest()
    {
        using var manifest = await PublishAsync("Auto");
        var resources = manifest.RootElement.GetProperty("resources");
        var names = resources.EnumerateObject().Select(resource => resource.Name).ToHashSet();

        var references = Reference().Matches(manifest.RootElement.GetRawText()).Select(match => match.Groups["resource"].Value).ToHashSet();

        Assert.Contains("cache", references);
        Assert.Contains("jaeger", references);
        Assert.Empty(references.Except(names));
    }

    [Theory]
    [InlineData("Local")]
    [InlineData("Embedded")]
    [InlineData("Containers")]
    public async Task The_manifest_does_not_depend_on_the_local_infrastructure_mode(string mode)
    {
        using var auto = await PublishAsync("Auto");
        using var chosen = await PublishAsync(mode);

        Assert.Equal(auto.RootElement.GetRawText(), chosen.RootElement.GetRawText());
    }

    [Fact]
    public async Task With_an_existing_redis_the_manifest_asks_for_its_connection_string_instead_of_a_container()
    {
        const string publishingMachineValue = "redis-0.example:6379,redis-1.example:6379,password=not-for-the-manifest";
        using var manifest = await PublishAsync("Auto", publishingMachineValue);
        var resources = manifest.RootElement.GetProperty("resources");

        var cache = resources.GetProperty("cache");
        Assert.Equal("parameter.v0", cache.GetProperty("type").GetString());
        Assert.Equal("{cache.value}", cache.GetProperty("connectionString").GetString());
        Assert.True(cache.GetProperty("inputs").GetProperty("value").GetProperty("secret").GetBoolean());
        Assert.Equal("{cache.connectionString}", resources.GetProperty("server").GetProperty("env").GetProperty("ConnectionStrings__cache").GetString());
        Assert.DoesNotContain("not-for-the-manifest", manifest.RootElement.GetRawText(), StringComparison.Ordinal);
        Assert.Equal("container.v0", resources.GetProperty("jaeger").GetProperty("type").GetString());
        Assert.False(resources.TryGetProperty("cache-password", out _));
    }

    /// <summary>Each mode is published once for the whole class: a publish is a process start (~1 s, more on a busy machine).</summary>
    private static readonly ConcurrentDictionary<string, Lazy<Task<string>>> Published = new();

    private static async Task<JsonDocument> PublishAsync(string infrastructureMode, string? existingRedis = null) =>
        JsonDocument.Parse(await Published.GetOrAdd($"{infrastructureMode}|{existingRedis}", _ => new(() => PublishManifestAsync(infrastructureMode, existingRedis))).Value);

    /// <summary>
    /// Runs <c>SeedMcp.AppHost --publisher manifest --output-path …</c> with <c>Infrastructure__Mode</c> set, and
    /// <c>ConnectionStrings__cache</c> when an existing Redis is named (empty otherwise, so the machine's cannot leak in).
    /// </summary>
    private static async Task<string> PublishManifestAsync(string infrastructureMode, string? existingRedis)
    {
        var directory = Directory.CreateTempSubdirectory("seedmcp-manifest-");
        try
        {
            var output = Path.Combine(directory.FullName, "aspire-manifest.json");
            await using var apphost = ChildProcess.Start("dotnet",
                [RepositoryFiles.BuildOutput("SeedMcp.AppHost"), "--publisher", "manifest", "--output-path", output],
                new Dictionary<string, string?>
                {
                    ["Infrastructure__Mode"] = infrastructureMode,
                    ["DOTNET_ENVIRONMENT"] = "Development",
                    ["ConnectionStrings__cache"] = existingRedis ?? string.Empty,
                });
            await apphost.WaitForExitAsync(TimeSpan.FromSeconds(60));

            Assert.True(apphost.ExitCode == 0 && File.Exists(output),
                $"Publishing exited with {apphost.ExitCode}:\n{string.Join('\n', apphost.Output)}");
            return await File.ReadAllTextAsync(output);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>A manifest expression such as <c>{cache.connectionString}</c> or <c>{jaeger.bindings.otlp-grpc.url}</c>.</summary>
    [GeneratedRegex(@"\{(?<resource>[a-z][a-z0-9-]*)\.(?:connectionString|bindings|value|inputs)")]
    private static partial Regex Reference();
}
