using Microsoft.Extensions.Options;
using Platform.ServiceDefaults.Mail;

namespace Platform.Identity.Accounts;

/// <summary>The mails about an account, in Dutch and English (the person's language is not known yet), each with its link.</summary>
public sealed class AccountMail(IMailSender mail, IOptions<IdentitySettings> settings, IHttpContextAccessor accessor)
{
    /// <summary>Where mailed links point: the issuer's address, else the one the request came to.</summary>
    public string Origin
    {
        get
        {
            var http = accessor.HttpContext;
            return settings.Value.Issuer?.ToString().TrimEnd('/') ?? $"{http?.Request.Scheme}://{http?.Request.Host}";
        }
    }

    public string Link(string path, string userId, string token) =>
        $"{Origin}{path}?user={Uri.EscapeDataString(userId)}&token={Uri.EscapeDataString(token)}";

    private string Hours => settings.Value.LinkLifetime.TotalHours.ToString("0", System.Globalization.CultureInfo.InvariantCulture);

    public Task ConfirmAsync(string to, string name, string link, CancellationToken cancellationToken) =>
        mail.SendAsync(new(to, "Bevestig uw e-mailadres / Confirm your email address", $"""
            Beste {name},

            Bevestig uw e-mailadres met deze link (hij werkt {Hours} uur); daarna kunt u inloggen:

            {link}

            ---
            Dear {name}, confirm your email address with the link above (it works for {Hours} hours); then you can sign in.
            """), cancellationToken);

    public Task ExistsAsync(string to, string signIn, string reset, CancellationToken cancellationToken) =>
        mail.SendAsync(new(to, "Er bestaat al een account met uw adres / An account with your address exists", $"""
            Iemand probeerde een account aan te maken met dit e-mailadres, maar dat account bestaat al.
            Was u het? Log dan in: {signIn}
            Wachtwoord vergeten? Kies een nieuw: {reset}
            Was u het niet? Dan hoeft u niets te doen.

            ---
            Someone tried to create an account with this address, which has one already. If it was you, sign in
            or choose a new password with the links above. If not, there is nothing you need to do.
            """), cancellationToken);

    public Task ResetAsync(string to, string name, string link, CancellationToken cancellationToken) =>
        mail.SendAsync(new(to, "Nieuw wachtwoord kiezen / Choose a new password", $"""
            Beste {name},

            Kies een nieuw wachtwoord met deze link (hij werkt {Hours} uur):

            {link}

            Vroeg u dit niet aan? Dan hoeft u niets te doen; uw wachtwoord blijft wat het was.

            ---
            Dear {name}, choose a new password with the link above (it works for {Hours} hours). If you did not ask for
            this, there is nothing you need to do.
            """), cancellationToken);
}
