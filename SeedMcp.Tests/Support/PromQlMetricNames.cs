namespace SeedMcp.Tests.Support;

/// <summary>
/// The metric names a PromQL expression selects. Not a PromQL parser: a tokenizer that skips string literals, label
/// matchers (<c>{…}</c>), ranges (<c>[…]</c>), numbers and durations, Grafana variables (<c>$__rate_interval</c>) and
/// the label lists after <c>by</c>, <c>without</c>, <c>on</c>, <c>ignoring</c>, <c>group_left</c> and
/// <c>group_right</c>; of the identifiers left, those followed by <c>(</c> are functions, aggregation operators and
/// keywords are dropped, and what remains is a metric name. Enough for the dashboard and the alert rules, whose
/// expressions select metrics by name; a selector written <c>{__name__="…"}</c> would go unseen.
/// </summary>
public static class PromQlMetricNames
{
    private static readonly HashSet<string> LabelListKeywords = ["by", "without", "on", "ignoring", "group_left", "group_right"];

    private static readonly HashSet<string> Keywords =
    [
        "and", "or", "unless", "bool", "offset", "atan2", "inf", "nan",
        // Aggregation operators may be followed by 'by (…)' rather than '(' directly.
        "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values", "bottomk", "topk", "quantile",
        "limitk", "limit_ratio",
    ];

    public static IReadOnlySet<string> Extract(string expression)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var i = 0;
        while (i < expression.Length)
        {
            var c = expression[i];
            if (c is '"' or '\'' or '`')
            {
                i = SkipString(expression, i);
            }
            else if (c == '{')
            {
                i = SkipPast(expression, i, '{', '}');
            }
            else if (c == '[')
            {
                i = SkipPast(expression, i, '[', ']');
            }
            else if (c == '#')
            {
                i = expression.IndexOf('\n', i) is var end and >= 0 ? end : expression.Length;
            }
            else if (c == '$')
            {
                i = SkipWhile(expression, i + 1, ch => char.IsLetterOrDigit(ch) || ch is '_' or '{' or '}' or ':');
            }
            else if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < expression.Length && char.IsAsciiDigit(expression[i + 1])))
            {
                // Numbers (0.95, 1e3) and durations (5m, 1h30m).
                i = SkipWhile(expression, i, ch => char.IsAsciiLetterOrDigit(ch) || ch is '.' or '_');
            }
            else if (char.IsAsciiLetter(c) || c is '_' or ':')
            {
                var start = i;
                i = SkipWhile(expression, i, ch => char.IsAsciiLetterOrDigit(ch) || ch is '_' or ':');
                var identifier = expression[start..i];
                var next = SkipWhile(expression, i, char.IsWhiteSpace);
                var followedByParenthesis = next < expression.Length && expression[next] == '(';

                if (LabelListKeywords.Contains(identifier))
                {
                    i = followedByParenthesis ? SkipPast(expression, next, '(', ')') : i;
                }
                else if (!followedByParenthesis && !Keywords.Contains(identifier))
                {
                    names.Add(identifier);
                }
            }
            else
            {
                i++;
            }
        }

        return names;
    }

    private static int SkipWhile(string text, int index, Func<char, bool> predicate)
    {
        while (index < text.Length && predicate(text[index]))
        {
            index++;
        }

        return index;
    }

    private static int SkipString(string text, int index)
    {
        var quote = text[index++];
        while (index < text.Length && text[index] != quote)
        {
            index += text[index] == '\\' && quote != '`' ? 2 : 1;
        }

        return index + 1;
    }

    private static int SkipPast(string text, int index, char open, char close)
    {
        var depth = 0;
        while (index < text.Length)
        {
            var c = text[index];
            if (c is '"' or '\'' or '`')
            {
                index = SkipString(text, index);
                continue;
            }

            depth += c == open ? 1 : c == close ? -1 : 0;
            index++;
            if (depth == 0)
            {
                break;
            }
        }

        return index;
    }
}
