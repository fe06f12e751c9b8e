using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace SeedMcp.ServiceDefaults;

/// <summary>
/// The HTTP server span of each request: ASP.NET Core's own <c>Microsoft.AspNetCore</c> Activity, given the
/// OpenTelemetry HTTP semantic-convention attributes and the name <c>{method} {route}</c> by the outermost middleware.
/// </summary>
/// <remarks>
/// This replaces OpenTelemetry.Instrumentation.AspNetCore, which enriches the same Activity from DiagnosticListener
/// events: ASP.NET Core then builds and writes an event payload at each request's start and end, and the listener
/// re-extracts the trace context from the headers. Measured on echo at 16 sessions, that path alone cost about
/// 6 % CPU per call at 100 % sampling (BENCHMARKS.md). ASP.NET Core 11 sets these attributes natively.
/// </remarks>
public static class HttpServerSpans
{
    /// <summary>The ActivitySource ASP.NET Core starts its request Activity from.</summary>
    public const string SourceName = "Microsoft.AspNetCore";

    /// <summary>
    /// The outermost middleware of a service's pipeline: tags each request's server span (and withdraws the spans of
    /// health probes and scrapes). Adds nothing when telemetry is off (<c>OTEL_ENABLED=false</c>).
    /// </summary>
    public static IApplicationBuilder UseHttpServerSpans(this IApplicationBuilder app) =>
        app.ApplicationServices.GetRequiredService<TelemetrySettings>().Enabled
            ? app.UseMiddleware<HttpServerSpanMiddleware>((Func<HttpContext, bool>)Extensions.IsTracedRequest)
            : app;

    /// <summary>
    /// Whether the request's server span started without a remote parent (no valid <c>traceparent</c> header), so a
    /// parent found later, in the request itself, may still adopt it (<see cref="ContinueUnder"/>).
    /// </summary>
    public static bool HasNoRemoteParent(HttpContext context) =>
        RequestSpan(context) is { HasRemoteParent: false, IsStopped: false };

    /// <summary>
    /// Moves the request's server span under <paramref name="parent"/>, a caller's context that arrived inside the
    /// request rather than in its headers (an RPC envelope such as MCP's <c>params._meta</c>). An Activity cannot change
    /// its parent once started, so a successor span takes over: same source, name, kind, start time and tags, the
    /// remote parent, <c>Activity.Current</c> for the rest of the pipeline and <see cref="IHttpActivityFeature"/>.
    /// The original is withdrawn (neither recorded nor exported). Does nothing when the span has a remote parent
    /// already: the header's context wins.
    /// </summary>
    /// <returns>The span now standing for the request, or null when nothing changed.</returns>
    public static Activity? ContinueUnder(HttpContext context, ActivityContext parent)
    {
        if (RequestSpan(context) is not { HasRemoteParent: false, IsStopped: false } original || parent == default)
        {
            return null;
        }

        var successor = original.Source.StartActivity(original.OperationName, ActivityKind.Server, parent, startTime: original.StartTimeUtc);
        // An original that was not recorded (a root the sampler declined) was passed through untagged by the outermost
        // middleware; the successor, sampled under the caller's context, is then tagged and completed here.
        var taggedByMiddleware = original.IsAllDataRequested;
        original.IsAllDataRequested = false;
        original.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
        if (successor is null)
        {
            // The sampler declined the caller's context (e.g. its sampled flag is off): nothing of the request is
            // recorded, and the withdrawn original, still current, parents no sampled child.
            return null;
        }

        successor.DisplayName = original.DisplayName;
        foreach (var (key, value) in original.EnumerateTagObjects())
        {
            successor.SetTag(key, value);
        }

        foreach (var (key, value) in original.Baggage)
        {
            successor.SetBaggage(key, value);
        }

        if (context.Features.Get<IHttpActivityFeature>() is { } feature)
        {
            feature.Activity = successor;
        }

        var completeHere = !taggedByMiddleware && successor.IsAllDataRequested;
        if (completeHere)
        {
            HttpServerSpanMiddleware.TagStart(successor, context, out _);
        }

        // Ended when the response is complete, after the outermost middleware (or, for an untagged original, this
        // callback) has given it its final tags.
        context.Response.OnCompleted(static state =>
        {
            var (span, httpContext, complete) = ((Activity, HttpContext, bool))state;
            if (complete)
            {
                HttpServerSpanMiddleware.Complete(span, httpContext);
            }

            span.Stop();
            return Task.CompletedTask;
        }, (successor, context, completeHere));
        return successor;
    }

    /// <summary>The OpenTelemetry <c>network.protocol.version</c> of an HTTP protocol (<c>HTTP/1.1</c> → <c>1.1</c>).</summary>
    public static string ProtocolVersion(string protocol) => protocol switch
    {
        "HTTP/1.1" => "1.1",
        "HTTP/2" => "2",
        "HTTP/3" => "3",
        "HTTP/1.0" => "1.0",
        _ => protocol,
    };

    private static Activity? RequestSpan(HttpContext context) =>
        context.Features.Get<IHttpActivityFeature>()?.Activity is { } activity && activity.Source.Name == SourceName ? activity : null;
}

/// <summary>Tags the request's span at its start and end; a request that is not traced (probes, scrapes) is unsampled.</summary>
internal sealed class HttpServerSpanMiddleware(RequestDelegate next, Func<HttpContext, bool> isTraced)
{
    private static readonly object[] StatusCodes = [.. Enumerable.Range(0, 600).Select(code => (object)code)];
    private static readonly ConcurrentDictionary<(string Method, string Route), string> SpanNames = new();

    // Not async itself: a request whose span is not recorded passes straight through, without an async state machine.
    public Task InvokeAsync(HttpContext context)
    {
        if (Activity.Current is not { } activity || activity.Source.Name != HttpServerSpans.SourceName)
        {
            return next(context);
        }

        if (!isTraced(context))
        {
            // Started already, so it must be withdrawn: nothing records it, exports it, or parents a sampled child on it.
            activity.IsAllDataRequested = false;
            activity.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
            return next(context);
        }

        return activity.IsAllDataRequested ? TraceAsync(context, activity) : next(context);
    }

    private async Task TraceAsync(HttpContext context, Activity activity)
    {
        var knownMethod = TagStart(activity, context, out var method);
        try
        {
            await next(context);
        }
        catch (Exception exception)
        {
            activity = Current(context, activity);
            activity.SetTag("error.type", exception.GetType().FullName);
            activity.SetStatus(ActivityStatusCode.Error, exception.Message);
            activity.AddException(exception);
            Complete(activity, context, knownMethod ? method : "HTTP", failedStatus: context.Response.HasStarted ? null : 500);
            throw;
        }

        Complete(Current(context, activity), context, knownMethod ? method : "HTTP", failedStatus: null);
    }

    /// <summary>The attributes known when the request starts; returns whether the method is a known one.</summary>
    internal static bool TagStart(Activity activity, HttpContext context, out string method)
    {
        var request = context.Request;
        method = HttpMethods.GetCanonicalizedValue(request.Method);
        var knownMethod = IsKnown(method);
        activity.SetTag("http.request.method", knownMethod ? method : "_OTHER");
        if (!knownMethod)
        {
            activity.SetTag("http.request.method_original", request.Method);
        }

        activity.SetTag("url.scheme", request.Scheme);
        activity.SetTag("url.path", request.Path.Value);
        activity.SetTag("server.address", request.Host.Host);
        if (request.Host.Port is { } port)
        {
            activity.SetTag("server.port", port);
        }

        activity.SetTag("network.protocol.version", HttpServerSpans.ProtocolVersion(request.Protocol));
        if (context.Connection.RemoteIpAddress is { } clientAddress)
        {
            activity.SetTag("client.address", clientAddress.IsIPv4MappedToIPv6 ? clientAddress.MapToIPv4().ToString() : clientAddress.ToString());
            activity.SetTag("client.port", context.Connection.RemotePort);
        }

        if (request.Headers.UserAgent is { Count: > 0 } userAgent)
        {
            activity.SetTag("user_agent.original", userAgent.ToString());
        }

        return knownMethod;
    }

    /// <summary>The attributes known when the response is complete: status code, route and the span's final name.</summary>
    internal static void Complete(Activity activity, HttpContext context)
    {
        var method = HttpMethods.GetCanonicalizedValue(context.Request.Method);
        Complete(activity, context, IsKnown(method) ? method : "HTTP", failedStatus: null);
    }

    /// <summary>The span standing for the request now: a successor (<see cref="HttpServerSpans.ContinueUnder"/>) or the original.</summary>
    private static Activity Current(HttpContext context, Activity original) =>
        context.Features.Get<IHttpActivityFeature>()?.Activity is { } current && current.Source.Name == HttpServerSpans.SourceName ? current : original;

    private static void Complete(Activity activity, HttpContext context, string method, int? failedStatus)
    {
        var status = failedStatus ?? context.Response.StatusCode;
        activity.SetTag("http.response.status_code", status < StatusCodes.Length ? StatusCodes[status] : status);
        if (status >= 500)
        {
            activity.SetStatus(ActivityStatusCode.Error);
            activity.SetTag("error.type", activity.GetTagItem("error.type") ?? status.ToString(CultureInfo.InvariantCulture));
        }

        if (context.GetEndpoint() is RouteEndpoint { RoutePattern.RawText: { } route })
        {
            activity.SetTag("http.route", route);
            activity.DisplayName = SpanNames.GetOrAdd((method, route), static key => $"{key.Method} {key.Route}");
        }
        else
        {
            activity.DisplayName = method;
        }
    }

    private static bool IsKnown(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsPost(method) || HttpMethods.IsDelete(method) || HttpMethods.IsPut(method)
        || HttpMethods.IsPatch(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method)
        || HttpMethods.IsTrace(method) || HttpMethods.IsConnect(method);
}
