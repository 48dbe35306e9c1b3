namespace Platform.Identity;

/// <summary>Settings of the identity server, in the <c>Platform:Identity</c> section.</summary>
public sealed class IdentitySettings
{
    public const string Section = "Platform:Identity";

    /// <summary>The issuer URL tokens carry; default: the URL the server listens on.</summary>
    public Uri? Issuer { get; set; }

    /// <summary>Signing and encryption certificates (PFX), required outside Development.</summary>
    public CertificateSettings? SigningCertificate { get; set; }
    public CertificateSettings? EncryptionCertificate { get; set; }

    /// <summary>
    /// Certificates kept beside the main ones while keys are rotated: every signing key is published (so tokens it signed
    /// stay valid) and every encryption key is tried (so refresh tokens it sealed still work). Of the certificates valid
    /// now, the one that expires last signs and encrypts; one not valid yet is only published.
    /// </summary>
    public List<CertificateSettings> AdditionalSigningCertificates { get; set; } = [];
    public List<CertificateSettings> AdditionalEncryptionCertificates { get; set; } = [];

    public bool SeedDemoData { get; set; }

    /// <summary>
    /// Where the platform's web app (portal and console) runs; its sign-in callbacks are registered under these. Empty
    /// means the run command's web app on loopback (a default in the list itself would stay beside configured ones,
    /// since configuration adds to a list).
    /// </summary>
    public List<Uri> WebAppUrls { get; set; } = [];

    public IReadOnlyList<Uri> WebAppUrlsOrDefault => WebAppUrls.Count > 0 ? WebAppUrls : [new("http://127.0.0.1:5082/")];

    /// <summary>The web app's client secret (a confidential client: the server side of the web app keeps it).</summary>
    public string WebAppClientSecret { get; set; } = "platform-web-secret";

    /// <summary>The gateway's GraphQL endpoint, for the list of municipalities residents register with; unset: they type the CBS code.</summary>
    public Uri? GatewayUrl { get; set; }

    /// <summary>How long links mailed for invitations, confirmation and password resets work.</summary>
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromDays(1);

    /// <summary>The gateway's own client secret (it invites people and manages clients at this server).</summary>
    public string GatewayClientSecret { get; set; } = "platform-gateway-secret";

    /// <summary>
    /// OpenID Connect providers people may sign in through, as DigiD and eHerkenning are reached through a broker.
    /// Each becomes a button on the sign-in page; a first sign-in creates a resident's account.
    /// </summary>
    public List<ExternalProviderSettings> ExternalProviders { get; set; } = [];

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

/// <summary>One external OpenID Connect provider (section <c>Platform:Identity:ExternalProviders:N</c>).</summary>
public sealed class ExternalProviderSettings
{
    /// <summary>A short name, in the scheme (<c>external-NAME</c>) and the default callback path (<c>/signin-NAME</c>).</summary>
    public string Name { get; set; } = "";

    /// <summary>On the button: "Inloggen met {DisplayName}".</summary>
    public string DisplayName { get; set; } = "";

    public Uri? Authority { get; set; }
    public string ClientId { get; set; } = "";
    public string? ClientSecret { get; set; }

    /// <summary>Where the provider sends people back to; registered at the provider. Default <c>/signin-NAME</c>.</summary>
    public string? CallbackPath { get; set; }

    public List<string> Scopes { get; set; } = ["openid", "email", "profile"];

    /// <summary>
    /// The provider vouches for the email addresses it gives: a first sign-in links to an existing account with that
    /// address, and a new account needs no confirmation mail. Off: the address is confirmed by mail as on registration.
    /// </summary>
    public bool TrustEmail { get; set; }

    public string Scheme => $"external-{Name}";
}
