using System.Diagnostics;
using StackExchange.Redis;

namespace SeedMcp.Tests.Support;

/// <summary>
/// A real <c>redis-server</c> (<see cref="RedisProcess"/>) on a free loopback port for the tests of one collection; no
/// mock stands in for Redis.
/// </summary>
public sealed class RedisServerFixture : IAsyncLifetime
{
    private Process? _process;

    public string ConnectionString { get; private set; } = string.Empty;

    public IConnectionMultiplexer Connection { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var port = FreePort.Next();
        _process = RedisProcess.Start(port);
        ConnectionString = $"127.0.0.1:{port}";
        Connection = await ConnectAsync(ConnectionString, TimeSpan.FromSeconds(15));
    }

    /// <summary>Connects and pings, retrying while the server is still starting, for at most <paramref name="timeout"/>.</summary>
    public static async Task<IConnectionMultiplexer> ConnectAsync(string connectionString, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                var connection = await ConnectionMultiplexer.ConnectAsync(connectionString);
                await connection.GetDatabase().PingAsync();
                return connection;
            }
            catch (RedisConnectionException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    public async Task DisposeAsync()
    {
        if (Connection is not null)
        {
            await Connection.DisposeAsync();
        }

        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }

        _process?.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class RedisCollection : ICollectionFixture<RedisServerFixture>
{
    public const string Name = "redis";
}
