using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SeedMcp.Server.Mcp;

namespace SeedMcp.Tests.Support;

/// <summary>
/// The real server on real Kestrel (loopback, free port), composed exactly as Program.cs composes it, with settings
/// and extra services a test needs. Settings the test does not give are pinned so the machine's environment
/// (an OTEL_EXPORTER_OTLP_ENDPOINT, say) cannot leak in.
/// </summary>
public sealed class ServerHost : IAsyncDisposable
{
    private ServerHost(WebApplication app, Uri baseAddress)
    {
        App = app;
        BaseAddress = baseAddress;
    }

    public WebApplication App { get; }

    public Uri BaseAddress { get; }

    public Uri McpEndpoint => new(BaseAddress, McpEndpointPath);

    public IServiceProvider Services => App.Services;

    private const string McpEndpointPath = "mcp";

    public static async Task<ServerHost> StartAsync(
        IReadOnlyDictionary<string, string?>? settings = null,
        Action<WebApplicationBuilder>? configure = null,
        string environment = "Development")
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(McpServerExtensions).Assembly.GetName().Name,
            EnvironmentName = environment,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");

        var effective = new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = null,
            ["ConnectionStrings:cache"] = null,
            ["Logging:LogLevel:Default"] = "Warning",
            ["AUTH_REQUIRED"] = null,
            ["Auth:Required"] = null,
            ["Auth:Authority"] = null,
            ["Auth:Audience"] = null,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            effective[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(effective);

        builder.AddServiceDefaults();
        builder.AddSeedMcp();
        configure?.Invoke(builder);

        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapSeedMcp();
        try
        {
            await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new ServerHost(app, new Uri(address.TrimEnd('/') + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await App.DisposeAsync();
    }
}
