using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SeedMcp.Tests.Support;

/// <summary>The AppHost graph as the integration fixtures build it: dashboard on as a real OTLP receiver, quiet DCP logs.</summary>
public static class AppHostGraph
{
    public static async Task<IDistributedApplicationTestingBuilder> CreateBuilderAsync(string[] arguments, TimeSpan timeout)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.SeedMcp_AppHost>(
            arguments,
            (options, _) =>
            {
                options.DisableDashboard = false;
                options.AllowUnsecuredTransport = true;
            }).WaitAsync(timeout);
        builder.Services.AddLogging(logging => logging
            .SetMinimumLevel(LogLevel.Information)
            .AddFilter("Aspire.Hosting.Dcp", LogLevel.Warning)
            .AddFilter("Microsoft.AspNetCore", LogLevel.Warning));
        return builder;
    }
}
