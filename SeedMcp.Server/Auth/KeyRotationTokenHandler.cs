using Microsoft.IdentityModel.Tokens;

namespace SeedMcp.Server.Auth;

/// <summary>
/// JwtBearer's token handler, validating once more after a key refresh when a token names a key id the cached key set
/// lacks: the first token signed with a rotated-in key succeeds instead of getting 401. The refresh is throttled by
/// <see cref="SigningKeyRefresh"/>, so made-up key ids cannot make the server hammer the provider; a token of a key the
/// provider no longer publishes still fails, after at most that one refresh.
/// </summary>
internal sealed class KeyRotationTokenHandler(TokenHandler inner, SigningKeyRefresh refresh, TimeSpan refreshTimeout) : DelegatingTokenHandler(inner)
{
    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        if (validationParameters.ConfigurationManager is not BaseConfigurationManager manager)
        {
            return await Inner.ValidateTokenAsync(token, validationParameters);
        }

        // The key set the first attempt is checked against; a refresh replaces the instance.
        BaseConfiguration? before;
        try
        {
            before = await manager.GetBaseConfigurationAsync(CancellationToken.None);
        }
        catch (InvalidOperationException)
        {
            return await Inner.ValidateTokenAsync(token, validationParameters);
        }

        var result = await Inner.ValidateTokenAsync(token, validationParameters);
        if (result.IsValid || result.Exception is not SecurityTokenSignatureKeyNotFoundException
            || !await refresh.RefreshAsync(manager, before, refreshTimeout))
        {
            return result;
        }

        return await Inner.ValidateTokenAsync(token, validationParameters);
    }
}
