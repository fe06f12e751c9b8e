namespace SeedMcp.Tests.Support;

/// <summary>Files of the repository the tests were built from: sources, artefacts and the other projects' build output.</summary>
public static class RepositoryFiles
{
    /// <summary>The directory holding SeedMcp.sln, found upwards from the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The tests' own build configuration (Debug, Release), which the other projects were built in too.</summary>
    public static string Configuration { get; } = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;

    public static string InAppHost(string relativePath) => Path.Combine(Root, "SeedMcp.AppHost", relativePath);

    /// <summary>The built assembly of <paramref name="project"/>, e.g. <c>SeedMcp.AppHost</c>.</summary>
    public static string BuildOutput(string project)
    {
        var path = Path.Combine(Root, project, "bin", Configuration, "net10.0", project + ".dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build {project} first; not found: {path}");
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SeedMcp.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No SeedMcp.sln above {AppContext.BaseDirectory}.");
    }
}
