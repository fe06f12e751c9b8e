using System.Diagnostics;

namespace SeedMcp.ServiceDefaults;

/// <summary>One local trace tail sampling has seen start: its root, the spans held for it, and what is known so far.</summary>
internal sealed class PendingTrace(Activity root, long startedAt)
{
    /// <summary>What a trace's bookkeeping costs beyond its spans (this object, its list, its dictionary and list entries).</summary>
    public const long OwnBytes = 256;

    /// <summary>The first span of the trace (or of its latest part, <see cref="Reopen"/>) that started here without a local parent.</summary>
    public Activity Root { get; private set; } = root;

    /// <summary>
    /// Spans of the trace without a local parent that started and have not ended: the HTTP server span, and the MCP
    /// SDK's span when a <c>params._meta</c> context parents it (a sibling of the HTTP span), or concurrent requests
    /// of one caller's trace. The trace is decided when the last of them ends.
    /// </summary>
    public int OpenRoots { get; set; } = 1;

    /// <summary>
    /// Spans of the trace, roots and children, that started while it was known and have not ended. A decided trace is
    /// remembered until this is 0, so a child ending after the last root (the MCP SDK ends its span on a stateful
    /// session's own loop, after the response is written) follows the decision however late it ends.
    /// </summary>
    public int OpenSpans { get; set; } = 1;

    /// <summary>Of <see cref="OpenSpans"/>, those the head sampler did not sample: lost if a kept trace is forgotten before they end.</summary>
    public int OpenUnsampled { get; set; } = root.Recorded ? 0 : 1;

    /// <summary>A root was sampled by the head sampler (the ratio, or the caller's sampled flag).</summary>
    public bool HeadSampled { get; set; } = root.Recorded;

    /// <summary>A root lasted at least the slow threshold.</summary>
    public bool Slow { get; set; }

    /// <summary>Timestamp (of the processor's clock) of the root's start, as the processor saw it.</summary>
    public long StartedAt { get; private set; } = startedAt;

    public TraceVerdict Verdict { get; set; }

    /// <summary>A span ended with ERROR status (after the span-end handlers: caller mistakes are not errors).</summary>
    public bool HasError { get; set; }

    /// <summary>Finished spans waiting for the decision; null once decided.</summary>
    public List<Activity>? Spans { get; set; } = [];

    public long Bytes { get; set; }

    /// <summary>Spans discarded because the trace was dropped early (buffer full): lost if it later turns out worth keeping.</summary>
    public long Discarded { get; set; }

    public LinkedListNode<PendingTrace>? Node { get; set; }

    /// <summary>
    /// A root started after the trace was decided and all its roots had ended (the caller's next request in the same
    /// trace): that part is held and decided on its own, as a trace that starts.
    /// </summary>
    public void Reopen(Activity root, long startedAt)
    {
        Root = root;
        StartedAt = startedAt;
        OpenRoots = 1;
        HeadSampled = root.Recorded;
        Slow = false;
        HasError = false;
        Discarded = 0;
        Spans = [];
        Bytes = 0;
        Verdict = TraceVerdict.Pending;
    }

    /// <summary>
    /// A rough size of a finished span: the Activity and its ids, plus its tags, events and links. Good enough to bound
    /// the buffer; it does not walk object graphs (a tag holding a large object counts as a small one).
    /// </summary>
    public static long EstimateBytes(Activity span)
    {
        long bytes = 400 + 2L * span.DisplayName.Length;
        foreach (var tag in span.EnumerateTagObjects())
        {
            bytes += 64 + 2L * tag.Key.Length + (tag.Value is string text ? 2L * text.Length : 24);
        }

        foreach (var activityEvent in span.EnumerateEvents())
        {
            bytes += 160 + 2L * activityEvent.Name.Length;
            foreach (var tag in activityEvent.EnumerateTagObjects())
            {
                bytes += 64 + 2L * tag.Key.Length + (tag.Value is string text ? 2L * text.Length : 24);
            }
        }

        foreach (var link in span.EnumerateLinks())
        {
            bytes += link.Tags is null ? 96 : 160;
        }

        return bytes;
    }
}

internal enum TraceVerdict
{
    /// <summary>Spans are held until the root ends.</summary>
    Pending,

    /// <summary>Decided keep before the root ended (slow by age, or early at a full buffer): later spans go straight out.</summary>
    Kept,

    /// <summary>Decided drop early at a full buffer: later spans are discarded and counted.</summary>
    Dropped,
}
