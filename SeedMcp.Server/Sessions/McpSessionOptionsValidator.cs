using Microsoft.Extensions.Options;

namespace SeedMcp.Server.Sessions;

/// <summary>
/// A replica answers from memory for up to <see cref="McpSessionOptions.TouchInterval"/> after touching a session, so
/// the record's idle expiry can come that much early: the interval must stay well under the TTL.
/// </summary>
internal sealed class McpSessionOptionsValidator : IValidateOptions<McpSessionOptions>
{
    public ValidateOptionsResult Validate(string? name, McpSessionOptions options) =>
        options.TouchInterval is { } interval && interval * 2 > options.Ttl
            ? ValidateOptionsResult.Fail(
                $"Sessions:TouchInterval (env Sessions__TouchInterval) is {interval:c} but must be at most half of Sessions:Ttl ({options.Ttl:c}): " +
                "lower the interval (00:00:00 touches Redis on every request) or raise the TTL.")
            : ValidateOptionsResult.Success;
}
