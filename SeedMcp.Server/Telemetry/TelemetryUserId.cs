using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using SeedMcp.Server.Auth;

namespace SeedMcp.Server.Telemetry;

/// <summary>
/// The one owner of the caller's id as telemetry shows it — spans, log lines, metric labels: the subject as is, or,
/// with <c>Telemetry:PseudonymizeUserIds</c>, a stable SHA-256 pseudonym that still groups one user's calls.
/// Everything that writes a user id into telemetry asks this component.
/// </summary>
public sealed class TelemetryUserId(IOptions<TelemetryPrivacyOptions> options)
{
    private readonly bool _pseudonymize = options.Value.PseudonymizeUserIds;

    public string Of(ClaimsPrincipal? user) => Format(CallerIdentity.UserId(user));

    public string Format(string userId) => Format(userId, _pseudonymize);

    public static string Format(string userId, bool pseudonymize)
    {
        if (!pseudonymize || userId == CallerIdentity.Anonymous)
        {
            return userId;
        }

        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(userId), hash);
        return "sha256:" + Convert.ToHexStringLower(hash[..8]);
    }
}
