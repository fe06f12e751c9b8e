using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace SeedMcp.Benchmarks.Infrastructure;

/// <summary>A throw-away <c>redis-server</c> (<see cref="RedisProcess"/>: loopback only, no persistence), pinned and logged.</summary>
public static class RedisServer
{
    public static async Task<ChildProcess> StartAsync(int port, string? cpus, string logPath, CancellationToken cancellationToken)
    {
        var redis = ChildProcess.Start(
            "redis",
            cpus,
            RedisProcess.Executable,
            RedisProcess.Arguments(port),
            new Dictionary<string, string>(),
            Path.GetTempPath(),
            logPath);
        await redis.WaitUntilReadyAsync(token => RedisProcess.PingAsync(port, token), TimeSpan.FromSeconds(20), cancellationToken);
        return redis;
    }

    /// <summary>Calls served so far, by command (<c>INFO commandstats</c>), e.g. evalsha → 120345.</summary>
    public static async Task<Dictionary<string, long>> CommandCallsAsync(int port, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port, cancellationToken);
        var stream = client.GetStream();
        await stream.WriteAsync("INFO commandstats\r\n"u8.ToArray(), cancellationToken);

        // A bulk string: "$<length>\r\n<payload>\r\n".
        var received = new List<byte>();
        var buffer = new byte[8192];
        int? expected = null;
        while (expected is null || received.Count < expected)
        {
            var read = await stream.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                break;
            }

            received.AddRange(buffer.AsSpan(0, read));
            if (expected is null && received.IndexOf((byte)'\n') is var newline and > 0)
            {
                expected = newline + 1 + int.Parse(Encoding.ASCII.GetString([.. received.Take(newline - 1).Skip(1)]), CultureInfo.InvariantCulture) + 2;
            }
        }

        var calls = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in Encoding.ASCII.GetString([.. received]).Split("\r\n"))
        {
            // cmdstat_evalsha:calls=12,usec=345,usec_per_call=28.75,rejected_calls=0,failed_calls=0
            if (line.StartsWith("cmdstat_", StringComparison.Ordinal) && line.Split(':', 2) is [var name, var fields])
            {
                var callsField = fields.Split(',').First(f => f.StartsWith("calls=", StringComparison.Ordinal));
                calls[name["cmdstat_".Length..]] = long.Parse(callsField["calls=".Length..], CultureInfo.InvariantCulture);
            }
        }

        return calls;
    }
}
