using Microsoft.IdentityModel.Tokens;

namespace SeedMcp.Server.Auth;

/// <summary>
/// JwtBearer's token handler (JsonWebTokenHandler) behind a <see cref="ValidatedTokenCache"/>: a token validated
/// before, against the key set still current, is not validated again. Failures always come from the inner handler
/// unchanged, so outcomes, error descriptions and the key refresh on an unknown <c>kid</c> are JwtBearer's own.
/// A reused validation says so in the result it returns (<see cref="ValidatedTokenCache.WasReused"/>); the owner of
/// the <c>auth.validate</c> span records it, this handler writes on no span.
/// </summary>
internal sealed class CachingTokenHandler(TokenHandler inner, ValidatedTokenCache cache) : DelegatingTokenHandler(inner)
{
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
            return cached;
        }

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
}
