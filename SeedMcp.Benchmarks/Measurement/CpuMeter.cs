using System.Diagnostics;

namespace SeedMcp.Benchmarks.Measurement;

/// <summary>CPU time a process used between two moments, and the wall time between them.</summary>
public readonly record struct CpuSample(TimeSpan Cpu, long Timestamp)
{
    public static CpuSample Take(int pid) => new(ProcFs.CpuTime(pid), Stopwatch.GetTimestamp());

    /// <summary>CPU seconds used per wall second since <paramref name="start"/> (1.0 = one core fully busy).</summary>
    public double Utilisation(CpuSample start)
    {
        var wall = Stopwatch.GetElapsedTime(start.Timestamp, Timestamp);
        return wall > TimeSpan.Zero ? (Cpu - start.Cpu) / wall : 0;
    }
}
