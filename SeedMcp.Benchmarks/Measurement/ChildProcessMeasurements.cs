namespace SeedMcp.Benchmarks.Measurement;

/// <summary>What the benchmark measures of a process it started (<see cref="ChildProcess"/> lives in SeedMcp.Testing).</summary>
public static class ChildProcessMeasurements
{
    public static CpuSample SampleCpu(this ChildProcess process) => CpuSample.Take(process.Pid);

    public static MemoryUsage Memory(this ChildProcess process) => ProcFs.Memory(process.Pid);
}
