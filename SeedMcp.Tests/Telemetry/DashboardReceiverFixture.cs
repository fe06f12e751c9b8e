using System.Net;
using SeedMcp.Tests.Support;

namespace SeedMcp.Tests.Telemetry;

public sealed class DashboardReceiverFixture : IAsyncLifetime
{
    public DashboardReceiver Receiver { get; } = new();

    public Task InitializeAsync() => Receiver.InitializeAsync();

    public Task DisposeAsync() => Receiver.DisposeAsync();
}
