using System.Diagnostics;
using System.Numerics;

namespace SeedMcp.Benchmarks.Load;

/// <summary>
/// A log-linear latency histogram (the HdrHistogram layout with 64 sub-buckets per power of two): constant memory,
/// allocation-free recording, values within 1.6 % of the truth. Not thread-safe: one per worker, merged at the end.
/// </summary>
public sealed class LatencyHistogram
{
    private const int SubBucketBits = 6;
    private const int SubBuckets = 1 << SubBucketBits;
    private const int LinearLimit = SubBuckets * 2;

    // Values below LinearLimit are exact; above, each power of two is split into SubBuckets buckets.
    private readonly long[] _counts = new long[LinearLimit + (64 - SubBucketBits) * SubBuckets];

    public long Count { get; private set; }

    public long MaxTicks { get; private set; }

    /// <summary>Records one latency in <see cref="Stopwatch"/> ticks.</summary>
    public void Record(long ticks)
    {
        ticks = Math.Max(ticks, 0);
        _counts[Index(ticks)]++;
        Count++;
        MaxTicks = Math.Max(MaxTicks, ticks);
    }

    public void Add(LatencyHistogram other)
    {
        for (var i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }

        Count += other.Count;
        MaxTicks = Math.Max(MaxTicks, other.MaxTicks);
    }

    /// <summary>The latency below which <paramref name="percentile"/> % of the recorded values fall.</summary>
    public TimeSpan Percentile(double percentile)
    {
        if (Count == 0)
        {
            return TimeSpan.Zero;
        }

        var rank = (long)Math.Ceiling(percentile / 100 * Count);
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= Math.Max(rank, 1))
            {
                return Stopwatch.GetElapsedTime(0, Math.Min(Midpoint(i), MaxTicks));
            }
        }

        return Stopwatch.GetElapsedTime(0, MaxTicks);
    }

    public TimeSpan Max => Stopwatch.GetElapsedTime(0, MaxTicks);

    private static int Index(long value)
    {
        if (value < LinearLimit)
        {
            return (int)value;
        }

        // shift >= 1: keep the top SubBucketBits + 1 bits of the value.
        var shift = 63 - BitOperations.LeadingZeroCount((ulong)value) - SubBucketBits;
        var subBucket = (int)(value >> shift) - SubBuckets;
        return LinearLimit + (shift - 1) * SubBuckets + subBucket;
    }

    private static long Midpoint(int index)
    {
        if (index < LinearLimit)
        {
            return index;
        }

        var shift = (index - LinearLimit) / SubBuckets + 1;
        var subBucket = (index - LinearLimit) % SubBuckets + SubBuckets;
        return ((long)subBucket << shift) + (1L << (shift - 1));
    }
}
