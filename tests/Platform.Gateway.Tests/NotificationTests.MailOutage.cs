using System.Diagnostics;
using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Platform.ReadModel;

namespace Platform.Gateway.Tests;

/// <summary>
/// The SMTP server down for a minute (its process killed, nothing listening) while a resident's complaint moves:
/// once it is back every mail arrives, none twice. It takes a minute, so the PostgreSQL run of this suite leaves it
/// out (the database plays no part in it).
/// </summary>
public sealed partial class NotificationTests
{
    [Fact]
    public async Task With_the_mail_server_down_for_a_minute_every_mail_arrives_once_it_is_back_and_none_twice()
    {
        var email = NewAddress("storing");
        var token = await fixture.DedicatedCitizenTokenAsync(email, "GM0405");
        var down = Stopwatch.StartNew();
        await fixture.Mail.StopAsync();
        string complaint;
        try
        {
            using (var probe = new TcpClient())
            {
                await Assert.ThrowsAnyAsync<SocketException>(async () => await probe.ConnectAsync("127.0.0.1", fixture.Mail.SmtpPort));
            }
            complaint = await FileWithAsync(token);
            await ActAsync(complaint, "ACKNOWLEDGE");
            await ActAsync(complaint, "RESOLVE");
            var remaining = TimeSpan.FromMinutes(1) - down.Elapsed;
            if (remaining > TimeSpan.Zero) await Task.Delay(remaining);
        }
        finally
        {
            await fixture.Mail.StartAgainAsync();
        }

        // Failed attempts were recorded while it was down; then both arrive, and nothing more after another round or two.
        await using (var db = await fixture.Services.GetRequiredService<IDbContextFactory<ComplaintListStore>>().CreateDbContextAsync())
        {
            var attempts = await db.Deliveries.AsNoTracking().Where(d => d.Recipient == email).Select(d => d.Attempts).ToListAsync();
            Assert.Equal(2, attempts.Count);
            Assert.All(attempts, a => Assert.True(a >= 3, $"{a} attempts in a minute's outage"));
        }
        await WaitUntilAsync(async () => (await fixture.Mail.MailsToAsync(email)).Count >= 2, "both mails after the outage");
        await Task.Delay(TimeSpan.FromSeconds(5));
        var mails = await fixture.Mail.MailsToAsync(email);
        Assert.Equal(2, mails.Count);
        Assert.EndsWith(": in behandeling genomen", mails[0].Subject, StringComparison.Ordinal);
        Assert.EndsWith(": opgelost", mails[1].Subject, StringComparison.Ordinal);
        await using (var db = await fixture.Services.GetRequiredService<IDbContextFactory<ComplaintListStore>>().CreateDbContextAsync())
        {
            Assert.All(await db.Deliveries.AsNoTracking().Where(d => d.Recipient == email).ToListAsync(), d => Assert.Equal((DeliveryStatus.Sent, (string?)null), (d.Status, d.LastError)));
        }
    }
}
