namespace SeedMcp.Server.Auth;

/// <summary>
/// What auth decided at startup, once, from the <c>Auth</c> settings: the <see cref="AuthMode"/>, and in Bearer mode
/// the RFC 9728 protected-resource metadata URL — the one value both advertised (the <c>resource_metadata</c> of
/// every challenge) and served (the MCP SDK's handler answers at its path). Everything that depends on either asks
/// this record: the services registered, the startup validation, the challenges, the metadata document.
/// </summary>
internal sealed record AuthSetup(AuthMode Mode, Uri? ResourceMetadataUrl)
{
    private const string WellKnownMetadataPath = "/.well-known/oauth-protected-resource";

    public static AuthSetup From(AuthOptions settings)
    {
        var mode = AuthModes.Resolve(settings);
        return new AuthSetup(mode, mode is AuthMode.Bearer ? MetadataUrlOf(settings.Audience) : null);
    }

    /// <summary>
    /// The RFC 9728 metadata URL of a resource: the well-known path inserted between its origin and its path
    /// (<c>https://mcp.example.com/mcp</c> → <c>https://mcp.example.com/.well-known/oauth-protected-resource/mcp</c>).
    /// Taken from the configured canonical URL rather than the request, so it is right behind a proxy too. Null for
    /// an audience that is not an absolute URL (startup validation then stops the server and says why).
    /// </summary>
    public static Uri? MetadataUrlOf(string? resource) =>
        Uri.TryCreate(resource, UriKind.Absolute, out var uri)
            ? new Uri(uri.GetLeftPart(UriPartial.Authority) + WellKnownMetadataPath + uri.AbsolutePath.TrimEnd('/'))
            : null;
}
