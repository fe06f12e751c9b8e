using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

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
internal static class HttpServerSpans
{
    /// <summary>The ActivitySource ASP.NET Core starts its request Activity from.</summary>
    public const string SourceName = "Microsoft.AspNetCore";

    public static IServiceCollection AddHttpServerSpans(this IServiceCollection services, Func<HttpContext, bool> isTraced) =>
        services.AddSingleton<IStartupFilter>(new OutermostMiddleware(isTraced));

    private sealed class OutermostMiddleware(Func<HttpContext, bool> isTraced) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseMiddleware<HttpServerSpanMiddleware>(isTraced);
            next(app);
        };
    }
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
        var request = context.Request;
        var method = HttpMethods.GetCanonicalizedValue(request.Method);
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

        activity.SetTag("network.protocol.version", ProtocolVersion(request.Protocol));
        if (request.Headers.UserAgent is { Count: > 0 } userAgent)
        {
            activity.SetTag("user_agent.original", userAgent.ToString());
        }

        try
        {
            await next(context);
        }
        catch (Exception exception)
        {
            activity.SetTag("error.type", exception.GetType().FullName);
            activity.SetStatus(ActivityStatusCode.Error, exception.Message);
            activity.AddException(exception);
            Complete(activity, context, knownMethod ? method : "HTTP", failedStatus: context.Response.HasStarted ? null : 500);
            throw;
        }

        Complete(activity, context, knownMethod ? method : "HTTP", failedStatus: null);
    }

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

    private static string ProtocolVersion(string protocol) => protocol switch
    {
        "HTTP/1.1" => "1.1",
        "HTTP/2" => "2",
        "HTTP/3" => "3",
        "HTTP/1.0" => "1.0",
        _ => protocol,
    };
}
