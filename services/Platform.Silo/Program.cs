using Orleans.Hosting;
using Platform.Grains.Hosting;
using Platform.ServiceDefaults.Security;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddPlatformSilo((silo, settings) =>
{
    // In a Kubernetes pod: name, address and cluster from the pod (POD_NAME, POD_IP, ORLEANS_CLUSTER_ID, ...).
    if (string.Equals(settings.Hosting, SiloSettings.KubernetesHosting, StringComparison.OrdinalIgnoreCase)) silo.UseKubernetesHosting();
});
builder.AddReadinessProbe("grain-storage", PlatformSilo.ProbeAsync);

var app = builder.Build();

app.UsePlatformWebSecurity(WebSecurity.ApiPolicy);
app.MapDefaultEndpoints();

app.Run();
