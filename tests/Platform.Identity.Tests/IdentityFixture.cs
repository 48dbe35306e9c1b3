using Platform.Tests.Shared;

namespace Platform.Identity.Tests;

/// <summary>One identity server on Kestrel (loopback, fresh SQLite file, demo accounts) for the assembly.</summary>
public sealed class IdentityFixture : IAsyncLifetime
{
    public IdentityHost Host { get; private set; } = null!;

    public TokenClient Tokens { get; private set; } = null!;

    public MailServer Mail { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // Three wrong passwords throttle an address here, so that test stays short; the other limits keep their defaults.
        Mail = await MailServer.StartAsync();
        Host = await IdentityHost.StartAsync(new(Mail.Settings)
        {
            ["Platform:RateLimits:Rules:sign-in-failures:PermitLimit"] = "3",
            ["Platform:RateLimits:Rules:sign-in-failures:Window"] = "00:15:00",
        });
        Tokens = new TokenClient(Host.Url);
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Mail.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class IdentityCollection : ICollectionFixture<IdentityFixture>
{
    public const string Name = "identity";
}
