namespace SeedMcp.Benchmarks.Infrastructure;

/// <summary>How to start this very program again (for the OTLP sink and the SDK peer it hosts as subcommands).</summary>
public static class Self
{
    public static (string FileName, IReadOnlyList<string> Arguments) Command(params IEnumerable<string> arguments)
    {
        var processPath = Environment.ProcessPath ?? throw new InvalidOperationException("The path of this program is unknown.");
        var viaDotnet = Path.GetFileNameWithoutExtension(processPath).Equals("dotnet", StringComparison.Ordinal);
        return viaDotnet
            ? (processPath, [typeof(Self).Assembly.Location, .. arguments])
            : (processPath, [.. arguments]);
    }
}
