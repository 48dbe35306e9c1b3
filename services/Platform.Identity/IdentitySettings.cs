namespace Platform.Identity;

/// <summary>Settings of the identity server, in the <c>Platform:Identity</c> section.</summary>
public sealed class IdentitySettings
{
    public const string Section = "Platform:Identity";

    /// <summary>The issuer URL tokens carry; default: the URL the server listens on.</summary>
    public Uri? Issuer { get; set; }

    /// <summary>Where the SQLite file lives when no PostgreSQL connection string is set.</summary>
    public string DataPath { get; set; } = "";

    /// <summary>Signing and encryption certificates (PFX), required outside Development.</summary>
    public CertificateSettings? SigningCertificate { get; set; }
    public CertificateSettings? EncryptionCertificate { get; set; }

    public bool SeedDemoData { get; set; }

    /// <summary>Where the platform's web app (portal and console) runs; its sign-in callbacks are registered under these.</summary>
    public List<Uri> WebAppUrls { get; set; } = [new("http://127.0.0.1:5082/")];

    /// <summary>The web app's client secret (a confidential client: the server side of the web app keeps it).</summary>
    public string WebAppClientSecret { get; set; } = "platform-web-secret";

    /// <summary>The gateway's GraphQL endpoint, for the list of municipalities residents register with; unset: they type the CBS code.</summary>
    public Uri? GatewayUrl { get; set; }

    /// <summary>How long links mailed for invitations, confirmation and password resets work.</summary>
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromDays(1);

    /// <summary>The gateway's own client secret (it invites people and manages clients at this server).</summary>
    public string GatewayClientSecret { get; set; } = "platform-gateway-secret";

    /// <summary>The platform operator created on an empty start (no demo data).</summary>
    public OperatorSettings Operator { get; set; } = new();

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(14);
}

public sealed class OperatorSettings
{
    public string Email { get; set; } = "operator@platform.localhost";

    /// <summary>Unset: a password is made up and printed once in the log when the account is created.</summary>
    public string? Password { get; set; }
}

public sealed class CertificateSettings
{
    public string Path { get; set; } = "";
    public string? Password { get; set; }
}

/// <summary>Names of the identity server's own records (the token's names are in Platform.Domain.Access.TokenContract).</summary>
public static class IdentityNames
{
    /// <summary>The property of a partner client that names the organisation it belongs to.</summary>
    public const string OrganisationProperty = "organisation";
}
