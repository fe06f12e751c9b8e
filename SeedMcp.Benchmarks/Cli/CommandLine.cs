using System.Globalization;

namespace SeedMcp.Benchmarks.Cli;

/// <summary>
/// <c>command --name value --flag</c> parsing, strict about unknown names. Hand-written: the tool has a handful of
/// options and System.CommandLine is not among the packages this repository pins.
/// </summary>
public sealed class CommandLine
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);

    private CommandLine(string command) => Command = command;

    public string Command { get; }

    /// <param name="flags">Option names that take no value.</param>
    /// <param name="options">Option names that take a value (repeatable).</param>
    public static CommandLine Parse(IReadOnlyList<string> args, IReadOnlySet<string> flags, IReadOnlySet<string> options)
    {
        var line = new CommandLine(args.Count > 0 ? args[0] : "help");
        for (var i = 1; i < args.Count; i++)
        {
            var name = args[i].StartsWith("--", StringComparison.Ordinal) ? args[i][2..] : throw new ArgumentException($"Unexpected argument '{args[i]}'.");
            if (flags.Contains(name))
            {
                line._flags.Add(name);
            }
            else if (options.Contains(name))
            {
                if (i + 1 >= args.Count)
                {
                    throw new ArgumentException($"--{name} needs a value.");
                }

                if (!line._values.TryGetValue(name, out var list))
                {
                    line._values[name] = list = [];
                }

                list.Add(args[++i]);
            }
            else
            {
                throw new ArgumentException($"Unknown option --{name} for '{line.Command}'.");
            }
        }

        return line;
    }

    public bool Flag(string name) => _flags.Contains(name);

    public string? Value(string name) => _values.TryGetValue(name, out var list) ? list[^1] : null;

    public IReadOnlyList<string> Values(string name) => _values.TryGetValue(name, out var list) ? list : [];

    public string Required(string name) => Value(name) ?? throw new ArgumentException($"--{name} is required for '{Command}'.");

    public int? WholeNumber(string name) => Value(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : null;

    public double? Number(string name) => Value(name) is { } text ? double.Parse(text, CultureInfo.InvariantCulture) : null;

    public TimeSpan? Seconds(string name) => Number(name) is { } seconds ? TimeSpan.FromSeconds(seconds) : null;

    public IReadOnlyList<string> List(string name) =>
        [.. Values(name).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];
}
