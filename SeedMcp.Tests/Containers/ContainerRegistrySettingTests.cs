using System.Text.Json;
using Microsoft.Extensions.Configuration;
using SeedMcp.AppHost.Infrastructure;
using SeedMcp.Tests.Support;

namespace SeedMcp.Tests.Containers;

/// <summary><c>Infrastructure:ContainerRegistry</c>: how it is read, and that it reaches every image the AppHost pulls.</summary>
public sealed class ContainerRegistrySettingTests
{
    [Theory]
    [InlineData(null, null)]
    [InlineData("  ", null)]
    [InlineData("mirror.example.com", "mirror.example.com")]
    [InlineData("mirror.example.com/", "mirror.example.com")]
    [InlineData("harbor.example.com:8443/dockerhub", "harbor.example.com:8443/dockerhub")]
    public void The_registry_is_read_as_given_without_a_trailing_slash(string? configured, string? expected)
    {
        Assert.Equal(expected, Read(configured).ContainerRegistry);
    }

    [Theory]
    [InlineData("https://mirror.example.com")]
    [InlineData("mirror example.com")]
    [InlineData("/library")]
    public void A_malformed_registry_stops_the_apphost_saying_how_to_write_it(string configured)
    {
        var exception = Assert.Throws<InvalidOperationException>(() => Read(configured));

        Assert.Contains("Infrastructure__ContainerRegistry", exception.Message, StringComparison.Ordinal);
        Assert.Contains("mirror.example.com", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_image_of_the_manifest_comes_from_the_configured_registry_with_its_repository_and_pinned_tag()
    {
        var directory = Directory.CreateTempSubdirectory("seedmcp-registry-manifest-");
        try
        {
            var output = Path.Combine(directory.FullName, "aspire-manifest.json");
            await using var apphost = ChildProcess.Start("dotnet",
                [RepositoryFiles.BuildOutput("SeedMcp.AppHost"), "--publisher", "manifest", "--output-path", output],
                new Dictionary<string, string?>
                {
                    ["Infrastructure__ContainerRegistry"] = "mirror.example.com",
                    ["DOTNET_ENVIRONMENT"] = "Development",
                });
            await apphost.WaitForExitAsync(TimeSpan.FromSeconds(90));
            Assert.True(apphost.ExitCode == 0, $"Publishing exited with {apphost.ExitCode}:\n{string.Join('\n', apphost.Output)}");

            using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(output));
            var images = manifest.RootElement.GetProperty("resources").EnumerateObject()
                .Where(resource => resource.Value.TryGetProperty("image", out _))
                .ToDictionary(resource => resource.Name, resource => resource.Value.GetProperty("image").GetString()!);

            Assert.Equal(["cache", "jaeger"], images.Keys.Order());
            Assert.Matches(@"^mirror\.example\.com/library/redis:\d+\.\d+$", images["cache"]);
            Assert.Equal("mirror.example.com/jaegertracing/jaeger:2.15.0", images["jaeger"]);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static InfrastructureSettings Read(string? registry) =>
        InfrastructureSettings.From(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [InfrastructureSettings.ContainerRegistryKey] = registry })
            .Build());
}
