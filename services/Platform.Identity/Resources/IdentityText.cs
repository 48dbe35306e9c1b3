namespace Platform.Identity.Resources;

/// <summary>The identity server's texts: IdentityText.resx in Dutch (the default), IdentityText.en.resx in English.</summary>
public sealed class IdentityText;
