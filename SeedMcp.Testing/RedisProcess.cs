using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace SeedMcp.Testing;

/// <summary>
/// The one way the tests and the benchmarks run a real <c>redis-server</c>: on loopback, on the port given, persisting
/// nothing unless asked; and the one readiness check, a <c>PING</c> over plain TCP.
/// </summary>
public static class RedisProcess
{
    public const string Executable = "redis-server";

    /// <summary>
    /// The command line of a throw-away server on <paramref name="port"/>: loopback only, no RDB snapshots, and an
    /// append-only file in <paramref name="appendOnlyDirectory"/> only when one is given (a restart then keeps the
    /// data). <paramref name="extraArguments"/> add to it (cluster mode, say).
    /// </summary>
    public static IReadOnlyList<string> Arguments(int port, string? appendOnlyDirectory = null, params string[] extraArguments) =>
    [
        "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "",
        .. appendOnlyDirectory is null ? ["--appendonly", "no"] : new[] { "--dir", appendOnlyDirectory, "--appendonly", "yes" },
        .. extraArguments,
    ];

    /// <summary>
    /// Starts <c>redis-server</c> with <see cref="Arguments"/>, its output drained so a chatty server never blocks on
    /// a full pipe; says how to install it when it is missing.
    /// </summary>
    public static Process Start(int port, string? appendOnlyDirectory = null, params string[] extraArguments)
    {
        var startInfo = new ProcessStartInfo(Executable, Arguments(port, appendOnlyDirectory, extraArguments))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        try
        {
            var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"{Executable} did not start.");
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return process;
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new InvalidOperationException($"{Executable} is not installed: run 'apt-get install -y redis-server' (tests and benchmarks run against real Redis).", exception);
        }
    }

    /// <summary>Whether a Redis server on loopback <paramref name="port"/> answers <c>PING</c> with <c>+PONG</c>.</summary>
    public static async Task<bool> PingAsync(int port, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port, cancellationToken);
        var stream = client.GetStream();
        await stream.WriteAsync("PING\r\n"u8.ToArray(), cancellationToken);
        var buffer = new byte[16];
        var read = await stream.ReadAsync(buffer, cancellationToken);
        return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
    }
}
