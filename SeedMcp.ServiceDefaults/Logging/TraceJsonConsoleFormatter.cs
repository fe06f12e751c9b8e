using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace SeedMcp.ServiceDefaults;

/// <summary>
/// One JSON object per line with the fields log pipelines expect — <c>timestamp</c>, <c>level</c>, <c>category</c>,
/// <c>message</c>, <c>traceId</c>, <c>spanId</c> — followed by the message's structured fields. The built-in JSON
/// formatter nests trace ids inside <c>Scopes</c> under other names, which log backends cannot join to traces.
/// The console logger formats on the logging thread, so <see cref="Activity.Current"/> is the caller's span.
/// </summary>
public sealed class TraceJsonConsoleFormatter() : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "seedmcp-json";

    private const string OriginalFormatKey = "{OriginalFormat}";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (message is null && logEntry.Exception is null)
        {
            return;
        }

        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("timestamp", DateTimeOffset.UtcNow);
            json.WriteString("level", logEntry.LogLevel.ToString());
            json.WriteString("category", logEntry.Category);
            if (logEntry.EventId.Id != 0)
            {
                json.WriteNumber("eventId", logEntry.EventId.Id);
            }

            json.WriteString("message", message);
            if (Activity.Current is { } activity)
            {
                json.WriteString("traceId", activity.TraceId.ToHexString());
                json.WriteString("spanId", activity.SpanId.ToHexString());
            }

            if (logEntry.Exception is { } exception)
            {
                json.WriteString("exception", exception.ToString());
            }

            if (logEntry.State is IReadOnlyList<KeyValuePair<string, object?>> fields)
            {
                WriteFields(json, fields);
            }

            json.WriteEndObject();
        }

        textWriter.Write(Encoding.UTF8.GetString(buffer.WrittenSpan));
        textWriter.Write('\n');
    }

    private static void WriteFields(Utf8JsonWriter json, IReadOnlyList<KeyValuePair<string, object?>> fields)
    {
        foreach (var (key, value) in fields)
        {
            if (key == OriginalFormatKey || IsReserved(key))
            {
                continue;
            }

            switch (value)
            {
                case null:
                    json.WriteNull(key);
                    break;
                case bool flag:
                    json.WriteBoolean(key, flag);
                    break;
                case int or long or short or sbyte or byte or ushort or uint:
                    json.WriteNumber(key, Convert.ToInt64(value, CultureInfo.InvariantCulture));
                    break;
                case ulong unsigned:
                    json.WriteNumber(key, unsigned);
                    break;
                case decimal number:
                    json.WriteNumber(key, number);
                    break;
                case double number when double.IsFinite(number):
                    json.WriteNumber(key, number);
                    break;
                case float number when float.IsFinite(number):
                    json.WriteNumber(key, number);
                    break;
                case DateTimeOffset time:
                    json.WriteString(key, time);
                    break;
                case IFormattable formattable:
                    json.WriteString(key, formattable.ToString(null, CultureInfo.InvariantCulture));
                    break;
                default:
                    json.WriteString(key, value.ToString());
                    break;
            }
        }
    }

    private static bool IsReserved(string key) =>
        key is "timestamp" or "level" or "category" or "eventId" or "message" or "traceId" or "spanId" or "exception";
}
