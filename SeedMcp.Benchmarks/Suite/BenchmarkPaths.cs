namespace SeedMcp.Benchmarks.Suite;

/// <summary>Where the things the suite runs live, found from the repository root.</summary>
public sealed record BenchmarkPaths(string RepoRoot, string ServerDirectory, string ServerExecutable, string TypeScriptPeerDirectory)
{
    public const string SolutionFile = "SeedMcp.sln";

    public static BenchmarkPaths Locate(string? repoRoot, string configuration = "Release")
    {
        var root = repoRoot ?? FindRoot(AppContext.BaseDirectory) ?? FindRoot(Environment.CurrentDirectory)
            ?? throw new InvalidOperationException($"Cannot find the repository root ({SolutionFile}): pass --repo-root.");
        var serverDirectory = Path.Combine(root, "SeedMcp.Server", "bin", configuration, "net10.0");
        return new BenchmarkPaths(
            root,
            serverDirectory,
            Path.Combine(serverDirectory, "SeedMcp.Server"),
            Path.Combine(root, "SeedMcp.Benchmarks", "ts-peer"));
    }

    private static string? FindRoot(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, SolutionFile)))
            {
                return directory.FullName;
            }
        }

        return null;
    }
}
