using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Platform.ServiceDefaults.Mail;

namespace Platform.Gateway.Tests;

/// <summary>The SMTP sender's connection for a batch (the notifier's round), against the real smtp4dev.</summary>
[Collection(GatewayCollection.Name)]
public sealed class MailConnectionTests(GatewayFixture fixture)
{
    private SmtpMailSender Sender(int? port = null) => new(Options.Create(new SmtpSettings
    {
        Host = fixture.Mail.SmtpHost,
        Port = port ?? fixture.Mail.SmtpPort,
        Security = MailKit.Security.SecureSocketOptions.None,
        From = "platform@regelingen.test",
    }), NullLogger<SmtpMailSender>.Instance);

    [Fact]
    public async Task A_batch_of_seven_mails_travels_over_one_connection_and_every_mail_arrives()
    {
        var to = $"batch-{Guid.NewGuid():N}@mail.test";
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        await using (var connection = await Sender().ConnectAsync(CancellationToken.None))
        {
            for (var i = 1; i <= 7; i++) await connection.SendAsync(new(to, $"Batch mail {i}", $"Mail {i} of 7"), CancellationToken.None);
        }
        var mails = await fixture.Mail.MailsToAsync(to);
        Assert.Equal(Enumerable.Range(1, 7).Select(i => $"Batch mail {i}"), mails.Select(m => m.Subject).Order(StringComparer.Ordinal));
        // One session carried all seven; mail sent one by one would show seven sessions of one.
        Assert.Contains(await fixture.Mail.SessionsSinceAsync(since), s => s.Mails == 7);
    }

    [Fact]
    public async Task A_server_that_cannot_be_reached_fails_every_mail_of_the_batch_after_one_attempt_to_connect()
    {
        // A port that accepts and hangs up at once: not an SMTP server. Each accepted connection is counted.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var accepted = 0;
        using var stop = new CancellationTokenSource();
        var accepting = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var client = await listener.AcceptTcpClientAsync(stop.Token);
                Interlocked.Increment(ref accepted);
            }
        });
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var failures = new List<Exception>();
        await using (var connection = await Sender(port).ConnectAsync(CancellationToken.None))
        {
            for (var i = 0; i < 3; i++)
            {
                try
                {
                    await connection.SendAsync(new("someone@mail.test", "Never sent", "x"), CancellationToken.None);
                }
                catch (Exception ex) when (ex is IOException or MailKit.ProtocolException or SocketException)
                {
                    failures.Add(ex);
                }
            }
        }
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => accepting);
        Assert.Equal(3, failures.Count);
        Assert.Equal(1, accepted);
        Assert.All(failures.Skip(1), f => Assert.StartsWith("The mail server could not be reached", f.Message, StringComparison.Ordinal));
    }
}
