using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SeedMcp.Server.Mcp;
using SeedMcp.Tests.Support;

namespace SeedMcp.Tests.Auth;

/// <summary>
/// Which authentication settings the server starts with, in which environment, and the message it stops with
/// otherwise. Booted like Program.cs, with the environment the test names (ServerHost always uses Development).
/// </summary>
public sealed class AuthStartupTests
{
    [Fact]
    public async Task In_Production_without_auth_settings_the_server_refuses_to_start_and_says_what_to_set()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => StartAsync(Environments.Production, []));

        Assert.Contains("Authentication is not configured", error.Message, StringComparison.Ordinal);
        Assert.Contains("Auth:Authority (env Auth__Authority)", error.Message, StringComparison.Ordinal);
        Assert.Contains("Auth:Audience (env Auth__Audience)", error.Message, StringComparison.Ordinal);
        Assert.Contains("AUTH_REQUIRED=false", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AUTH_REQUIRED")]
    [InlineData("Auth:Required")]
    public async Task In_Production_anonymous_access_can_be_chosen_explicitly(string setting)
    {
        await using var server = await StartAsync(Environments.Production, new() { [setting] = "false" });
        await using var client = await McpTestClient.ConnectAsync(server.McpEndpoint);

        var info = (await client.CallToolAsync("user_info")).StructuredContent!.Value;

        Assert.False(info.GetProperty("authenticated").GetBoolean());
        Assert.Equal("anonymous", info.GetProperty("subject").GetString());
    }

    [Fact]
    public async Task Auth_required_without_an_authority_refuses_to_start()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => StartAsync(Environments.Development, new() { ["Auth:Required"] = "true" }));

        Assert.Contains("Auth:Required is true but no authority is configured", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://idp.example.com/realms/mcp", "https://mcp.example.com/mcp", "is not https")]
    [InlineData("idp.example.com", "https://mcp.example.com/mcp", "Auth:Authority (env Auth__Authority) must be an absolute https URL")]
    [InlineData("https://idp.example.com/realms/mcp", null, "Auth:Audience (env Auth__Audience) must be this server's canonical MCP URL")]
    [InlineData("https://idp.example.com/realms/mcp", "mcp-server", "Auth:Audience (env Auth__Audience) must be this server's canonical MCP URL")]
    public async Task Invalid_bearer_settings_refuse_to_start_naming_the_setting(string authority, string? audience, string expected)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() =>
            StartAsync(Environments.Development, new() { ["Auth:Authority"] = authority, ["Auth:Audience"] = audience }));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_scope_that_is_not_an_oauth_scope_token_is_refused()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => StartAsync(Environments.Development, new()
        {
            ["Auth:Authority"] = "https://idp.example.com/realms/mcp",
            ["Auth:Audience"] = "https://mcp.example.com/mcp",
            ["Auth:RequiredScopes:0"] = "mcp tools",
        }));

        Assert.Contains("Auth:RequiredScopes (env Auth__RequiredScopes__0, …) holds 'mcp tools'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_AUTH_REQUIRED_that_is_not_a_boolean_is_refused()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => StartAsync(Environments.Development, new() { ["AUTH_REQUIRED"] = "nope" }));

        Assert.Equal("AUTH_REQUIRED must be 'true' or 'false', but was 'nope'.", error.Message);
    }

    /// <summary>The server as Program.cs composes it, in <paramref name="environment"/>, with only the given auth settings.</summary>
    private static Task<ServerHost> StartAsync(string environment, Dictionary<string, string?> settings) =>
        ServerHost.StartAsync(settings, environment: environment);
}
