using System.Diagnostics;
using Microsoft.IdentityModel.Tokens;
using SeedMcp.Server.Telemetry;

namespace SeedMcp.Server.Auth;

/// <summary>
/// JwtBearer's token handler (JsonWebTokenHandler) behind a <see cref="ValidatedTokenCache"/>: a token validated
/// before, against the key set still current, is not validated again. Failures always come from the inner handler
/// unchanged, so outcomes, error descriptions and the key refresh on an unknown <c>kid</c> are JwtBearer's own.
/// Tags the <c>auth.validate</c> span with <see cref="SeedMcpTelemetry.Authentication.CacheHitAttribute"/>.
/// </summary>
internal sealed class CachingTokenHandler(TokenHandler inner, ValidatedTokenCache cache) : DelegatingTokenHandler(inner)
{
    /// <summary>On <c>auth.validate</c>: <c>true</c> when the token's earlier validation was reused.</summary>

    private static readonly object Hit = true;
    private static readonly object Miss = false;

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        var (known, configuration) = await CurrentConfigurationAsync(validationParameters);
        if (!known)
        {
            return await Inner.ValidateTokenAsync(token, validationParameters);
        }

        var key = ValidatedTokenCache.KeyOf(token);
        if (cache.TryGet(key, configuration, out var cached))
        {
            RecordCacheUse(Hit);
            return cached;
        }

        RecordCacheUse(Miss);
        var result = await Inner.ValidateTokenAsync(token, validationParameters);
        if (result.IsValid)
        {
            cache.Add(key, configuration, result);
        }
        else
        {
            // A token that was good under the previous key set may not be any more.
            cache.Remove(key);
        }

        return result;
    }

    /// <summary>
    /// The discovery document and keys JwtBearer validates against, from its ConfigurationManager (which
    /// JsonWebTokenHandler asks the same way; a refresh replaces the instance). Without a manager (static keys) there
    /// is nothing to compare and every entry stands; when the manager has nothing yet the cache stays out of the way.
    /// </summary>
    private static async Task<(bool Known, BaseConfiguration? Configuration)> CurrentConfigurationAsync(TokenValidationParameters validationParameters)
    {
        if (validationParameters.ConfigurationManager is not { } manager)
        {
            return (true, null);
        }

        try
        {
            return (true, await manager.GetBaseConfigurationAsync(CancellationToken.None));
        }
        catch (InvalidOperationException)
        {
            return (false, null);
        }
    }

    private static void RecordCacheUse(object hit)
    {
        if (Activity.Current is { IsAllDataRequested: true } span && span.Source == SeedMcpActivitySources.Auth)
        {
            span.SetTag(SeedMcpTelemetry.Authentication.CacheHitAttribute, hit);
        }
    }
}
