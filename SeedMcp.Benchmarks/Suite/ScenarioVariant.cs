namespace SeedMcp.Benchmarks.Suite;

/// <summary>
/// One side of a paired A/B: scenario <see cref="Base"/> with <see cref="Settings"/> on top, as <see cref="Name"/>.
/// Both run in the same rounds, side by side, so machine noise moves them alike and the report's ratio of the two per
/// round is the change's effect. Written <c>NAME=BASE:KEY=VALUE;KEY=VALUE</c> on the command line; the key
/// <see cref="BuildKey"/> names another SeedMcp.Server build output to run instead (an A/B of a code change).
/// </summary>
public sealed record ScenarioVariant(string Name, string Base, IReadOnlyDictionary<string, string> Settings)
{
    public const string BuildKey = "@build";

    public static ScenarioVariant Parse(string text)
    {
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        var colon = equals < 0 ? -1 : text.IndexOf(':', equals + 1);
        if (equals <= 0 || colon < 0)
        {
            throw new ArgumentException($"--variant '{text}' must read NAME=BASE:KEY=VALUE[;KEY=VALUE...], e.g. full-no-lease=full:RateLimiting__LeasePermits=1.");
        }

        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in text[(colon + 1)..].Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var split = pair.IndexOf('=', StringComparison.Ordinal);
            if (split <= 0)
            {
                throw new ArgumentException($"--variant '{text}': '{pair}' is not KEY=VALUE.");
            }

            settings[pair[..split]] = pair[(split + 1)..];
        }

        return new ScenarioVariant(text[..equals], text[(equals + 1)..colon], settings);
    }

    /// <summary>The variant's scenario: the base's, renamed, with the settings added; diagnostic, bursts only.</summary>
    public Scenario Of(IReadOnlyList<Scenario> all)
    {
        var source = all.FirstOrDefault(s => s.Name == Base)
            ?? throw new ArgumentException($"--variant {Name}: unknown base scenario '{Base}'; known: {string.Join(", ", all.Select(s => s.Name))}.");
        if (all.Any(s => s.Name == Name))
        {
            throw new ArgumentException($"--variant {Name}: a scenario of that name exists already; choose another name.");
        }

        var settings = new Dictionary<string, string>(source.Settings, StringComparer.Ordinal);
        foreach (var (key, value) in Settings.Where(s => s.Key != BuildKey))
        {
            settings[key] = value;
        }

        var build = Settings.TryGetValue(BuildKey, out var directory) ? Path.GetFullPath(directory) : null;
        if (build is not null && !File.Exists(Path.Combine(build, "SeedMcp.Server")))
        {
            throw new ArgumentException($"--variant {Name}: {BuildKey}={directory} holds no SeedMcp.Server executable.");
        }

        return source with
        {
            Name = Name,
            Summary = $"A/B variant of `{Base}`: " + string.Join(", ", Settings.Select(s => $"{s.Key}={s.Value}")),
            Settings = settings,
            Diagnostic = true,
            Sustained = false,
            VolumeProbe = false,
            VariantOf = Base,
            ServerDirectory = build ?? source.ServerDirectory,
        };
    }
}
