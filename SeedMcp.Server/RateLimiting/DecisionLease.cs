using System.Threading.RateLimiting;

namespace SeedMcp.Server.RateLimiting;

/// <summary>
/// A lease made by <see cref="ObservedRateLimiter"/> rather than the store: a rejection that carries its scope, limit
/// and Retry-After to the 429 writer, a fail-open pass, or the "ask asynchronously" answer to a synchronous attempt.
/// </summary>
internal sealed class DecisionLease : RateLimitLease
{
    public static readonly MetadataName<string> Scope = MetadataName.Create<string>("SEEDMCP_RATE_LIMIT_SCOPE");
    public static readonly MetadataName<int> PermitLimit = MetadataName.Create<int>("SEEDMCP_RATE_LIMIT_PERMIT_LIMIT");

    public static readonly DecisionLease Deferred = new(isAcquired: false, new());

    private readonly Dictionary<string, object?> _metadata;

    private DecisionLease(bool isAcquired, Dictionary<string, object?> metadata)
    {
        IsAcquired = isAcquired;
        _metadata = metadata;
    }

    public override bool IsAcquired { get; }

    public override IEnumerable<string> MetadataNames => _metadata.Keys;

    public static DecisionLease Rejected(string scope, int permitLimit, TimeSpan retryAfter) => new(isAcquired: false, new()
    {
        [Scope.Name] = scope,
        [PermitLimit.Name] = permitLimit,
        [MetadataName.RetryAfter.Name] = retryAfter,
    });

    public static DecisionLease FailedOpen(string scope) => new(isAcquired: true, new() { [Scope.Name] = scope });

    public override bool TryGetMetadata(string metadataName, out object? metadata) =>
        _metadata.TryGetValue(metadataName, out metadata);
}
