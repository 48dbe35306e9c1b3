using System.Text.Json.Nodes;

namespace Platform.WebAdmin.Gateway;

/// <summary>Who the gateway takes the person to be, asked once per request.</summary>
public sealed record Viewer(string Kind, string? Subject, string? Organisation, IReadOnlyList<string> Roles)
{
    public static Viewer Anonymous { get; } = new("ANONYMOUS", null, null, []);

    public bool SignedIn => Kind != "ANONYMOUS";
    public bool IsOperator => Roles.Contains("operator");
    public bool IsCitizen => Roles.Contains("citizen");
    public bool IsBoardMember => Roles.Contains("board-member");
    public bool IsExecutor => Roles.Contains("executor-staff");
    /// <summary>Staff of a municipality: admin, contract manager, board member or alderman.</summary>
    public bool IsMunicipalStaff => Roles.Any(r => r is "municipality-admin" or "contract-manager" or "board-member" or "alderman");
    public bool IsStaff => IsMunicipalStaff || IsExecutor || IsOperator;
}

public sealed class Session(GatewayClient gateway, IHttpContextAccessor accessor)
{
    private Viewer? viewer;

    public async Task<Viewer> ViewerAsync()
    {
        if (viewer is not null) return viewer;
        if (accessor.HttpContext?.User.Identity?.IsAuthenticated != true) return viewer = Viewer.Anonymous;
        var data = await gateway.QueryAsync("{ viewer { kind subject organisation roles } }");
        var v = data["viewer"]!;
        return viewer = new(v["kind"]!.GetValue<string>(), v["subject"]?.GetValue<string>(), v["organisation"]?.GetValue<string>(),
            v["roles"]?.AsArray().Select(r => r!.GetValue<string>()).ToList() ?? []);
    }
}

public static class JsonNodeExtensions
{
    public static string Str(this JsonNode? node, string name) => node?[name]?.GetValue<string>() ?? "";

    public static string? StrOrNull(this JsonNode? node, string name) => node?[name]?.GetValue<string>();

    public static IEnumerable<JsonNode> Items(this JsonNode? node, string name) => node?[name]?.AsArray().OfType<JsonNode>() ?? [];
}
