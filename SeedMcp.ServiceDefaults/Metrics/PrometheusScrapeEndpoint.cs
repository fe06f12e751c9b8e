using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;

namespace SeedMcp.ServiceDefaults;

/// <summary>
/// Where Prometheus scrapes <c>/metrics</c>: on the service's own port, or, when <c>Telemetry:Prometheus:Port</c> is
/// set, only on a port of its own, which a firewall or network policy can open to the scraper alone.
/// </summary>
internal static class PrometheusScrapeEndpoint
{
    /// <summary>Where ASP.NET Core listens when nothing is configured.</summary>
    private const string HostDefaultUrl = "http://localhost:5000";

    public static void Map(WebApplication app, string path, int? port)
    {
        if (port is not { } metricsPort)
        {
            app.MapPrometheusScrapingEndpoint(path);
            return;
        }

        ListenAlsoOn(app, metricsPort);

        // Matched on the connection's local port rather than with RequireHost: a Host header can be forged, and
        // behind a port mapping (docker -p 19464:9464) it names the outer port, not the one Kestrel listens on.
        app.UseOpenTelemetryPrometheusScrapingEndpoint(context =>
            context.Connection.LocalPort == metricsPort && context.Request.Path == path);
    }

    /// <summary>
    /// Kestrel binds either the configured URLs or explicit listen options, never both, so the metrics port joins the
    /// URLs the host would bind anyway: <c>urls</c> (ASPNETCORE_URLS), else HTTP_PORTS/HTTPS_PORTS, else its default.
    /// A service configured through <c>Kestrel:Endpoints</c> must list the metrics port there itself.
    /// </summary>
    private static void ListenAlsoOn(WebApplication app, int port)
    {
        if (app.Urls.Count == 0)
        {
            foreach (var url in ConfiguredUrls(app.Configuration))
            {
                app.Urls.Add(url);
            }
        }

        app.Urls.Add(string.Create(CultureInfo.InvariantCulture, $"http://*:{port}"));
    }

    private static IEnumerable<string> ConfiguredUrls(IConfiguration configuration)
    {
        const StringSplitOptions Split = StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries;

        if (configuration[WebHostDefaults.ServerUrlsKey] is { Length: > 0 } urls)
        {
            return urls.Split(';', Split);
        }

        var ports = (configuration[WebHostDefaults.HttpPortsKey] ?? string.Empty).Split(';', Split).Select(p => $"http://*:{p}")
            .Concat((configuration[WebHostDefaults.HttpsPortsKey] ?? string.Empty).Split(';', Split).Select(p => $"https://*:{p}"))
            .ToList();
        return ports.Count > 0 ? ports : [HostDefaultUrl];
    }
}
