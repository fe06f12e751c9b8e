using System.Net;
using SeedMcp.Tests.Support;

namespace SeedMcp.Tests.Auth;

/// <summary>
/// A session belongs to the subject that opened it: another subject, with a perfectly valid token, gets 403. Checked
/// with the session in memory and in Redis.
/// </summary>
public abstract class SessionOwnershipTests : IAsyncLifetime, IDisposable
{
    private readonly HttpClient _http = new();
    private TestIdentityProvider _provider = null!;
    private ServerHost _server = null!;

    public async Task InitializeAsync()
    {
        _provider = await TestIdentityProvider.StartAsync();
        var settings = _provider.ServerSettings();
        foreach (var (key, value) in SessionStoreSettings())
        {
            settings[key] = value;
        }

        _server = await ServerHost.StartAsync(settings);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _provider.DisposeAsync();
    }

    public void Dispose()
    {
        _http.Dispose();
        GC.SuppressFinalize(this);
    }

    protected abstract IReadOnlyDictionary<string, string?> SessionStoreSettings();

    [Fact]
    public async Task Another_subject_cannot_use_the_session_its_owner_opened()
    {
        using var aliceHttp = BearerRequests.ClientWithToken(_provider.Mint("alice"));
        await using var alice = await McpTestClient.ConnectAsync(_server.McpEndpoint, httpClient: aliceHttp);
        var sessionId = alice.SessionId!;

        using var asMallory = BearerRequests.WithToken(
            RawMcp.Post(_server.McpEndpoint, RawMcp.CallTool("user_info"), sessionId, McpTestClient.SessionProtocolVersion),
            _provider.Mint("mallory"));
        using var response = await _http.SendAsync(asMallory);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var error = (await RawMcp.ReadMessageAsync(response)).GetProperty("error");
        Assert.Equal("Forbidden: this session belongs to another user.", error.GetProperty("message").GetString());

        var stillAlice = await alice.CallToolAsync("user_info");
        Assert.Equal("alice", stillAlice.StructuredContent!.Value.GetProperty("subject").GetString());
    }

    [Fact]
    public async Task Another_subject_cannot_end_the_session()
    {
        using var aliceHttp = BearerRequests.ClientWithToken(_provider.Mint("alice"));
        await using var alice = await McpTestClient.ConnectAsync(_server.McpEndpoint, httpClient: aliceHttp);

        using var delete = new HttpRequestMessage(HttpMethod.Delete, _server.McpEndpoint);
        delete.Headers.Add(RawMcp.SessionIdHeader, alice.SessionId);
        using var response = await _http.SendAsync(BearerRequests.WithToken(delete, _provider.Mint("mallory")));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.NotEqual(true, (await alice.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "still open" })).IsError);
    }
}
