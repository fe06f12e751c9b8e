using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace SeedMcp.Client;

/// <summary>
/// The scenario, in one <c>client.scenario</c> span: list the tools, call each one, then one call that fails (a tool
/// the server does not have). The MCP SDK's client spans (<c>tools/call &lt;tool&gt;</c>, CLIENT) carry their context
/// to the server in <c>params._meta</c>, the HTTP client spans in the <c>traceparent</c> header: one trace spans
/// client, server and Redis.
/// </summary>
public sealed partial class ClientScenario(
    IConfiguration configuration, McpClientSessionIdCorrection sessionIds, ILoggerFactory loggerFactory, ILogger<ClientScenario> logger)
{
    public const string SourceName = "SeedMcp.Client";

    /// <summary>The MCP C# SDK's ActivitySource and Meter: its client spans (<c>tools/call &lt;tool&gt;</c>) and histograms.</summary>
    public const string McpSdkTelemetryName = "Experimental.ModelContextProtocol";
    public const string ScenarioSpan = "client.scenario";
    public const string FailingTool = "no_such_tool";

    /// <summary>The server's address as the AppHost's reference gives it (service discovery), else the default port.</summary>
    public const string ServerAddressKey = "services:server:http:0";

    private static readonly ActivitySource Source = new(SourceName);

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var endpoint = new Uri(new Uri(configuration[ServerAddressKey] ?? "http://localhost:5180"), "/mcp");
        using var scenario = Source.StartActivity(ScenarioSpan);
        try
        {
            await using var client = await McpClient.CreateAsync(
                new HttpClientTransport(new() { Endpoint = endpoint, TransportMode = HttpTransportMode.StreamableHttp }, loggerFactory),
                new McpClientOptions { ClientInfo = new() { Name = "seedmcp-client", Version = "1.0" } },
                loggerFactory,
                cancellationToken);
            sessionIds.Use(client.SessionId);

            var tools = await client.ListToolsAsync(cancellationToken: cancellationToken);
            foreach (var tool in tools)
            {
                var arguments = tool.Name == "echo" ? new Dictionary<string, object?> { ["message"] = "hello from the client" } : [];
                var result = await client.CallToolAsync(tool.Name, arguments, cancellationToken: cancellationToken);
                Called(logger, tool.Name, result.IsError is true);
            }

            try
            {
                await client.CallToolAsync(FailingTool, cancellationToken: cancellationToken);
            }
            catch (McpProtocolException exception)
            {
                FailedAsExpected(logger, FailingTool, (int)exception.ErrorCode);
            }

            scenario?.SetTag("client.tools", tools.Count);
            var traceId = scenario?.TraceId.ToHexString();
            Finished(logger, tools.Count, traceId);
            return 0;
        }
        catch (Exception exception) when (exception is HttpRequestException or McpException or OperationCanceledException)
        {
            scenario?.SetStatus(ActivityStatusCode.Error, exception.Message);
            scenario?.AddException(exception);
            ScenarioFailed(logger, endpoint, exception);
            return 1;
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Called {Tool}: {Failed}")]
    private static partial void Called(ILogger logger, string tool, bool failed);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Calling {Tool} failed as expected with JSON-RPC error {Code}")]
    private static partial void FailedAsExpected(ILogger logger, string tool, int code);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Scenario finished: {ToolCount} tools listed and called, trace {TraceId}")]
    private static partial void Finished(ILogger logger, int toolCount, string? traceId);

    [LoggerMessage(EventId = 4, Level = LogLevel.Error, Message = "Scenario against {Endpoint} failed")]
    private static partial void ScenarioFailed(ILogger logger, Uri endpoint, Exception exception);
}

public static class ClientScenarioExtensions
{
    /// <summary>Call before <c>AddServiceDefaults</c>: the session-id correction must run before the exporter queues a span.</summary>
    public static IHostApplicationBuilder AddClientScenario(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ClientScenario>();
        builder.Services.AddSingleton<McpClientSessionIdCorrection>();
        builder.Services.ConfigureOpenTelemetryTracerProvider((services, tracing) => tracing
            .AddSource(ClientScenario.SourceName, ClientScenario.McpSdkTelemetryName)
            .AddProcessor(services.GetRequiredService<McpClientSessionIdCorrection>()));
        builder.Services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddMeter(ClientScenario.McpSdkTelemetryName));
        return builder;
    }
}
