using System.Diagnostics;
using Microsoft.AspNetCore.Authentication;
using SeedMcp.Server.Mcp;
using SeedMcp.Server.Telemetry;

namespace SeedMcp.Server.Auth;

/// <summary>
/// Runs bearer validation for the MCP endpoint inside an <c>auth.validate</c> span, so a discovery or JWKS fetch it
/// triggers is that span's child HTTP span, and tags the span with the outcome: the verdict, the caller and whether the
/// verdict reused an earlier validation of the token (<see cref="ValidatedTokenCache"/>). The handler caches its result
/// for the request, so <c>UseAuthentication</c> right after does not validate again. Nothing of the token is recorded.
/// </summary>
internal sealed class AuthenticationTracingMiddleware(
    RequestDelegate next, TelemetryUserId userIds, ValidatedTokenCache tokenCache, ILogger<AuthenticationTracingMiddleware> logger)
{
    private static readonly object Reused = true;
    private static readonly object ValidatedNow = false;

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
        if (tokenCache.Enabled && WasValidated(outcome))
        {
            // Only a success can have been reused: failures are never remembered.
            activity?.SetTag(SeedMcpTelemetry.Authentication.CacheHitAttribute, ValidatedTokenCache.WasReused(result.Principal) ? Reused : ValidatedNow);
        }

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

    /// <summary>False when no token reached the token handler: none was sent, or the provider's keys could not be fetched.</summary>
    private static bool WasValidated(string outcome) => outcome is not (AuthOutcome.MissingToken or AuthOutcome.ProviderUnavailable);
}
