using System.Diagnostics;

namespace SeedMcp.Server.Telemetry;

/// <summary>The span helper for business logic: one span around a unit of work, with status and exception recorded.</summary>
public static class ActivitySourceExtensions
{
    public static async Task<T> TraceAsync<T>(this ActivitySource source, string name, Func<Activity?, Task<T>> work)
    {
        using var activity = source.StartActivity(name);
        try
        {
            var result = await work(activity);
            activity?.SetStatus(ActivityStatusCode.Ok);
            return result;
        }
        catch (Exception exception)
        {
            activity?.RecordFailure(exception);
            throw;
        }
    }

    /// <summary>Marks a span failed the OpenTelemetry way: status ERROR with the message, the exception event, <c>error.type</c>.</summary>
    public static void RecordFailure(this Activity activity, Exception exception)
    {
        activity.SetStatus(ActivityStatusCode.Error, exception.Message);
        activity.SetTag(SeedMcpTelemetry.Attributes.ErrorType, exception.GetType().FullName);
        activity.AddException(exception);
    }
}
