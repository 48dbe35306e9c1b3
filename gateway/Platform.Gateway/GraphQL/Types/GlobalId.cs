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
        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(id);
        }
        catch (FormatException)
        {
            return false;
        }
        var text = Encoding.UTF8.GetString(bytes);
        var colon = text.IndexOf(':');
        if (colon <= 0 || colon == text.Length - 1) return false;
        type = text[..colon];
        key = text[(colon + 1)..];
        return true;
    }

    /// <summary>The key of an id of <paramref name="type"/>; a plain key (e.g. "afval-nhn") is accepted as it is.</summary>
    public static string KeyOf(string type, string id) =>
        TryDecode(id, out var t, out var key) && t == type ? key : id;
}
