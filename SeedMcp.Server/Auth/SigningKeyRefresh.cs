using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace SeedMcp.Server.Auth;

/// <summary>
/// The one key refresh an unknown <c>kid</c> may cause: at most one per <see cref="AuthOptions.JwksRefreshInterval"/>
/// (the first is never held back), shared by every request that meets an unknown key meanwhile, and awaited, so the
/// request that met it can be validated again against the new keys (<see cref="KeyRotationTokenHandler"/>).
/// JwtBearer alone only asks its ConfigurationManager for a refresh, which IdentityModel runs in the background, and
/// fails the request: the first token of a rotated key would get 401. Written by hand because neither JwtBearer nor
/// IdentityModel offers a refresh that can be awaited.
/// </summary>
internal sealed class SigningKeyRefresh(IOptions<AuthOptions> options, TimeProvider time)
{
    /// <summary>How often the refreshed key set is looked for; IdentityModel replaces it when the fetch lands.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    private readonly Lock _lock = new();
    private Task<bool>? _inFlight;
    private DateTimeOffset? _lastStarted;

    /// <summary>
    /// Refreshes the keys if the throttle allows it (or joins the refresh under way) and returns <c>true</c> once a new
    /// key set is in use; <c>false</c> when the throttle held the refresh back or the provider did not answer within
    /// <paramref name="timeout"/>, in which case the caller's failure stands.
    /// </summary>
    public Task<bool> RefreshAsync(BaseConfigurationManager manager, BaseConfiguration? current, TimeSpan timeout)
    {
        lock (_lock)
        {
            if (_inFlight is { IsCompleted: false } running)
            {
                return running;
            }

            var now = time.GetUtcNow();
            if (_lastStarted is { } last && now - last < options.Value.JwksRefreshInterval)
            {
                return Task.FromResult(false);
            }

            _lastStarted = now;
            _inFlight = RefreshNowAsync(manager, current, timeout);
            return _inFlight;
        }
    }

    private async Task<bool> RefreshNowAsync(BaseConfigurationManager manager, BaseConfiguration? current, TimeSpan timeout)
    {
        // RequestRefresh applies the same interval (JwtBearer sets it from Auth:JwksRefreshInterval), so JwtBearer's own
        // request after a failure cannot add a second fetch.
        manager.RequestRefresh();
        var deadline = time.GetUtcNow() + timeout;
        while (true)
        {
            try
            {
                if (!ReferenceEquals(await manager.GetBaseConfigurationAsync(CancellationToken.None), current))
                {
                    return true;
                }
            }
            catch (InvalidOperationException)
            {
                return false;
            }

            if (time.GetUtcNow() >= deadline)
            {
                return false;
            }

            await Task.Delay(PollInterval, time);
        }
    }
}
