using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Platform.Identity.Mail;
using Platform.Identity.Persistence;

namespace Platform.Identity.Pages.Dev;

public sealed class OutboxModel(IdentityStore store, IHostEnvironment environment) : PageModel
{
    public IReadOnlyList<OutboxMail> Mails { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        // Mail may hold invitation links: the outbox exists only where mail is not sent.
        if (!environment.IsDevelopment()) return NotFound();
        Mails = await store.LatestAsync(50, cancellationToken);
        return Page();
    }
}
