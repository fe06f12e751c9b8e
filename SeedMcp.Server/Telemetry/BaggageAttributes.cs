using Microsoft.Extensions.Options;

namespace SeedMcp.Server.Telemetry;

/// <summary>
/// Which W3C baggage entries become <c>baggage.&lt;key&gt;</c> span attributes. Baggage is caller input: only keys on
/// <c>Telemetry:BaggageAllowList</c> are kept, at most <c>Telemetry:BaggageMaxEntries</c> of them, values no longer
/// than <c>Telemetry:BaggageMaxValueLength</c> (longer ones are left out, not cut). The <c>baggage</c> header is read
/// first, then <c>params._meta.baggage</c> (SEP-414); a key in both keeps the header's value.
/// </summary>
public sealed class BaggageAttributes(IOptions<TelemetryPrivacyOptions> options)
{
    /// <summary>The W3C limit of a baggage header; anything beyond it is not looked at.</summary>
    private const int MaxBaggageLength = 8192;

    private readonly HashSet<string> _allowed = new(options.Value.BaggageAllowList, StringComparer.Ordinal);
    private readonly int _maxEntries = options.Value.BaggageMaxEntries;
    private readonly int _maxValueLength = options.Value.BaggageMaxValueLength;

    public bool IsEnabled => _allowed.Count > 0;

    /// <summary>The attributes to record, already prefixed; empty when nothing is allowed or nothing was sent.</summary>
    public IReadOnlyList<KeyValuePair<string, object?>> Select(string? header, string? meta)
    {
        if (!IsEnabled || (string.IsNullOrEmpty(header) && string.IsNullOrEmpty(meta)))
        {
            return [];
        }

        var selected = new List<KeyValuePair<string, object?>>();
        Add(header, selected);
        Add(meta, selected);
        return selected;
    }

    private void Add(string? baggage, List<KeyValuePair<string, object?>> selected)
    {
        if (string.IsNullOrEmpty(baggage))
        {
            return;
        }

        var rest = baggage.AsSpan(0, Math.Min(baggage.Length, MaxBaggageLength));
        while (rest.Length > 0 && selected.Count < _maxEntries)
        {
            var comma = rest.IndexOf(',');
            var member = comma < 0 ? rest : rest[..comma];
            rest = comma < 0 ? [] : rest[(comma + 1)..];

            var properties = member.IndexOf(';');
            var pair = properties < 0 ? member : member[..properties];
            var equals = pair.IndexOf('=');
            if (equals <= 0)
            {
                continue;
            }

            var key = pair[..equals].Trim().ToString();
            if (!_allowed.Contains(key))
            {
                continue;
            }

            var attribute = SeedMcpTelemetry.Attributes.BaggagePrefix + key;
            if (selected.Exists(entry => entry.Key == attribute))
            {
                continue;
            }

            string value;
            try
            {
                value = Uri.UnescapeDataString(pair[(equals + 1)..].Trim().ToString());
            }
            catch (UriFormatException)
            {
                continue;
            }

            if (value.Length <= _maxValueLength)
            {
                selected.Add(new(attribute, value));
            }
        }
    }
}
