using SeedMcp.Tests.Support;

namespace SeedMcp.Tests.Telemetry;

/// <summary>
/// Baggage is caller input: only allow-listed keys (here tenant, region, zone) reach the tool span, at most
/// <c>Telemetry:BaggageMaxEntries</c> (2) of them, values no longer than <c>Telemetry:BaggageMaxValueLength</c> (16);
/// read from the header and from <c>params._meta.baggage</c>, the header winning a key both carry.
/// </summary>
[Collection(WholeTraceCollection.Name)]
public sealed class BaggageTests(WholeTraceFixture fixture)
{
    [Fact]
    public async Task Header_and_meta_baggage_are_both_read_and_only_listed_keys_are_kept()
    {
        var tool = await CallAsync(header: "tenant=acme,secret=s3cr3t", meta: "tenant=other,password=hunter2,region=eu");

        Assert.Equal("acme", tool.Attributes["baggage.tenant"]);
        Assert.Equal("eu", tool.Attributes["baggage.region"]);
        Assert.DoesNotContain(tool.Attributes, attribute => attribute.Key is "baggage.secret" or "baggage.password");
        Assert.DoesNotContain(tool.Attributes, attribute => attribute.Value.Contains("s3cr3t", StringComparison.Ordinal) || attribute.Value.Contains("hunter2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Oversized_values_are_left_out_and_the_count_is_bounded()
    {
        var tool = await CallAsync(header: null, meta: "tenant=" + new string('x', 17) + ",region=eu%20west,zone=z1,unlisted=" + new string('y', 5000));

        Assert.False(tool.Attributes.ContainsKey("baggage.tenant"), "a 17-character value is over the limit of 16");
        Assert.Equal("eu west", tool.Attributes["baggage.region"]);
        Assert.Equal("z1", tool.Attributes["baggage.zone"]);
        Assert.Equal(2, tool.Attributes.Count(attribute => attribute.Key.StartsWith("baggage.", StringComparison.Ordinal)));

        var bounded = await CallAsync(header: "tenant=t1,region=r1,zone=z1", meta: null);
        Assert.Equal(2, bounded.Attributes.Count(attribute => attribute.Key.StartsWith("baggage.", StringComparison.Ordinal)));
        Assert.False(bounded.Attributes.ContainsKey("baggage.zone"), "only the first two entries are kept");
    }

    private async Task<OtlpSpan> CallAsync(string? header, string? meta)
    {
        var caller = W3CTraceContext.New();
        var body = meta is null ? RawMcp.CallTool("echo", """{"message":"b"}""") : WholeTraceRequests.WithMeta(RawMcp.CallTool("echo", """{"message":"b"}"""), traceParent: null, meta);
        using var request = RawMcp.Post(fixture.Endpoint, body, fixture.SessionId, McpTestClient.SessionProtocolVersion);
        request.Headers.Add("traceparent", caller.TraceParent);
        if (header is not null)
        {
            request.Headers.Add("baggage", header);
        }

        using var response = await fixture.Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        await response.Content.ReadAsStringAsync();
        var spans = await fixture.Receiver.WaitForTraceAsync(caller.TraceId, found => found.Any(span => span.Name == "tool.execute.echo"));
        return Assert.Single(spans, span => span.Name == "tool.execute.echo");
    }
}
