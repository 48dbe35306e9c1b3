using System.Text.Json.Nodes;

namespace Platform.Deployment.Tests;

/// <summary>
/// The Kubernetes manifests in infra/kubernetes: rendered as an operator applies them (the base and the example
/// overlay), every object valid for the Kubernetes API, and the promises the README makes of them kept.
/// </summary>
public sealed class KubernetesManifestTests
{
    private static readonly string[] Processes = ["silo", "gateway", "identity", "webadmin"];
    private static readonly string[] ReachableFromOutside = ["gateway", "identity", "webadmin"];

    private static IEnumerable<JsonNode> Of(JsonArray objects, string kind) => objects.Where(o => o!["kind"]!.GetValue<string>() == kind).Select(o => o!);

    private static JsonNode Named(JsonArray objects, string kind, string name) =>
        Of(objects, kind).SingleOrDefault(o => o["metadata"]!["name"]!.GetValue<string>() == name)
        ?? throw new Xunit.Sdk.XunitException($"no {kind} named {name}");

    private static string Str(JsonNode? node) => node?.GetValue<string>() ?? "";

    private static JsonNode Container(JsonNode deployment) => deployment["spec"]!["template"]!["spec"]!["containers"]![0]!;

    private static Dictionary<string, string> PodLabels(JsonNode deployment) =>
        deployment["spec"]!["template"]!["metadata"]!["labels"]!.AsObject().ToDictionary(p => p.Key, p => Str(p.Value));

    /// <summary>Whether a label selector (matchLabels and In expressions) selects pods with these labels.</summary>
    private static bool Selects(JsonNode? selector, Dictionary<string, string> labels)
    {
        if (selector is null) return false;
        foreach (var (key, value) in selector["matchLabels"]?.AsObject() ?? [])
        {
            if (!labels.TryGetValue(key, out var actual) || actual != Str(value)) return false;
        }
        foreach (var expression in selector["matchExpressions"]?.AsArray() ?? [])
        {
            var values = expression!["values"]!.AsArray().Select(Str).ToHashSet();
            if (Str(expression["operator"]) != "In" || !labels.TryGetValue(Str(expression["key"]), out var actual) || !values.Contains(actual)) return false;
        }
        return true;
    }

    [Theory]
    [InlineData("base")]
    [InlineData("overlays/example")]
    public async Task Each_kustomization_renders_objects_the_Kubernetes_API_accepts(string kustomization)
    {
        var objects = await Manifests.ValidAsync(kustomization);

        var kinds = objects.Select(o => Str(o!["kind"])).ToHashSet();
        foreach (var kind in new[] { "Deployment", "Service", "PodDisruptionBudget", "HorizontalPodAutoscaler", "NetworkPolicy", "Ingress", "ConfigMap", "ServiceAccount", "Role", "RoleBinding" })
        {
            Assert.Contains(kind, kinds);
        }
        Assert.Equal(Processes.Order(), Of(objects, "Deployment").Select(d => Str(d["metadata"]!["name"])).Order());
    }

    [Fact]
    public async Task The_checker_refuses_a_wrong_type_a_misspelt_field_a_beta_API_and_an_unknown_kind_and_names_each()
    {
        const string Broken = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: { name: wrong-type }
            spec:
              replicas: three
              selector: { matchLabels: { a: b } }
              template: { metadata: { labels: { a: b } }, spec: { containers: [ { name: c, image: i } ] } }
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: { name: misspelt }
            spec:
              selector: { matchLabels: { a: b } }
              template: { metadata: { labels: { a: b } }, spec: { containers: [ { name: c, image: i, readinesProbe: { httpGet: { path: /health, port: 8080 } } } ] } }
            ---
            apiVersion: policy/v1beta1
            kind: PodDisruptionBudget
            metadata: { name: beta }
            spec: { maxUnavailable: 1 }
            ---
            apiVersion: example.org/v1
            kind: Widget
            metadata: { name: unknown }
            """;

        var (objects, problems) = await Manifests.CheckAsync(Broken);

        Assert.Null(objects);
        Assert.Contains("Deployment/wrong-type: data/spec/replicas must be integer", problems);
        Assert.Contains("Deployment/misspelt: unknown field /spec/template/spec/containers/0/readinesProbe", problems);
        Assert.Contains("PodDisruptionBudget/beta: policy/v1beta1 is not a stable API", problems);
        Assert.Contains("Widget/unknown: no schema for example.org/v1 Widget", problems);
    }

    [Fact]
    public async Task Every_process_has_probes_on_the_service_defaults_endpoints_resources_and_runs_without_privileges()
    {
        var objects = await Manifests.ValidAsync("overlays/example");
        foreach (var deployment in Of(objects, "Deployment"))
        {
            var name = Str(deployment["metadata"]!["name"]);
            var container = Container(deployment);
            Assert.True(Str(container["readinessProbe"]!["httpGet"]!["path"]) == "/health", name);
            Assert.True(Str(container["livenessProbe"]!["httpGet"]!["path"]) == "/alive", name);
            foreach (var bound in new[] { "requests", "limits" })
            {
                foreach (var resource in new[] { "cpu", "memory" })
                {
                    Assert.True(container["resources"]?[bound]?[resource] is not null, $"{name}: no {bound}.{resource}");
                }
            }
            var pod = deployment["spec"]!["template"]!["spec"]!;
            Assert.True(pod["securityContext"]!["runAsNonRoot"]!.GetValue<bool>(), name);
            Assert.False(container["securityContext"]!["allowPrivilegeEscalation"]!.GetValue<bool>(), name);
            Assert.Equal($"registry.regelingen.example.nl/platform/{name}:1.0.0", Str(container["image"]));
            // Rolled one pod at a time, never below the wanted count.
            Assert.Equal(0, deployment["spec"]!["strategy"]!["rollingUpdate"]!["maxUnavailable"]!.GetValue<int>());
            // The silo and gateway serve 10 s before the next old pod stops, as rehearsed (RollingRehearsalTests' Settle).
            if (name is "silo" or "gateway") Assert.True(deployment["spec"]!["minReadySeconds"]?.GetValue<int>() >= 10, $"{name}: minReadySeconds");
            // A voluntary disruption (a drained node) takes at most one.
            Assert.Single(Of(objects, "PodDisruptionBudget"), b => Selects(b["spec"]!["selector"], PodLabels(deployment)));
            // Every process reads the shared settings, by the name kustomize gave the generated ConfigMap.
            var settings = Str(container["envFrom"]![0]!["configMapRef"]!["name"]);
            Assert.StartsWith("platform-settings-", settings);
            Named(objects, "ConfigMap", settings);
        }
    }

    [Fact]
    public async Task Gateway_and_web_app_scale_with_load_and_the_silos_form_one_Orleans_cluster_with_the_gateways()
    {
        var objects = await Manifests.ValidAsync("overlays/example");

        var scaled = Of(objects, "HorizontalPodAutoscaler").Select(h => Str(h["spec"]!["scaleTargetRef"]!["name"])).Order();
        Assert.Equal(["gateway", "webadmin"], scaled);
        foreach (var hpa in Of(objects, "HorizontalPodAutoscaler"))
        {
            Named(objects, "Deployment", Str(hpa["spec"]!["scaleTargetRef"]!["name"]));
            Assert.True(hpa["spec"]!["minReplicas"]!.GetValue<int>() >= 2);
        }

        // Kubernetes hosting reads the cluster from the pod's labels; the gateways from Orleans__ClusterId: the same.
        var silo = Named(objects, "Deployment", "silo");
        var settings = Named(objects, "ConfigMap", Str(Container(silo)["envFrom"]![0]!["configMapRef"]!["name"]))["data"]!;
        var labels = PodLabels(silo);
        Assert.Equal(Str(settings["Orleans__ClusterId"]), labels["orleans/clusterId"]);
        Assert.Equal(Str(settings["Orleans__ServiceId"]), labels["orleans/serviceId"]);
        var env = Container(silo)["env"]!.AsArray().ToDictionary(e => Str(e!["name"]), e => e!);
        Assert.Equal("Kubernetes", Str(env["Platform__Silo__Hosting"]["value"]));
        foreach (var variable in new[] { "POD_NAME", "POD_NAMESPACE", "POD_IP", "ORLEANS_SERVICE_ID", "ORLEANS_CLUSTER_ID" })
        {
            Assert.True(env.ContainsKey(variable), variable);
        }

        // ... and may read and delete pods (to declare the silos of vanished pods dead), nothing more.
        var account = Str(silo["spec"]!["template"]!["spec"]!["serviceAccountName"]);
        var binding = Of(objects, "RoleBinding").Single(b => b["subjects"]!.AsArray().Any(s => Str(s!["name"]) == account));
        var role = Named(objects, "Role", Str(binding["roleRef"]!["name"]));
        var rule = Assert.Single(role["rules"]!.AsArray())!;
        Assert.Equal(["pods"], rule["resources"]!.AsArray().Select(Str));
        Assert.Equal(["delete", "get", "list", "watch"], rule["verbs"]!.AsArray().Select(Str).Order());
        // The other processes carry no token for the Kubernetes API.
        foreach (var name in ReachableFromOutside)
        {
            Assert.False(Named(objects, "Deployment", name)["spec"]!["template"]!["spec"]!["automountServiceAccountToken"]!.GetValue<bool>(), name);
        }
    }

    [Fact]
    public async Task Network_policies_let_only_the_ingress_reach_the_web_app_gateway_and_identity_and_only_the_cluster_reach_the_silos()
    {
        var objects = await Manifests.ValidAsync("overlays/example");
        var policies = Of(objects, "NetworkPolicy").ToList();

        // Everything is closed unless a policy opens it.
        Assert.Contains(policies, p => p["spec"]!["podSelector"]!.AsObject().Count == 0 && p["spec"]!["ingress"] is null);

        foreach (var name in Processes)
        {
            var labels = PodLabels(Named(objects, "Deployment", name));
            var sources = policies.Where(p => Selects(p["spec"]!["podSelector"], labels) || p["spec"]!["podSelector"]!.AsObject().Count == 0)
                .SelectMany(p => p["spec"]!["ingress"]?.AsArray() ?? []).SelectMany(rule => rule!["from"]!.AsArray()).ToList();
            var fromOutside = sources.Any(s => s!["namespaceSelector"] is not null || s["ipBlock"] is not null);
            Assert.True(fromOutside == ReachableFromOutside.Contains(name), $"{name}: reachable from outside the namespace is {fromOutside}");
            if (name == "silo")
            {
                var peers = sources.Select(s => Str(s!["podSelector"]!["matchLabels"]!["app.kubernetes.io/name"])).Order();
                Assert.Equal(["gateway", "silo"], peers);
            }
        }

        // The ingress routes to exactly those three, by Services that select their pods.
        var backends = Named(objects, "Ingress", "platform")["spec"]!["rules"]!.AsArray()
            .Select(r => Str(r!["http"]!["paths"]![0]!["backend"]!["service"]!["name"])).Order().ToList();
        Assert.Equal(ReachableFromOutside.Order(), backends);
        foreach (var name in backends)
        {
            Assert.True(Selects(new JsonObject { ["matchLabels"] = Named(objects, "Service", name)["spec"]!["selector"]!.DeepClone() },
                PodLabels(Named(objects, "Deployment", name))), name);
        }
        Assert.All(Named(objects, "Ingress", "platform")["spec"]!["rules"]!.AsArray(), r => Assert.EndsWith("regelingen.example.nl", Str(r!["host"])));
    }

    [Fact]
    public async Task Every_secret_the_manifests_read_is_described_in_the_README()
    {
        var objects = await Manifests.ValidAsync("overlays/example");
        var readme = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "README.md"));
        var deploying = readme[readme.IndexOf("## Deploying to Kubernetes", StringComparison.Ordinal)..];

        var references = new List<(string Secret, string? Key)>();
        foreach (var deployment in Of(objects, "Deployment"))
        {
            foreach (var env in Container(deployment)["env"]?.AsArray() ?? [])
            {
                if (env!["valueFrom"]?["secretKeyRef"] is { } reference) references.Add((Str(reference["name"]), Str(reference["key"])));
            }
            foreach (var volume in deployment["spec"]!["template"]!["spec"]!["volumes"]?.AsArray() ?? [])
            {
                if (volume!["secret"] is { } secret) references.Add((Str(secret["secretName"]), null));
            }
        }
        foreach (var tls in Named(objects, "Ingress", "platform")["spec"]!["tls"]!.AsArray()) references.Add((Str(tls!["secretName"]), null));

        Assert.True(references.Count >= 10);
        foreach (var (secret, key) in references.Distinct())
        {
            Assert.True(deploying.Contains($"`{secret}`", StringComparison.Ordinal), $"README does not describe the secret {secret}");
            if (key is not null) Assert.True(deploying.Contains($"`{key}`", StringComparison.Ordinal), $"README does not describe {secret}'s key {key}");
        }
    }
}
