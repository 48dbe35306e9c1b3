using System.Net.Mail;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Platform.Identity.Persistence;

namespace Platform.Identity.Mail;

public sealed record MailMessageToSend(string To, string Subject, string Body);

/// <summary>Every mail the platform sends goes through this one interface.</summary>
public interface IMailSender
{
    Task SendAsync(MailMessageToSend message, CancellationToken cancellationToken);
}

/// <summary>A mail kept instead of sent (Development): browsable at /dev/outbox.</summary>
public sealed class OutboxMail
{
    public long Id { get; set; }
    public string To { get; set; } = "";
    public string Subject { get; set; } = "";
    public string Body { get; set; } = "";
    public DateTimeOffset At { get; set; }
}

public sealed class OutboxMailSender(IdentityStore store, TimeProvider time) : IMailSender
{
    public async Task SendAsync(MailMessageToSend message, CancellationToken cancellationToken)
    {
        store.Outbox.Add(new OutboxMail { To = message.To, Subject = message.Subject, Body = message.Body, At = time.GetUtcNow() });
        await store.SaveChangesAsync(cancellationToken);
    }
}

public sealed class SmtpSettings
{
    public const string Section = "Platform:Mail:Smtp";
    public string Host { get; set; } = "";
    public int Port { get; set; } = 587;
    public string From { get; set; } = "";
    public string? UserName { get; set; }
    public string? Password { get; set; }
}

public sealed class SmtpMailSender(IOptions<SmtpSettings> settings) : IMailSender
{
    public async Task SendAsync(MailMessageToSend message, CancellationToken cancellationToken)
    {
        var s = settings.Value;
        using var client = new SmtpClient(s.Host, s.Port) { EnableSsl = true };
        if (s.UserName is not null) client.Credentials = new System.Net.NetworkCredential(s.UserName, s.Password);
        using var mail = new MailMessage(s.From, message.To, message.Subject, message.Body);
        await client.SendMailAsync(mail, cancellationToken);
    }
}

public static class MailSetup
{
    /// <summary>The outbox in Development; SMTP elsewhere, which must then be configured.</summary>
    public static void AddMail(this IHostApplicationBuilder builder, bool development)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        if (development)
        {
            builder.Services.AddScoped<IMailSender, OutboxMailSender>();
            return;
        }
        var smtp = builder.Configuration.GetSection(SmtpSettings.Section).Get<SmtpSettings>();
        if (smtp is null || string.IsNullOrWhiteSpace(smtp.Host) || string.IsNullOrWhiteSpace(smtp.From))
        {
            throw new InvalidOperationException(
                $"Outside Development the identity server sends invitations by SMTP: set {SmtpSettings.Section}:Host and {SmtpSettings.Section}:From (and Port, UserName, Password as needed).");
        }
        builder.Services.AddOptions<SmtpSettings>().BindConfiguration(SmtpSettings.Section);
        builder.Services.AddScoped<IMailSender, SmtpMailSender>();
    }
}

public static class OutboxQueries
{
    public static Task<List<OutboxMail>> LatestAsync(this IdentityStore store, int count, CancellationToken cancellationToken) =>
        store.Outbox.OrderByDescending(m => m.Id).Take(count).ToListAsync(cancellationToken);
}
