using System.Net;
using System.Net.Sockets;

namespace SeedMcp.Testing;

public static class FreePort
{
    /// <summary>Redis Cluster's bus listens on the node's port + 10000, so a node's port may be at most this.</summary>
    public const int HighestClusterNodePort = 55535;

    /// <summary>A loopback TCP port nobody listens on right now.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// <paramref name="count"/> distinct loopback ports, each at most <see cref="HighestClusterNodePort"/>, with the
    /// port 10000 above each also free (a Redis Cluster node's bus). Random ports below the ephemeral range, so they
    /// rarely collide with anyone else's.
    /// </summary>
    public static IReadOnlyList<int> NextWithClusterBus(int count)
    {
        var ports = new List<int>();
        for (var attempt = 0; ports.Count < count; attempt++)
        {
            if (attempt > 1000)
            {
                throw new InvalidOperationException($"Found only {ports.Count} of {count} free port pairs (port, port + 10000) below {HighestClusterNodePort}.");
            }

            var port = Random.Shared.Next(20_000, 30_000);
            if (!ports.Contains(port) && !ports.Contains(port + 10_000) && !ports.Contains(port - 10_000) && IsFree(port) && IsFree(port + 10_000))
            {
                ports.Add(port);
            }
        }

        return ports;
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
