using SeedMcp.AppHost.Infrastructure;

namespace SeedMcp.Tests.Containers;

/// <summary>The runtime probe's question and how it reads the answer, per runtime; no runtime needed.</summary>
public sealed class ContainerRuntimeQueryTests
{
    [Theory]
    [InlineData("docker", "{{.ServerVersion}}")]
    [InlineData("/usr/local/bin/docker", "{{.ServerVersion}}")]
    [InlineData("podman", "{{.Version.Version}}")]
    [InlineData("/usr/bin/podman", "{{.Version.Version}}")]
    public void Each_runtime_is_asked_for_a_field_it_has(string runtime, string template)
    {
        Assert.Equal(["info", "--format", template], ContainerRuntimeQuery.InfoArguments(runtime));
    }

    [Fact]
    public void Docker_is_tried_before_podman()
    {
        Assert.Equal(["docker", "podman"], ContainerRuntimeQuery.DefaultCandidates);
    }

    [Theory]
    [InlineData(0, "20.10.24+dfsg1\n", "20.10.24+dfsg1")]
    [InlineData(0, "28.2.2", "28.2.2")]
    [InlineData(0, "4.3.1\n", "4.3.1")]
    public void A_version_on_success_means_the_engine_answers(int exitCode, string output, string expected)
    {
        Assert.Equal(expected, ContainerRuntimeQuery.EngineVersion(exitCode, output));
    }

    [Theory]
    // A Docker CLI whose daemon is down: some exit 0 and print nothing (or an unresolved field) where the version goes.
    [InlineData(0, "")]
    [InlineData(0, "  \n")]
    [InlineData(0, "<no value>\n")]
    // The daemon is down ("Cannot connect to the Docker daemon", on stderr), or the template names the other runtime's field.
    [InlineData(1, "")]
    [InlineData(125, "4.3.1")]
    public void No_version_or_a_failure_means_it_does_not(int exitCode, string output)
    {
        Assert.Null(ContainerRuntimeQuery.EngineVersion(exitCode, output));
    }
}
