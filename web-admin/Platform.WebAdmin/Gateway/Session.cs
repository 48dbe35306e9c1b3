using System.Text.Json.Nodes;

namespace Platform.WebAdmin.Gateway;

/// <summary>What the platform lets the person do, as the gateway's <c>viewer.can</c> says: the web app knows no roles.</summary>
public sealed record ViewerCan(bool OnboardMunicipalities, bool RegisterOrganisations, bool CreateArrangements, bool FileComplaints,
    bool HandleComplaints, bool ManagePeople, bool UseConsole, bool CloseOwnAccount)
{
    public static ViewerCan Nothing { get; } = new(false, false, false, false, false, false, false, false);

    public const string Fields = "onboardMunicipalities registerOrganisations createArrangements fileComplaints handleComplaints managePeople useConsole closeOwnAccount";
}

/// <summary>Who the gateway takes the person to be, asked once per request.</summary>
public sealed record Viewer(string Kind, string? Subject, string? Organisation, ViewerCan Can)
{
    public static Viewer Anonymous { get; } = new("ANONYMOUS", null, null, ViewerCan.Nothing);

    public bool SignedIn => Kind != "ANONYMOUS";
}

public sealed class Session(GatewayClient gateway, IHttpContextAccessor accessor)
{
    private Viewer? viewer;

    public async Task<Viewer> ViewerAsync()
    {
        if (viewer is not null) return viewer;
        if (accessor.HttpContext?.User.Identity?.IsAuthenticated != true) return viewer = Viewer.Anonymous;
        var data = await gateway.QueryAsync($"{{ viewer {{ kind subject organisation can {{ {ViewerCan.Fields} }} }} }}");
        var v = data["viewer"]!;
        var can = v["can"]!;
        bool Flag(string name) => can[name]?.GetValue<bool>() == true;
        return viewer = new(v["kind"]!.GetValue<string>(), v["subject"]?.GetValue<string>(), v["organisation"]?.GetValue<string>(),
            new ViewerCan(Flag("onboardMunicipalities"), Flag("registerOrganisations"), Flag("createArrangements"), Flag("fileComplaints"),
                Flag("handleComplaints"), Flag("managePeople"), Flag("useConsole"), Flag("closeOwnAccount")));
    }
}

public static class JsonNodeExtensions
{
    public static string Str(this JsonNode? node, string name) => node?[name]?.GetValue<string>() ?? "";

    public static string? StrOrNull(this JsonNode? node, string name) => node?[name]?.GetValue<string>();

    public static IEnumerable<JsonNode> Items(this JsonNode? node, string name) => node?[name]?.AsArray().OfType<JsonNode>() ?? [];
}
