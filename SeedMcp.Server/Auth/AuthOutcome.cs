using Microsoft.AspNetCore.Authentication;
using Microsoft.IdentityModel.Tokens;

namespace SeedMcp.Server.Auth;

/// <summary>
/// What bearer validation concluded, as one short word for spans and logs (<c>auth.outcome</c>) and one sentence for
/// the caller. Derived from the exception type JwtBearer reports, never from the token itself.
/// </summary>
public static class AuthOutcome
{
    public const string Ok = "ok";
    public const string MissingToken = "missing_token";
    public const string Malformed = "malformed";
    public const string Expired = "expired";
    public const string NotYetValid = "not_yet_valid";
    public const string NoExpiry = "no_expiry";
    public const string InvalidLifetime = "invalid_lifetime";
    public const string WrongIssuer = "wrong_issuer";
    public const string WrongAudience = "wrong_audience";
    public const string UnknownKid = "unknown_kid";
    public const string BadSignature = "bad_signature";
    public const string BadAlgorithm = "bad_algorithm";
    public const string ProviderUnavailable = "provider_unavailable";
    public const string Invalid = "invalid";

    public static string Of(AuthenticateResult result) => result switch
    {
        { Succeeded: true } => Ok,
        { None: true } => MissingToken,
        { Failure: { } failure } => Of(failure),
        _ => Invalid,
    };

    // Order matters: SecurityTokenSignatureKeyNotFoundException derives from SecurityTokenInvalidSignatureException.
    public static string Of(Exception failure) => failure switch
    {
        AuthorizationServerUnavailableException => ProviderUnavailable,
        SecurityTokenExpiredException => Expired,
        SecurityTokenNotYetValidException => NotYetValid,
        SecurityTokenNoExpirationException => NoExpiry,
        SecurityTokenInvalidLifetimeException => InvalidLifetime,
        SecurityTokenInvalidIssuerException => WrongIssuer,
        SecurityTokenInvalidAudienceException => WrongAudience,
        SecurityTokenSignatureKeyNotFoundException => UnknownKid,
        SecurityTokenInvalidAlgorithmException => BadAlgorithm,
        SecurityTokenInvalidSignatureException => BadSignature,
        SecurityTokenMalformedException => Malformed,
        // JsonWebTokenHandler reports a header or payload that is not Base64url JSON as ArgumentException (IDX14102).
        ArgumentException => Malformed,
        AggregateException { InnerExceptions.Count: > 0 } aggregate => Of(aggregate.InnerExceptions[0]),
        _ => Invalid,
    };

    /// <summary>What the caller is told (RFC 6750 <c>error_description</c> and the JSON-RPC error message).</summary>
    public static string Describe(string outcome) => outcome switch
    {
        MissingToken => "No bearer token: send 'Authorization: Bearer <access token>'.",
        Malformed => "The bearer token is not a well-formed JWT.",
        Expired => "The access token has expired; obtain a new one.",
        NotYetValid => "The access token is not valid yet (nbf is in the future); check the clocks.",
        NoExpiry => "The access token has no expiry (exp).",
        InvalidLifetime => "The access token's lifetime is invalid.",
        WrongIssuer => "The access token was not issued by this server's authorization server.",
        WrongAudience => "The access token was not issued for this server: its audience must be this server's MCP URL.",
        UnknownKid => "The access token was signed with a key the authorization server does not publish.",
        BadSignature => "The access token's signature is missing or invalid.",
        BadAlgorithm => "The access token is signed with an algorithm this server does not accept.",
        ProviderUnavailable => "The authorization server's signing keys cannot be fetched right now; retry shortly.",
        _ => "The access token is invalid.",
    };
}
