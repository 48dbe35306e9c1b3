using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace Platform.ServiceDefaults.Mail;

/// <summary>
/// A mail to one person: a subject, a plain-text body and, when given, the same in HTML. A notification also carries
/// a stable <paramref name="MessageId"/> (a resent mail is recognisably the same one) and a one-click
/// <paramref name="Unsubscribe"/> link (RFC 8058: <c>List-Unsubscribe</c> and <c>List-Unsubscribe-Post</c>).
/// </summary>
public sealed record MailMessageToSend(string To, string Subject, string Body, string? HtmlBody = null, string? MessageId = null, Uri? Unsubscribe = null);

/// <summary>Every mail the platform sends goes through this one interface.</summary>
public interface IMailSender
{
    Task SendAsync(MailMessageToSend message, CancellationToken cancellationToken);

    /// <summary>
    /// A connection for several mails in a row (the notifier's round). By default each mail is sent on its own; the
    /// SMTP sender keeps one connection open.
    /// </summary>
    Task<IMailConnection> ConnectAsync(CancellationToken cancellationToken) => Task.FromResult<IMailConnection>(new OneByOne(this));

    private sealed class OneByOne(IMailSender sender) : IMailConnection
    {
        public Task SendAsync(MailMessageToSend message, CancellationToken cancellationToken) => sender.SendAsync(message, cancellationToken);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

/// <summary>Mails sent one after another over one connection; a failed mail throws and the next one still goes.</summary>
public interface IMailConnection : IAsyncDisposable
{
    Task SendAsync(MailMessageToSend message, CancellationToken cancellationToken);
}

/// <summary>The SMTP server the platform sends through (section <c>Platform:Mail:Smtp</c>).</summary>
public sealed class SmtpSettings
{
    public const string Section = "Platform:Mail:Smtp";

    /// <summary>Locally the AppHost's smtp4dev on 127.0.0.1:2525.</summary>
    public string Host { get; set; } = "";
    public int Port { get; set; } = 587;
    public string From { get; set; } = "";
    public string? UserName { get; set; }
    public string? Password { get; set; }

    /// <summary><c>StartTls</c> (default), <c>SslOnConnect</c>, or <c>None</c> (only for a server on loopback).</summary>
    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.StartTls;
}

/// <summary>Sends through SMTP with MailKit: plain text, plus HTML as an alternative when the message has it.</summary>
public sealed partial class SmtpMailSender(IOptions<SmtpSettings> settings, ILogger<SmtpMailSender> logger) : IMailSender
{
    public async Task SendAsync(MailMessageToSend message, CancellationToken cancellationToken)
    {
        await using var connection = new Connection(this);
        await connection.SendAsync(message, cancellationToken);
    }

    public Task<IMailConnection> ConnectAsync(CancellationToken cancellationToken) => Task.FromResult<IMailConnection>(new Connection(this));

    private SmtpSettings Settings => settings.Value;

    private void Sent(MailMessageToSend message) => LogSent(logger, message.Subject);

    private MimeMessage Mime(MailMessageToSend message)
    {
        var mail = new MimeMessage();
        mail.From.Add(MailboxAddress.Parse(settings.Value.From));
        mail.To.Add(MailboxAddress.Parse(message.To));
        mail.Subject = message.Subject;
        if (message.MessageId is { } id) mail.MessageId = id;
        if (message.Unsubscribe is { } unsubscribe)
        {
            mail.Headers.Add("List-Unsubscribe", $"<{unsubscribe.AbsoluteUri}>");
            mail.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        }
        var body = new BodyBuilder { TextBody = message.Body, HtmlBody = message.HtmlBody };
        mail.Body = body.ToMessageBody();
        return mail;
    }

    /// <summary>
    /// Connects on the first mail and stays connected. A mail the server refuses (a bad recipient) fails alone; after a
    /// broken connection the next mail connects again; when connecting fails, the rest of the batch fails at once with
    /// the same error instead of knocking on a server that is down, once per mail.
    /// </summary>
    private sealed class Connection(SmtpMailSender sender) : IMailConnection
    {
        private readonly SmtpClient client = new();
        private Exception? unreachable;

        public async Task SendAsync(MailMessageToSend message, CancellationToken cancellationToken)
        {
            var mail = sender.Mime(message);
            if (unreachable is not null) throw new IOException($"The mail server could not be reached: {unreachable.Message}", unreachable);
            if (!client.IsConnected)
            {
                var s = sender.Settings;
                try
                {
                    await client.ConnectAsync(s.Host, s.Port, s.Security, cancellationToken);
                    if (!string.IsNullOrEmpty(s.UserName)) await client.AuthenticateAsync(s.UserName, s.Password ?? "", cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    unreachable = ex;
                    throw;
                }
            }
            await client.SendAsync(mail, cancellationToken);
            sender.Sent(message);
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                if (client.IsConnected) await client.DisconnectAsync(quit: true);
            }
            catch (Exception ex) when (ex is IOException or MailKit.ProtocolException or MailKit.CommandException)
            {
                // The mails are sent; a server that hangs up before QUIT changes nothing.
            }
            client.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Mail sent: {Subject}")]
    private static partial void LogSent(ILogger logger, string subject);
}

public static class MailSetup
{
    /// <summary>SMTP everywhere; in Development the defaults point at the local smtp4dev the AppHost starts.</summary>
    public static void AddMail(this IHostApplicationBuilder builder, bool development)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        var options = builder.Services.AddOptions<SmtpSettings>().BindConfiguration(SmtpSettings.Section);
        if (development)
        {
            options.PostConfigure(s =>
            {
                if (string.IsNullOrWhiteSpace(s.Host))
                {
                    s.Host = "127.0.0.1";
                    s.Port = 2525;
                    s.Security = SecureSocketOptions.None;
                }
                if (string.IsNullOrWhiteSpace(s.From)) s.From = "platform@regelingen.localhost";
            });
        }
        else
        {
            var smtp = builder.Configuration.GetSection(SmtpSettings.Section).Get<SmtpSettings>();
            if (smtp is null || string.IsNullOrWhiteSpace(smtp.Host) || string.IsNullOrWhiteSpace(smtp.From))
            {
                throw new InvalidOperationException(
                    $"The platform sends mail (invitations, confirmations) by SMTP: set {SmtpSettings.Section}:Host and {SmtpSettings.Section}:From (and Port, Security, UserName, Password as needed).");
            }
        }
        builder.Services.AddSingleton<IMailSender, SmtpMailSender>();
    }

    /// <summary>The SMTP sender on a bare service collection, bound to <c>Platform:Mail:Smtp</c> (hosts that build their own).</summary>
    public static IServiceCollection AddSmtpMail(this IServiceCollection services)
    {
        services.AddOptions<SmtpSettings>().BindConfiguration(SmtpSettings.Section);
        services.AddSingleton<IMailSender, SmtpMailSender>();
        return services;
    }
}
