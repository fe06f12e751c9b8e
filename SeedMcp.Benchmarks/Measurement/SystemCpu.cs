using System.Globalization;

namespace SeedMcp.Benchmarks.Measurement;

/// <summary>
/// Per-core busy and steal time from <c>/proc/stat</c>. Subtracting what the benchmark's own processes used on a core
/// gives the foreign load on it: other engineers' builds, the hypervisor (steal), anything else that skews a burst.
/// </summary>
public readonly record struct SystemCpu(IReadOnlyDictionary<int, CoreTimes> Cores)
{
    private const double ClockTicksPerSecond = 100;

    public static SystemCpu Sample()
    {
        var cores = new Dictionary<int, CoreTimes>();
        foreach (var line in File.ReadLines("/proc/stat"))
        {
            if (!line.StartsWith("cpu", StringComparison.Ordinal) || line.Length < 4 || !char.IsAsciiDigit(line[3]))
            {
                continue;
            }

            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var core = int.Parse(fields[0].AsSpan(3), CultureInfo.InvariantCulture);
            long Field(int i) => fields.Length > i ? long.Parse(fields[i], CultureInfo.InvariantCulture) : 0;
            // user nice system idle iowait irq softirq steal
            var busy = Field(1) + Field(2) + Field(3) + Field(6) + Field(7);
            cores[core] = new CoreTimes(TimeSpan.FromSeconds(busy / ClockTicksPerSecond), TimeSpan.FromSeconds(Field(8) / ClockTicksPerSecond));
        }

        return new SystemCpu(cores);
    }

    /// <summary>Busy time on the given cores since <paramref name="start"/> (steal reported separately).</summary>
    public CoreTimes Since(SystemCpu start, IEnumerable<int> cores)
    {
        var busy = TimeSpan.Zero;
        var steal = TimeSpan.Zero;
        foreach (var core in cores)
        {
            if (Cores.TryGetValue(core, out var now) && start.Cores.TryGetValue(core, out var then))
            {
                busy += now.Busy - then.Busy;
                steal += now.Steal - then.Steal;
            }
        }

        return new CoreTimes(busy, steal);
    }
}

public readonly record struct CoreTimes(TimeSpan Busy, TimeSpan Steal);
