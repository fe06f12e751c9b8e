namespace SeedMcp.AppHost.Monitoring;

/// <summary>
/// Prometheus as a local process (Debian's <c>prometheus</c> package): what a machine without a container engine runs
/// instead of the Prometheus container. Its configuration and data live in <paramref name="workingDirectory"/>, a
/// directory of its own under the system's temp directory, never in the source tree.
/// </summary>
public sealed class LocalPrometheusResource(string name, string command, string workingDirectory)
    : ExecutableResource(name, command, workingDirectory)
{
    public const string HttpEndpointName = "http";

    public EndpointReference HttpEndpoint => field ??= new(this, HttpEndpointName);

    public string ConfigFile => Path.Combine(WorkingDirectory, PrometheusScrapeConfig.ConfigFileName);

    public string TargetsFile => Path.Combine(WorkingDirectory, PrometheusScrapeConfig.TargetsFileName);

    public string DataDirectory => Path.Combine(WorkingDirectory, "data");
}
