using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using SeedMcp.Tests.Support;

namespace SeedMcp.Tests.Auth;

/// <summary>
/// Real JWTs, signed by RSA and EC keys that a real provider serves as a JWKS over HTTP, against the real server:
/// what gets in, and the exact 401 each kind of bad token gets.
/// </summary>
public sealed class BearerValidationTests(BearerServerFixture fixture) : IClassFixture<BearerServerFixture>, IDisposable
{
    private readonly HttpClient _http = new();

    private TestIdentityProvider Provider => fixture.Provider;

    private ServerHost Server => fixture.Server;

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task A_valid_RSA_token_reaches_the_tools_and_user_info_reports_the_caller()
    {
        var token = Provider.Mint("alice", scope: "mcp:tools mcp:read");
        using var http = BearerRequests.ClientWithToken(token);
        await using var client = await McpTestClient.ConnectAsync(Server.McpEndpoint, httpClient: http);

        var result = await client.CallToolAsync("user_info");

        var info = result.StructuredContent!.Value;
        Assert.True(info.GetProperty("authenticated").GetBoolean());
        Assert.Equal("alice", info.GetProperty("subject").GetString());
        Assert.Equal(Provider.Issuer, info.GetProperty("issuer").GetString());
        Assert.Equal(["mcp:tools", "mcp:read"], info.GetProperty("scopes").EnumerateArray().Select(scope => scope.GetString()));
        Assert.Equal("alice@example.com", info.GetProperty("claims").GetProperty("email")[0].GetString());
        Assert.DoesNotContain(token.Split('.')[2], info.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_valid_EC_token_is_accepted()
    {
        using var response = await _http.SendAsync(BearerRequests.StatelessToolCall(Server.McpEndpoint, Provider.Mint("bob", Provider.Ec)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = (await RawMcp.ReadMessageAsync(response)).GetProperty("result");
        Assert.Equal("bob", result.GetProperty("structuredContent").GetProperty("subject").GetString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Bearer ")]
    public async Task A_request_without_a_bearer_token_gets_401_with_only_the_resource_metadata_challenge(string? authorization)
    {
        using var request = BearerRequests.StatelessToolCall(Server.McpEndpoint, token: null);
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal($"Bearer resource_metadata=\"{TestIdentityProvider.ResourceMetadataUrl}\"", WwwAuthenticate(response));
        Assert.Equal("Unauthorized: No bearer token: send 'Authorization: Bearer <access token>'.", await ErrorMessageAsync(response));
    }

    public static TheoryData<string, string> RejectedTokens => new()
    {
        { "expired", "The access token has expired; obtain a new one." },
        { "not_yet_valid", "The access token is not valid yet (nbf is in the future); check the clocks." },
        { "wrong_issuer", "The access token was not issued by this server's authorization server." },
        { "wrong_audience", "The access token was not issued for this server: its audience must be this server's MCP URL." },
        { "bad_signature", "The access token's signature is missing or invalid." },
        { "alg_none", "The access token's signature is missing or invalid." },
        { "unknown_kid", "The access token was signed with a key the authorization server does not publish." },
        { "hmac", "The access token's signature is missing or invalid." },
        { "not_a_jwt", "The bearer token is not a well-formed JWT." },
        { "malformed_header", "The bearer token is not a well-formed JWT." },
    };

    [Theory]
    [MemberData(nameof(RejectedTokens))]
    public async Task A_bad_token_gets_401_with_an_invalid_token_challenge_saying_why(string kind, string description)
    {
        using var response = await _http.SendAsync(BearerRequests.StatelessToolCall(Server.McpEndpoint, BadToken(kind)));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(
            $"Bearer resource_metadata=\"{TestIdentityProvider.ResourceMetadataUrl}\", error=\"invalid_token\", error_description=\"{description}\"",
            WwwAuthenticate(response));
        Assert.Equal("Unauthorized: " + description, await ErrorMessageAsync(response));
    }

    [Fact]
    public async Task The_protected_resource_metadata_names_this_resource_and_its_authorization_server()
    {
        var metadata = JsonDocument.Parse(
            await _http.GetStringAsync(new Uri(Server.BaseAddress, ".well-known/oauth-protected-resource/mcp"))).RootElement;

        Assert.Equal(TestIdentityProvider.DefaultAudience, metadata.GetProperty("resource").GetString());
        Assert.Equal([Provider.Issuer], metadata.GetProperty("authorization_servers").EnumerateArray().Select(server => server.GetString()));
        Assert.Equal(["header"], metadata.GetProperty("bearer_methods_supported").EnumerateArray().Select(method => method.GetString()));
    }

    [Fact]
    public async Task Health_endpoints_need_no_token()
    {
        using var response = await _http.GetAsync(new Uri(Server.BaseAddress, "health"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private string BadToken(string kind)
    {
        var now = DateTime.UtcNow;
        return kind switch
        {
            "expired" => Provider.Mint(adjust: token => (token.IssuedAt, token.NotBefore, token.Expires) = (now.AddHours(-2), now.AddHours(-2), now.AddHours(-1))),
            "not_yet_valid" => Provider.Mint(adjust: token => (token.NotBefore, token.Expires) = (now.AddHours(1), now.AddHours(2))),
            "wrong_issuer" => Provider.Mint(adjust: token => token.Issuer = "https://impostor.example"),
            "wrong_audience" => Provider.Mint(adjust: token => token.Audience = "https://another-server.example/mcp"),
            "bad_signature" => Provider.Mint(key: Provider.Rsa.Impostor()),
            "alg_none" => Provider.Mint(adjust: token => token.SigningCredentials = null),
            "unknown_kid" => Provider.Mint(key: SigningKey.NewRsa("never-published")),
            // HS256 keyed with the RSA key's public modulus: the classic algorithm-confusion attack.
            "hmac" => Provider.Mint(adjust: token => token.SigningCredentials = new SigningCredentials(
                new SymmetricSecurityKey(Encoding.ASCII.GetBytes(Provider.Rsa.PublicJwk()["n"])) { KeyId = Provider.Rsa.Kid },
                SecurityAlgorithms.HmacSha256)),
            "not_a_jwt" => "not-a-jwt",
            "malformed_header" => ReplaceHeader(Provider.Mint(), "{\"alg\":"),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "No such bad token."),
        };
    }

    /// <summary>The same token with its JOSE header replaced by text that is not a JSON object.</summary>
    private static string ReplaceHeader(string token, string header) =>
        Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(header)) + token[token.IndexOf('.', StringComparison.Ordinal)..];

    private static string WwwAuthenticate(HttpResponseMessage response) =>
        string.Join(", ", response.Headers.GetValues("WWW-Authenticate"));

    private static async Task<string?> ErrorMessageAsync(HttpResponseMessage response) =>
        (await RawMcp.ReadMessageAsync(response)).GetProperty("error").GetProperty("message").GetString();
}
