using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;
using Platform.WebAdmin.Gateway;
using Platform.WebAdmin.Resources;

namespace Platform.WebAdmin.Components;

/// <summary>
/// What every page shares: the gateway, the viewer, the texts in the chosen language, and one way to
/// turn a gateway failure into a message people understand.
/// </summary>
public abstract class PortalPage : ComponentBase
{
    [CascadingParameter] public HttpContext? HttpContext { get; set; }

    [Inject] public GatewayClient Gateway { get; set; } = null!;

    /// <summary>The interface's language as the gateway names it (EN or NL), for names that have a translation.</summary>
    protected static string Language => System.Globalization.CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en" ? "EN" : "NL";

    [Inject] public Session Session { get; set; } = null!;

    [Inject] public IStringLocalizer<Text> L { get; set; } = null!;

    [Inject] public NavigationManager Nav { get; set; } = null!;

    protected Viewer Viewer { get; private set; } = Viewer.Anonymous;

    /// <summary>A failure to show at the top of the page (role="alert").</summary>
    protected string? Error { get; set; }

    protected string ReturnUrl => "/" + Nav.ToBaseRelativePath(Nav.Uri);

    protected sealed override async Task OnInitializedAsync()
    {
        if (await TryAsync(async () => Viewer = await Session.ViewerAsync()))
        {
            await TryAsync(LoadAsync);
        }
    }

    /// <summary>Loads the page's data (also after a form post, before the handler runs).</summary>
    protected virtual Task LoadAsync() => Task.CompletedTask;

    /// <summary>Runs a gateway call; on failure sets <see cref="Error"/> and returns false.</summary>
    protected async Task<bool> TryAsync(Func<Task> action)
    {
        try
        {
            await action();
            return true;
        }
        catch (GatewayException ex)
        {
            Error = Describe(ex);
            return false;
        }
    }

    protected string Describe(GatewayException ex) => ex.Failure switch
    {
        GatewayFailure.Unavailable => L["error.unavailable"],
        GatewayFailure.SignInNeeded => L["error.signin"],
        GatewayFailure.Refused => $"{L["error.refused"]} {ex.Message}",
        _ => $"{L["error.request"]} {ex.Message}",
    };

    /// <summary>Sends someone who must be signed in to the sign-in flow, and back here afterwards.</summary>
    protected bool RequireSignIn()
    {
        if (Viewer.SignedIn) return true;
        Nav.NavigateTo($"/account/signin?returnUrl={Uri.EscapeDataString(ReturnUrl)}", forceLoad: true);
        return false;
    }

    protected static CultureInfo Culture => CultureInfo.CurrentUICulture;

    /// <summary>Euros in the page's number format (€ 35,00 in Dutch, €35.00 in English): tariffs are always in euros.</summary>
    protected static string Money(decimal amount)
    {
        var format = (NumberFormatInfo)CultureInfo.CurrentCulture.NumberFormat.Clone();
        format.CurrencySymbol = "€";
        return amount.ToString("C", format);
    }

    /// <summary>
    /// The municipalities on the platform, by name in the page's culture, to choose one from (Queries/Municipalities.graphql).
    /// </summary>
    protected async Task<List<MunicipalitiesAnswer.Municipality>> MunicipalityChoicesAsync() =>
        [.. (await Gateway.QueryAsync<MunicipalitiesAnswer>(Queries.Named("Municipalities"))).Municipalities.Nodes.OrderBy(m => m.Name, StringComparer.CurrentCulture)];

    /// <summary>
    /// Runs a mutation; the rules it broke come back in the page's language where the web app knows the
    /// case (by field and code), else in the gateway's own words.
    /// </summary>
    protected async Task<MutationResult> MutateAsync(string mutation, string field, object variables)
    {
        var result = await Gateway.MutateAsync(mutation, field, variables);
        return result with { Errors = result.Errors.Select(e => e with { Message = Localize(e) }).ToList() };
    }

    private string Localize(UserError error)
    {
        foreach (var key in new[] { $"err.{error.Field}.{error.Code}", $"err.{error.Code}" })
        {
            var text = L[key];
            if (!text.ResourceNotFound) return text.Value;
        }
        return error.Message;
    }

    /// <summary>A decision rule in words, in the page's language.</summary>
    protected string RuleText(DecisionRule? rule)
    {
        if (rule is null) return "";
        var required = $"{rule.Required.Numerator}/{rule.Required.Denominator}";
        var quorum = $"{rule.Quorum.Numerator}/{rule.Quorum.Denominator}";
        var threshold = rule.Threshold switch
        {
            "UNANIMITY" => L["rule.unanimity"].Value,
            "QUALIFIED" => string.Format(Culture, L["rule.qualified"], required),
            _ => L["rule.majority"].Value,
        };
        var abstentions = rule.Abstentions == "COUNT_AS_CAST" ? L["rule.abstain.counted"] : L["rule.abstain.ignored"];
        return string.Format(Culture, L["rule.text"], threshold, quorum, abstentions, Term("weights", rule.Weights));
    }

    /// <summary>A date as the page's language writes it (3 december 2026, 3 December 2026).</summary>
    public static string Date(DateOnly date) => date.ToString("d MMMM yyyy", CultureInfo.CurrentCulture);

    /// <summary>The same, or nothing for no date.</summary>
    public static string Date(DateOnly? date) => date is { } d ? Date(d) : "";

    /// <summary>A moment as people in the Netherlands read it: its day and time in Amsterdam.</summary>
    public static string When(DateTimeOffset instant) =>
        TimeZoneInfo.ConvertTime(instant, TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam")).ToString("d MMMM yyyy HH:mm", CultureInfo.CurrentCulture);

    /// <summary>The same, or nothing for no moment.</summary>
    public static string When(DateTimeOffset? instant) => instant is { } t ? When(t) : "";

    /// <summary>An enum value from the API (e.g. IN_PROGRESS) in the page's language.</summary>
    protected string Term(string prefix, string? value) => value is null ? "" : L[$"{prefix}.{value}"];
}
