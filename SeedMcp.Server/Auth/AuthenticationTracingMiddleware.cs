using System.Diagnostics;
using Microsoft.AspNetCore.Authentication;
using SeedMcp.Server.Mcp;
using SeedMcp.Server.Telemetry;

namespace SeedMcp.Server.Auth;

/// <summary>
/// Runs bearer validation for the MCP endpoint inside an <c>auth.validate</c> span, so a discovery or JWKS fetch it
/// triggers is that span's child HTTP span, and tags the span with the outcome. The handler caches its result for the
/// request, so <c>UseAuthentication</c> right after does not validate again. Nothing of the token is recorded.
/// </summary>
internal sealed class AuthenticationTracingMiddleware(RequestDelegate next, TelemetryUserId userIds, ILogger<AuthenticationTracingMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments(McpEndpoint.Path))
        {
            await AuthenticateInSpanAsync(context);
        }

        await next(context);
    }

    private async Task AuthenticateInSpanAsync(HttpContext context)
    {
        using var activity = SeedMcpActivitySources.Auth.StartActivity(SeedMcpTelemetry.Authentication.ValidateSpan);
        var result = await context.AuthenticateAsync();
        var outcome = AuthOutcome.Of(result);
        activity?.SetTag(SeedMcpTelemetry.Authentication.OutcomeAttribute, outcome);

        if (result.Succeeded)
        {
            activity?.SetTag(SeedMcpTelemetry.Attributes.UserId, userIds.Of(result.Principal));
            return;
        }

        if (outcome == AuthOutcome.MissingToken)
        {
            // The first step of every MCP client's authorization discovery, not an error.
            AuthLog.NoBearerToken(logger, context.Request.Method);
            return;
        }

        activity?.SetTag(SeedMcpTelemetry.Attributes.ErrorType, outcome);
        activity?.SetStatus(ActivityStatusCode.Error, outcome);
        if (outcome == AuthOutcome.ProviderUnavailable)
        {
            AuthLog.ProviderUnavailable(logger, result.Failure!.InnerException?.Message);
        }
        else
        {
            AuthLog.TokenRejected(logger, outcome);
        }
    }
}
