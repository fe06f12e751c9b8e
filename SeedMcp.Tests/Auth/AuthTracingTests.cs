using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SeedMcp.Server.Telemetry;
using SeedMcp.Tests.Support;

namespace SeedMcp.Tests.Auth;

/// <summary>The <c>auth.validate</c> span, its JWKS fetch as a child HTTP span, and no token anywhere in telemetry.</summary>
public sealed class AuthTracingTests(IdentityProviderFixture identity) : IClassFixture<IdentityProviderFixture>, IAsyncLifetime, IDisposable
{
    private readonly HttpClient _http = RawMcp.CreateHttpClient();
    private readonly CapturedLogs _logs = new();
    private readonly TestIdentityProvider _provider = identity.Provider;
    private TracedServer _server = null!;

    public async Task InitializeAsync()
    {
        var settings = _provider.ServerSettings();
        settings["Logging:LogLevel:Default"] = "Trace";
        _server = await TracedServer.StartAsync(settings, services => services.AddLogging(logging => logging.AddProvider(_logs)));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose()
    {
        _http.Dispose();
        _logs.Dispose();
    }

    [Fact]
    public async Task The_discovery_and_JWKS_fetches_are_child_spans_of_the_auth_span()
    {
        await SendAsync(_provider.Mint("alice"));

        var auth = await AuthSpanAsync(SeedMcpTelemetry.Authentication.ValidateSpan);
        var jwksFetch = await _server.SpanAsync(span => Url(span)?.EndsWith(TestIdentityProvider.JwksPath, StringComparison.Ordinal) == true, "the JWKS fetch span");
        var discoveryFetch = await _server.SpanAsync(span => Url(span)?.EndsWith("/.well-known/openid-configuration", StringComparison.Ordinal) == true, "the discovery fetch span");

        Assert.Equal("ok", auth.GetTagItem(SeedMcpTelemetry.Authentication.OutcomeAttribute));
        Assert.Equal("alice", auth.GetTagItem(SeedMcpTelemetry.Attributes.UserId));
        Assert.False(Assert.IsType<bool>(auth.GetTagItem(SeedMcpTelemetry.Authentication.CacheHitAttribute)));
        Assert.Equal(ActivityStatusCode.Unset, auth.Status);
        Assert.Equal(ActivityKind.Client, jwksFetch.Kind);
        Assert.Equal(auth.SpanId, jwksFetch.ParentSpanId);
        Assert.Equal(auth.SpanId, discoveryFetch.ParentSpanId);
        Assert.Equal(auth.TraceId, jwksFetch.TraceId);
    }

    [Fact]
    public async Task A_rejected_token_marks_the_auth_span_with_its_outcome()
    {
        await SendAsync(_provider.Mint(adjust: token => token.Audience = "https://another-server.example/mcp"));

        var auth = await AuthSpanAsync(SeedMcpTelemetry.Authentication.ValidateSpan);

        Assert.Equal("wrong_audience", auth.GetTagItem(SeedMcpTelemetry.Authentication.OutcomeAttribute));
        Assert.Equal("wrong_audience", auth.GetTagItem(SeedMcpTelemetry.Attributes.ErrorType));
        Assert.Equal(ActivityStatusCode.Error, auth.Status);
        Assert.Null(auth.GetTagItem(SeedMcpTelemetry.Attributes.UserId));
        Assert.False(Assert.IsType<bool>(auth.GetTagItem(SeedMcpTelemetry.Authentication.CacheHitAttribute))); // validated now, and never remembered
    }

    [Fact]
    public async Task A_request_without_a_token_is_an_auth_span_with_outcome_missing_token_and_no_error()
    {
        await SendAsync(token: null);

        var auth = await AuthSpanAsync(SeedMcpTelemetry.Authentication.ValidateSpan);

        Assert.Equal("missing_token", auth.GetTagItem(SeedMcpTelemetry.Authentication.OutcomeAttribute));
        Assert.Null(auth.GetTagItem(SeedMcpTelemetry.Authentication.CacheHitAttribute));
        Assert.Equal(ActivityStatusCode.Unset, auth.Status);
    }

    [Fact]
    public async Task No_token_or_signature_appears_in_any_span_or_log()
    {
        string[] tokens =
        [
            _provider.Mint("alice"),
            _provider.Mint(adjust: token => token.Expires = DateTime.UtcNow.AddMinutes(-10)),
            _provider.Mint(key: _provider.Rsa.Impostor()),
            _provider.Mint(key: SigningKey.NewEc("never-published")),
        ];
        foreach (var token in tokens)
        {
            await SendAsync(token);
        }

        await Eventually.GetAsync(
            () => _server.Spans.Count(span => span.OperationName == SeedMcpTelemetry.Authentication.ValidateSpan) == tokens.Length ? "" : null,
            "an auth span per request");
        var telemetry = _server.Spans.Select(Describe).Concat(_logs.Records).ToList();

        Assert.Contains(telemetry, text => text.Contains("bad_signature", StringComparison.Ordinal)); // the capture did see the rejections
        foreach (var token in tokens)
        {
            var signature = token.Split('.')[2];
            Assert.DoesNotContain(telemetry, text => text.Contains(signature, StringComparison.Ordinal));
            Assert.DoesNotContain(telemetry, text => text.Contains(token[..token.LastIndexOf('.')], StringComparison.Ordinal));
        }
    }

    private async Task SendAsync(string? token)
    {
        using var response = await _http.SendAsync(BearerRequests.StatelessToolCall(_server.Host.McpEndpoint, token));
    }

    private Task<Activity> AuthSpanAsync(string name) =>
        _server.SpanAsync(span => span.Source.Name == SeedMcpTelemetry.Sources.Auth && span.OperationName == name, "the auth.validate span");

    private static string? Url(Activity span) => span.GetTagItem("url.full") as string;

    /// <summary>Everything a span carries, as text.</summary>
    private static string Describe(Activity span) =>
        string.Join(" ", [
            span.DisplayName,
            span.StatusDescription ?? "",
            .. span.TagObjects.Select(tag => $"{tag.Key}={tag.Value}"),
            .. span.Events.SelectMany(spanEvent => spanEvent.Tags.Select(tag => $"{spanEvent.Name}.{tag.Key}={tag.Value}")),
        ]);
}
