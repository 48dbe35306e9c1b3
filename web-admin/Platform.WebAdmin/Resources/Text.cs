namespace Platform.WebAdmin.Resources;

/// <summary>The web app's texts: Text.resx in Dutch (the default), Text.en.resx in English.</summary>
public sealed class Text;
