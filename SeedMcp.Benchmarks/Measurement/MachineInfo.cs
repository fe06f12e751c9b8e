using System.Diagnostics;

namespace SeedMcp.Benchmarks.Measurement;

/// <summary>What the report says about where it ran.</summary>
public static class MachineInfo
{
    public static string Describe()
    {
        var cpuInfo = File.ReadAllLines("/proc/cpuinfo");
        var model = cpuInfo.FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
        var cores = cpuInfo.Count(l => l.StartsWith("processor", StringComparison.Ordinal));
        var memory = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))
            .Split(':', 2)[1].Trim().Split(' ')[0];
        var os = File.Exists("/etc/os-release")
            ? File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?.Split('=', 2)[1].Trim('"')
            : null;
        var kernel = File.ReadAllText("/proc/sys/kernel/osrelease").Trim();
        return $"{cores} × {model}, {long.Parse(memory, System.Globalization.CultureInfo.InvariantCulture) / 1048576.0:0} GiB RAM, {os ?? "Linux"}, kernel {kernel}";
    }

    public static string NodeVersion(string node = "node") => Run(node, "--version") ?? "not installed";

    /// <summary>The commit measured, with "+dirty" when the working tree has changes.</summary>
    public static string Commit(string repoRoot)
    {
        var head = Run("git", "-C", repoRoot, "rev-parse", "--short", "HEAD") ?? "unknown";
        var status = Run("git", "-C", repoRoot, "status", "--porcelain", "--untracked-files=no");
        return string.IsNullOrEmpty(status) ? head : head + "+dirty";
    }

    private static string? Run(string fileName, params string[] arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(fileName, arguments) { RedirectStandardOutput = true, RedirectStandardError = true });
            if (process is null)
            {
                return null;
            }

            var text = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return process.ExitCode == 0 ? text : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
