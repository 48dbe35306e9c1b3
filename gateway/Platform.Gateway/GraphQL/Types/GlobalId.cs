using System.Buffers.Text;
using System.Text;

namespace Platform.Gateway.GraphQL.Types;

/// <summary>
/// Relay global ids: base64url of "Type:key", so one <c>node(id)</c> field can fetch any object.
/// </summary>
public static class GlobalId
{
    public static string Encode(string type, string key) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{type}:{key}"));

    public static bool TryDecode(string? id, out string type, out string key)
    {
        type = key = "";
        if (string.IsNullOrEmpty(id) || id.Length > 512) return false;
        // Keys (afval-nhn) are sent far more often than global ids: no exception for them (one cost more than the read).
        if (!Base64Url.IsValid(id, out var length)) return false;
        Span<byte> bytes = stackalloc byte[length];
        if (!Base64Url.TryDecodeFromChars(id, bytes, out var written)) return false;
        var text = Encoding.UTF8.GetString(bytes[..written]);
        var colon = text.IndexOf(':');
        if (colon <= 0 || colon == text.Length - 1) return false;
        type = text[..colon];
        key = text[(colon + 1)..];
        return true;
    }

    public const int MaxKeyLength = 100;

    /// <summary>
    /// The key of an id of <paramref name="type"/>; a plain key (e.g. "afval-nhn") is accepted as it is. A key
    /// no grain can have (blank, padded with spaces, control characters, broken UTF-16, longer than
    /// <see cref="MaxKeyLength"/>) comes back empty, so callers refuse it before asking the cluster.
    /// </summary>
    public static string KeyOf(string type, string? id)
    {
        var key = TryDecode(id, out var t, out var decoded) && t == type ? decoded : id;
        return IsUsableKey(key) ? key! : "";
    }

    /// <summary>Whether <paramref name="key"/> can name a grain at all.</summary>
    public static bool IsUsableKey(string? key)
    {
        if (key is not { Length: > 0 and <= MaxKeyLength } || char.IsWhiteSpace(key[0]) || char.IsWhiteSpace(key[^1])) return false;
        for (var i = 0; i < key.Length; i++)
        {
            var c = key[i];
            if (char.IsControl(c)) return false;
            if (char.IsHighSurrogate(c) && (i + 1 >= key.Length || !char.IsLowSurrogate(key[++i]))) return false;
            if (char.IsLowSurrogate(c)) return false;
        }
        return true;
    }
}
