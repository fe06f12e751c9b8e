using System.Globalization;

namespace SeedMcp.Benchmarks.Measurement;

/// <summary>
/// Reads what the kernel knows about a process from <c>/proc</c>, so servers are measured from outside without any
/// help (or overhead) on their side.
/// </summary>
public static class ProcFs
{
    /// <summary>USER_HZ: the unit of the times in <c>/proc/&lt;pid&gt;/stat</c>; 100 on every Linux ABI .NET runs on.</summary>
    private const double ClockTicksPerSecond = 100;

    /// <summary>User plus system CPU time of every thread the process has run, including threads that have ended.</summary>
    public static TimeSpan CpuTime(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // Field 2 (comm) is in parentheses and may contain spaces: count fields from the last ')'.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // After comm, fields start at 3 (state); utime is field 14 and stime field 15.
        var ticks = long.Parse(fields[14 - 3], CultureInfo.InvariantCulture) + long.Parse(fields[15 - 3], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / ClockTicksPerSecond);
    }

    /// <summary>
    /// Resident set size now (<c>VmRSS</c>), its peak since start (<c>VmHWM</c>), and what it is made of: anonymous
    /// memory (GC heap, native allocations), file mappings (assemblies, native libraries) and shared memory (the
    /// runtime's double-mapped JIT code).
    /// </summary>
    public static MemoryUsage Memory(int pid)
    {
        long rss = 0, hwm = 0, anonymous = 0, file = 0, shared = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            switch (line.Split(':', 2)[0])
            {
                case "VmRSS":
                    rss = KiloBytes(line);
                    break;
                case "VmHWM":
                    hwm = KiloBytes(line);
                    break;
                case "RssAnon":
                    anonymous = KiloBytes(line);
                    break;
                case "RssFile":
                    file = KiloBytes(line);
                    break;
                case "RssShmem":
                    shared = KiloBytes(line);
                    break;
            }
        }

        return new MemoryUsage(rss * 1024, hwm * 1024, anonymous * 1024, file * 1024, shared * 1024);
    }

    /// <summary>The CPUs this process may run on, as the kernel lists them (e.g. "1" or "0-1").</summary>
    public static string AllowedCpus(int pid) =>
        File.ReadLines($"/proc/{pid}/status")
            .First(line => line.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal))
            .Split(':', 2)[1].Trim();

    public static bool IsAlive(int pid) => File.Exists($"/proc/{pid}/stat");

    private static long KiloBytes(string line) =>
        long.Parse(line.Split(':', 2)[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
}

public readonly record struct MemoryUsage(long RssBytes, long PeakRssBytes, long AnonymousBytes, long FileBytes, long SharedBytes);
