using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;

namespace SeedMcp.Tests.Auth;

/// <summary>
/// The AppHost's auth wiring, read from its model without starting the graph: anonymous by default in a local run,
/// bearer authentication once the authority parameter is given.
/// </summary>
public sealed class AppHostAuthTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_local_run_without_an_authority_lets_anonymous_callers_in()
    {
        var environment = await ServerEnvironmentAsync([]);

        Assert.Equal("false", await ValueAsync(environment["AUTH_REQUIRED"]));
        Assert.False(environment.ContainsKey("Auth__Authority"));
    }

    [Fact]
    public async Task The_authority_and_audience_parameters_turn_bearer_authentication_on()
    {
        var environment = await ServerEnvironmentAsync(
        [
            "Parameters:auth-authority=https://idp.example.com/realms/mcp",
            "Parameters:auth-audience=https://mcp.example.com/mcp",
        ]);

        Assert.Equal("https://idp.example.com/realms/mcp", await ValueAsync(environment["Auth__Authority"]));
        Assert.Equal("https://mcp.example.com/mcp", await ValueAsync(environment["Auth__Audience"]));
        Assert.False(environment.ContainsKey("AUTH_REQUIRED"));
    }

    /// <summary>
    /// The server's environment as the AppHost declares it, read from its annotations without running the graph
    /// (values that point at endpoints only resolve once the graph runs, so they are not resolved here).
    /// </summary>
    private static async Task<Dictionary<string, object>> ServerEnvironmentAsync(string[] arguments)
    {
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.SeedMcp_AppHost>(
            ["Infrastructure:Mode=Embedded", .. arguments]).WaitAsync(Timeout);
        var server = builder.Resources.Single(resource => resource.Name == "server");
        var context = new EnvironmentCallbackContext(builder.ExecutionContext);
        foreach (var callback in server.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await callback.Callback(context).WaitAsync(Timeout);
        }

        return context.EnvironmentVariables;
    }

    private static async Task<string?> ValueAsync(object value) => value switch
    {
        string text => text,
        IValueProvider provider => await provider.GetValueAsync().AsTask().WaitAsync(Timeout),
        _ => value.ToString(),
    };
}
