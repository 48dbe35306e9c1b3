namespace Platform.Domain.Access;

/// <summary>
/// What the identity server puts into access tokens and the gateway reads from them: one definition
/// for both sides.
/// </summary>
public static class TokenContract
{
    /// <summary>The audience of access tokens meant for the platform's API.</summary>
    public const string Audience = "platform-api";

    /// <summary>The organisation (tenant) the caller acts for: a CBS code or an executing organisation's id.</summary>
    public const string OrganisationClaim = "org";

    /// <summary>Whether the token speaks for a person (<see cref="UserKind"/>) or a partner system (<see cref="PartnerKind"/>).</summary>
    public const string CallerKindClaim = "caller_kind";

    public const string UserKind = "user";
    public const string PartnerKind = "partner";
}
