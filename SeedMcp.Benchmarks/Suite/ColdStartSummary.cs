namespace SeedMcp.Benchmarks.Suite;

/// <summary>
/// What the cold-start target reads off a <see cref="ColdStartRecord"/>: calls/s over the first 10 s of load against
/// the replica's own steady calls/s (the median one-second window of the run's last <see cref="ColdStartRecord.SteadySeconds"/>).
/// </summary>
public sealed record ColdStartSummary(
    double SteadyCallsPerSecond,
    double First10CallsPerSecond,
    double First10Share,
    double? SecondsTo80Percent,
    double SteadyCpuMicrosPerCall,
    double First10CpuMicrosPerCall)
{
    public const double FirstSeconds = 10;
    public const double Target = 0.8;

    public static ColdStartSummary Of(ColdStartRecord record)
    {
        var steadySeconds = record.SteadySeconds;
        var total = record.Seconds.Count == 0 ? 0 : record.Seconds[^1].StartSeconds + record.Seconds[^1].WindowSeconds;
        var steady = record.Seconds.Where(s => s.StartSeconds >= total - steadySeconds).ToList();
        var first = record.Seconds.Where(s => s.StartSeconds < FirstSeconds).ToList();
        var steadyRate = SuiteRunner.Median(steady.Select(s => s.CallsPerSecond));
        var firstRate = first.Sum(s => s.WindowSeconds) is > 0 and var wall ? first.Sum(s => s.Calls) / wall : 0;

        // The first window from which a 3-window moving average stays at or above 80 % of steady.
        double? reached = null;
        for (var i = 0; i + 2 < record.Seconds.Count; i++)
        {
            var average = record.Seconds.Skip(i).Take(3).Average(s => s.CallsPerSecond);
            if (average >= Target * steadyRate)
            {
                reached ??= record.Seconds[i].StartSeconds;
            }
            else
            {
                reached = null;
            }
        }

        return new ColdStartSummary(
            steadyRate,
            firstRate,
            steadyRate > 0 ? firstRate / steadyRate : 0,
            reached,
            SuiteRunner.Median(steady.Select(s => s.ServerCpuMicrosPerCall)),
            first.Sum(s => s.Calls) is > 0 and var calls ? first.Sum(s => s.ServerCpuMicrosPerCall * s.Calls) / calls : 0);
    }
}
