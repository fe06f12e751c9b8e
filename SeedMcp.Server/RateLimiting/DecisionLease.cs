using System.Threading.RateLimiting;

namespace SeedMcp.Server.RateLimiting;

/// <summary>
/// A lease made by SeedMcp's limiters rather than a store: a rejection that carries its scope, limit and Retry-After
/// to the 429 writer, a pass (acquired, unlimited or failed open), or the "ask asynchronously" answer to a synchronous
/// attempt. Holds nothing to release, so the shared instances are safe to hand out.
/// </summary>
internal sealed class DecisionLease : RateLimitLease
{
    public static readonly MetadataName<string> Scope = MetadataName.Create<string>("SEEDMCP_RATE_LIMIT_SCOPE");
    public static readonly MetadataName<int> PermitLimit = MetadataName.Create<int>("SEEDMCP_RATE_LIMIT_PERMIT_LIMIT");

    public static readonly DecisionLease Deferred = new(isAcquired: false, new());

    public static readonly DecisionLease Granted = new(isAcquired: true, new());

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

    public override bool TryGetMetadata(string metadataName, out object? metadata) =>
        _metadata.TryGetValue(metadataName, out metadata);
}
