using Orleans.Concurrency;
using Platform.Grains.Common;
using Platform.ServiceDefaults.Mail;

namespace Platform.Grains.Mail;

/// <summary>Hands a mail to the platform's mail sender (SMTP through MailKit); the outbox retries it when that fails.</summary>
[StatelessWorker]
public sealed class MailGrain(IMailSender sender) : Grain, IMailGrain
{
    public Task SendAsync(string to, string subject, string body) => sender.SendAsync(new(to, subject, body), CancellationToken.None);
}
