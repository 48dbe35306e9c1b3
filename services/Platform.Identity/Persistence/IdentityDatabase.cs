using Microsoft.EntityFrameworkCore;

namespace Platform.Identity.Persistence;

/// <summary>Creates the store's schema before the server takes requests (SQLite or PostgreSQL).</summary>
public sealed class IdentityDatabase(IServiceProvider services) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IdentityStore>().Database.EnsureCreatedAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
