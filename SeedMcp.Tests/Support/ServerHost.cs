extern alias server;

using System.Runtime.ExceptionServices;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ServerProgram = server::Program;

namespace SeedMcp.Tests.Support;

/// <summary>
/// The real server — its own <c>Program</c> (<c>server::Program</c>: the AppHost has one too), hosted by
/// <see cref="WebApplicationFactory{TEntryPoint}"/> — on real
/// Kestrel (loopback, free port), with the settings and extra services a test needs. Settings the test does not give
/// are pinned so the machine's environment (an OTEL_EXPORTER_OTLP_ENDPOINT, say) cannot leak in.
/// </summary>
public sealed class ServerHost : IAsyncDisposable
{
    private const string McpEndpointPath = "mcp";

    private readonly WebApplicationFactory<ServerProgram> _factory;

    private ServerHost(WebApplicationFactory<ServerProgram> factory, Uri baseAddress)
    {
        _factory = factory;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public Uri McpEndpoint => new(BaseAddress, McpEndpointPath);

    public IServiceProvider Services => _factory.Services;

    /// <param name="configure">Services added after the server's own (a test tool, an exporter), as ConfigureTestServices does.</param>
    public static async Task<ServerHost> StartAsync(
        IReadOnlyDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configure = null,
        string environment = "Development")
    {
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

        var startupFailure = new StartupFailureLog();
        var factory = new KestrelFactory(effective, configure, environment, startupFailure);
        // Kestrel, not the in-memory TestServer: the tests speak real HTTP to a real port.
        factory.UseKestrel();
        try
        {
            await Task.Run(factory.StartServer).WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch
        {
            await factory.DisposeAsync();
            // WebApplicationFactory can report a failed start as an ObjectDisposedException: it asks the host it waits
            // on for a service after that host has failed and disposed itself. The host logged the real cause first.
            if (startupFailure.Cause is { } cause)
            {
                ExceptionDispatchInfo.Throw(cause);
            }

            throw;
        }

        var address = factory.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new ServerHost(factory, new Uri(address.TrimEnd('/') + "/"));
    }

    /// <summary>Stops the server as the host does on SIGTERM (drain, then Kestrel), without disposing it.</summary>
    public Task StopAsync() => Services.GetRequiredService<IHost>().StopAsync();

    public async ValueTask DisposeAsync()
    {
        await StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await _factory.DisposeAsync();
    }

    private sealed class KestrelFactory(
        IReadOnlyDictionary<string, string?> settings,
        Action<IServiceCollection>? configure,
        string environment,
        ILoggerProvider startupFailure) : WebApplicationFactory<ServerProgram>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment(environment);
            builder.UseUrls("http://127.0.0.1:0");
            // Host settings, so Program sees them while it composes (auth mode, Redis), and the same as the last
            // configuration source, so nothing from the machine's environment overrides them.
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureAppConfiguration(configuration => configuration.AddInMemoryCollection(settings));
            builder.ConfigureServices(services => services.AddSingleton(startupFailure));
            if (configure is not null)
            {
                builder.ConfigureTestServices(configure);
            }
        }
    }

    /// <summary>Keeps the first exception the host logs when it fails to start (its "Hosting failed to start" error).</summary>
    private sealed class StartupFailureLog : ILoggerProvider, ILogger
    {
        private const string HostCategory = "Microsoft.Extensions.Hosting.Internal.Host";
        private Exception? _cause;

        public Exception? Cause => Volatile.Read(ref _cause);

        public ILogger CreateLogger(string categoryName) => categoryName == HostCategory ? this : NullLogger.Instance;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel) && exception is not null)
            {
                Interlocked.CompareExchange(ref _cause, exception, null);
            }
        }

        public void Dispose()
        {
        }
    }
}
