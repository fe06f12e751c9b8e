using System.Net.Http.Json;

namespace SeedMcp.Tests.Support;

/// <summary>
/// The built SeedMcp.Server started as its own process, configured only through environment variables as an operator
/// would: for what must be seen from outside (console output, SIGTERM, export at exit).
/// </summary>
public static class ServerProcess
{
    public static async Task<(ChildProcess Process, Uri BaseAddress)> StartAsync(IReadOnlyDictionary<string, string?> environment)
    {
        var port = FreePort.Next();
        var baseAddress = new Uri($"http://127.0.0.1:{port}/");
        var effective = new Dictionary<string, string?>
        {
            ["ASPNETCORE_URLS"] = baseAddress.ToString(),
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = null,
            ["ConnectionStrings__cache"] = null,
        };
        foreach (var (key, value) in environment)
        {
            effective[key] = value;
        }

        var process = ChildProcess.Start("dotnet", [ServerAssemblyPath()], effective);
        try
        {
            using var http = RawMcp.CreateHttpClient();
            await process.WaitUntilReadyAsync(
                async cancellationToken =>
                {
                    using var response = await http.GetAsync(new Uri(baseAddress, "alive"), cancellationToken);
                    return response.IsSuccessStatusCode;
                },
                TimeSpan.FromSeconds(60),
                CancellationToken.None);
            return (process, baseAddress);
        }
        catch (Exception exception) when (exception is TimeoutException or InvalidOperationException)
        {
            var output = string.Join('\n', process.Output);
            await process.DisposeAsync();
            throw new InvalidOperationException($"SeedMcp.Server did not become alive at {baseAddress}. Output:\n{output}", exception);
        }
    }

    /// <summary>The server's own build output, same configuration as the tests.</summary>
    private static string ServerAssemblyPath()
    {
        var testBin = AppContext.BaseDirectory; // …/SeedMcp.Tests/bin/<Configuration>/net10.0/
        var configuration = new DirectoryInfo(testBin).Parent!.Name;
        var root = Path.GetFullPath(Path.Combine(testBin, "..", "..", "..", ".."));
        var path = Path.Combine(root, "SeedMcp.Server", "bin", configuration, "net10.0", "SeedMcp.Server.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build SeedMcp.Server first; not found: {path}");
    }
}
