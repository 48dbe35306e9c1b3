using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace Platform.Gateway.Complaints;

/// <summary>
/// The secret in a complaint's confirmation and follow link. Only its SHA-256 is kept (as the key of the
/// complaint's draft grain); the secret itself travels once, in the mail.
/// </summary>
public static class FollowLinks
{
    public const int MaxTokenLength = 100;

    public static string NewToken() => WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    /// <summary>The draft's key for a token; null for one that cannot be ours (so no grain is woken for it).</summary>
    public static string? KeyOf(string? token) =>
        token is { Length: >= 16 and <= MaxTokenLength } && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            ? Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(token)))
            : null;

    public static Uri Link(Uri webApp, string token) => new(webApp, $"complaints/follow/{token}");
}
