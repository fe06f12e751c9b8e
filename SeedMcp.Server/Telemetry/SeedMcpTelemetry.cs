namespace SeedMcp.Server.Telemetry;

/// <summary>
/// Every telemetry name SeedMcp emits: ActivitySource/Meter names (one per component), span names and attribute keys.
/// Attribute keys follow OpenTelemetry semantic conventions where one exists.
/// </summary>
public static partial class SeedMcpTelemetry
{
    public static class Sources
    {
        public const string Sessions = "SeedMcp.Server.Sessions";
        public const string Tools = "SeedMcp.Server.Tools";

        public static readonly string[] All = [Sessions, Tools];
    }

    public static class Spans
    {
        public const string SessionTouch = "session.touch";
        public const string SessionOpen = "session.open";
        public const string SessionEnd = "session.end";
        public const string MetricsCollect = "metrics.collect";
    }

    public static class Attributes
    {
        public const string SessionId = "session.id";
        public const string UserId = "user.id";
        public const string SessionStore = "session.store";
        public const string SessionFound = "session.found";
        public const string ErrorType = "error.type";
    }
}
