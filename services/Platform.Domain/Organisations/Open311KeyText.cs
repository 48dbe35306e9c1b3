using System.Security.Cryptography;
using System.Text;

namespace Platform.Domain.Organisations;

/// <summary>Open311 API keys: random, shown once, found by their hash (the platform never keeps the key itself).</summary>
public static class Open311KeyText
{
    public static string New() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The hex SHA-256 of the key's text: how it is stored and looked up.</summary>
    public static string Hash(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key))).ToLowerInvariant();

    /// <summary>The first characters, to recognise a key in a list.</summary>
    public static string Prefix(string key) => key[..Math.Min(6, key.Length)];
}
