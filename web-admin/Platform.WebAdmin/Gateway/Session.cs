namespace Platform.WebAdmin.Gateway;

/// <summary>What the platform lets the person do, as the gateway's <c>viewer.can</c> says: the web app knows no roles.</summary>
public sealed record ViewerCan(bool OnboardMunicipalities, bool RegisterOrganisations, bool CreateArrangements, bool FileComplaints,
    bool HandleComplaints, bool ManagePeople, bool UseConsole, bool CloseOwnAccount)
{
    public static ViewerCan Nothing { get; } = new(false, false, false, false, false, false, false, false);
}

/// <summary>The answer to Queries/Viewer.graphql.</summary>
public sealed record ViewerAnswer(Viewer Viewer);

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
        return viewer = (await gateway.QueryAsync<ViewerAnswer>(Queries.Named("Viewer"))).Viewer;
    }
}
