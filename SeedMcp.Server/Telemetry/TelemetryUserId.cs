using System.Security.Cryptography;
using System.Text;
using SeedMcp.Server.Auth;

namespace SeedMcp.Server.Telemetry;

/// <summary>The user id as telemetry shows it: as is, or a stable SHA-256 pseudonym that still groups one user's calls.</summary>
public static class TelemetryUserId
{
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
