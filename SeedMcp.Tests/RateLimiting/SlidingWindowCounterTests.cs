using SeedMcp.Server.RateLimiting;

namespace SeedMcp.Tests.RateLimiting;

/// <summary>The arithmetic of the sliding-window counter: the estimate, what is left, and how long to wait.</summary>
public sealed class SlidingWindowCounterTests
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(60);

    [Fact]
    public void The_previous_window_weighs_by_the_part_the_sliding_window_still_covers()
    {
        var counter = new SlidingWindowCounter(Current: 3, Previous: 8);

        Assert.Equal(11, counter.Estimate(TimeSpan.Zero, Window));
        Assert.Equal(7, counter.Estimate(TimeSpan.FromSeconds(30), Window));
        Assert.Equal(5, counter.Estimate(TimeSpan.FromSeconds(45), Window));
    }

    [Fact]
    public void Remaining_counts_the_request_just_accepted_and_rounds_down()
    {
        var counter = new SlidingWindowCounter(Current: 1, Previous: 4);

        Assert.Equal(6, counter.RemainingAfter(1, permitLimit: 10, TimeSpan.FromSeconds(30), Window)); // 10 - (2 + 1) - 1
        Assert.Equal(5, counter.RemainingAfter(1, permitLimit: 10, TimeSpan.FromSeconds(20), Window)); // 10 - (2.67 + 1) - 1
        Assert.Equal(0, new SlidingWindowCounter(9, 0).RemainingAfter(1, permitLimit: 10, TimeSpan.Zero, Window));
    }

    [Fact]
    public void With_room_in_this_window_the_wait_is_until_enough_of_the_previous_one_slid_out()
    {
        // 4 × 0.75 + 1 > 3 at 15 s; 4 × 0.5 + 1 = 3 fits at 30 s.
        var counter = new SlidingWindowCounter(Current: 0, Previous: 4);

        Assert.Equal(TimeSpan.FromSeconds(15), counter.RetryAfter(1, permitLimit: 3, TimeSpan.FromSeconds(15), Window));
    }

    [Fact]
    public void With_this_window_full_the_wait_reaches_into_the_next_one()
    {
        // Two counted of a limit of 2 at 10 s: in the next window they weigh 2 × (1 - t/60) + 1 <= 2 from t = 30 s.
        var counter = new SlidingWindowCounter(Current: 2, Previous: 0);

        Assert.Equal(TimeSpan.FromSeconds(80), counter.RetryAfter(1, permitLimit: 2, TimeSpan.FromSeconds(10), Window));
    }

    [Fact]
    public void With_a_limit_of_one_the_request_counted_must_slide_out_entirely()
    {
        Assert.Equal(TimeSpan.FromSeconds(100), new SlidingWindowCounter(1, 0).RetryAfter(1, permitLimit: 1, TimeSpan.FromSeconds(20), Window));
        Assert.Equal(TimeSpan.FromSeconds(40), new SlidingWindowCounter(0, 1).RetryAfter(1, permitLimit: 1, TimeSpan.FromSeconds(20), Window));
    }
}
