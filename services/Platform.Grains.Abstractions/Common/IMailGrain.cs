using Orleans.Concurrency;

namespace Platform.Grains.Common;

/// <summary>Sends one mail through the platform's SMTP server; called by the outbox, so a failure is retried.</summary>
[Alias("Platform.IMailGrain")]
public interface IMailGrain : IGrainWithIntegerKey
{
    [Alias("Send")]
    Task SendAsync(string to, string subject, string body);
}
