using Microsoft.IdentityModel.Tokens;

namespace SeedMcp.Server.Auth;

/// <summary>
/// A token handler that wraps another one (JwtBearer takes a list of handlers, not a pipeline): everything is passed to
/// <paramref name="inner"/>; a subclass overrides only the string-token validation it adds to.
/// </summary>
internal abstract class DelegatingTokenHandler(TokenHandler inner) : TokenHandler
{
    /// <summary>The wrapped handler, for the validation a subclass adds to.</summary>
    protected TokenHandler Inner => inner;

    public override int MaximumTokenSizeInBytes
    {
        get => inner.MaximumTokenSizeInBytes;
        set => inner.MaximumTokenSizeInBytes = value;
    }

    public override SecurityToken ReadToken(string token) => inner.ReadToken(token);

    public override Task<TokenValidationResult> ValidateTokenAsync(SecurityToken token, TokenValidationParameters validationParameters) =>
        inner.ValidateTokenAsync(token, validationParameters);
}
