using System.Text.Json;
using Microsoft.Playwright;

namespace Platform.EndToEnd.Tests;

/// <summary>
/// Debian's Chromium driven by Playwright, installed by the test run itself when missing (apt-get, as
/// root), and axe-core from npm (tests/browser) to scan every page for WCAG 2.2 A and AA (with 2.0 and 2.1).
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";
    private IPlaywright? playwright;

    public IBrowser Browser { get; private set; } = null!;

    public string AxeScript { get; private set; } = "";

    /// <summary>Screenshots of each journey's steps: artifacts/screenshots in the repository (git-ignored).</summary>
    public string ScreenshotFolder { get; } = Path.Combine(Repository.Root, "artifacts", "screenshots");

    public async Task InitializeAsync()
    {
        if (!File.Exists(Chromium))
        {
            await Repository.RunOrThrowAsync("apt-get", ["update", "-qq"], ".");
            await Repository.RunOrThrowAsync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", "chromium"], ".",
                environment: new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" });
        }
        var browserFolder = Path.Combine(Repository.Root, "tests", "browser");
        await Repository.RunOrThrowAsync("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], browserFolder);
        AxeScript = Path.Combine(browserFolder, "node_modules", "axe-core", "axe.min.js");
        if (Directory.Exists(ScreenshotFolder)) Directory.Delete(ScreenshotFolder, recursive: true); // this run's steps only
        Directory.CreateDirectory(ScreenshotFolder);

        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium,
            Headless = true,
            // Without the background-networking flags Chromium tries to reach Google's hosts, which this machine refuses.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        playwright?.Dispose();
    }
}

/// <summary>One person's browser: a context of its own (cookies), a page, and every request it made.</summary>
public sealed class WebSession : IAsyncDisposable
{
    private readonly BrowserFixture browser;
    private readonly Uri web;
    private readonly string journey;
    private int step;

    private WebSession(BrowserFixture browser, IBrowserContext context, IPage page, Uri web, string journey)
    {
        this.browser = browser;
        Context = context;
        Page = page;
        this.web = web;
        this.journey = journey;
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    /// <summary>What the pages' Content-Security-Policy blocked (their own scripts, styles or images would show here).</summary>
    public List<string> PolicyViolations { get; } = [];

    /// <summary>Every URL the browser asked for, pages and their resources alike.</summary>
    public List<string> Requests { get; } = [];

    public static async Task<WebSession> OpenAsync(BrowserFixture browser, Uri web, string journey, int width = 1280, bool javaScript = true)
    {
        var context = await browser.Browser.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = 900 }, Locale = "nl-NL", JavaScriptEnabled = javaScript });
        var page = await context.NewPageAsync();
        var session = new WebSession(browser, context, page, web, journey);
        context.Request += (_, request) => { lock (session.Requests) session.Requests.Add(request.Url); };
        // The pages' Content-Security-Policy stays enforced in every test: what it blocks is reported here.
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) lock (session.PolicyViolations) session.PolicyViolations.Add($"{page.Url}: {message.Text}");
        };
        return session;
    }

    public async Task GotoAsync(string path)
    {
        var response = await Page.GotoAsync(new Uri(web, path).ToString());
        Assert.True(response is { Ok: true }, $"{path}: HTTP {response?.Status}");
    }

    /// <summary>Signs in through the identity server's form (code flow with PKCE) and lands back on the web app.</summary>
    public async Task SignInAsync(string email, string returnUrl = "/")
    {
        await Page.GotoAsync(new Uri(web, $"/account/signin?returnUrl={Uri.EscapeDataString(returnUrl)}").ToString());
        await Page.FillAsync("#email", email);
        await Page.FillAsync("#password", "Demo!2345");
        await Page.ClickAsync("button[type=submit]");
        await Page.WaitForURLAsync(url => url.StartsWith(web.ToString(), StringComparison.Ordinal));
    }

    /// <summary>Opens the invitation mailed to <paramref name="email"/> (read from the platform's SMTP server) and chooses the demo password.</summary>
    public async Task AcceptInvitationAsync(PlatformFixture platform, string email)
    {
        var mail = await platform.MailTextAsync(email, "account");
        await Page.GotoAsync(System.Text.RegularExpressions.Regex.Match(mail, @"http://127\.0\.0\.1:\d+/account/invitation\?user=\S+").Value);
        await Page.FillAsync("#password", "Demo!2345");
        await Page.FillAsync("#confirm", "Demo!2345");
        await Page.ClickAsync("main button[type=submit]");
        Assert.Contains("Uw wachtwoord is ingesteld", await Page.InnerTextAsync("main"));
    }

    /// <summary>An organisation's admin invites someone on the people page.</summary>
    public async Task InviteAsync(string email, string name, string role)
    {
        await GotoAsync("/console/people");
        await Page.FillAsync("#invite-email", email);
        await Page.FillAsync("#invite-name", name);
        await Page.SelectOptionAsync("#invite-role", role);
        await Page.ClickAsync("section[aria-labelledby=invite] button[type=submit]");
        await ExpectAsync("[role=status]");
    }

    /// <summary>On an incident's page: records the decision at the level it is at, resolving the incident, and waits for the confirmation.</summary>
    public async Task ResolveIncidentAsync(string decision)
    {
        await Page.FillAsync("#decision-text", decision);
        await Page.CheckAsync("#decision-resolves");
        await Page.ClickAsync("section[aria-labelledby=decide] button[type=submit]");
        await ExpectAsync("[role=status]");
    }

    /// <summary>Waits for an element; on a timeout the failure shows where the browser is and what the page says.</summary>
    public async Task ExpectAsync(string selector)
    {
        try
        {
            await Page.WaitForSelectorAsync(selector, new() { Timeout = 15_000 });
        }
        catch (TimeoutException)
        {
            var text = await Page.InnerTextAsync("body");
            Assert.Fail($"'{selector}' did not appear at {Page.Url}. The page says:\n{text[..Math.Min(text.Length, 3000)]}");
        }
    }

    /// <summary>axe-core with the WCAG 2.0, 2.1 and 2.2 A and AA tags on the page as it is now; returns the violations in words.</summary>
    public async Task<IReadOnlyList<string>> AxeAsync()
    {
        // Evaluated by the browser's debugging protocol, not as a script tag: the page's policy (no scripts but its
        // own) rightly refuses a tag, and stays on for the page itself.
        await Page.EvaluateAsync(await File.ReadAllTextAsync(browser.AxeScript));
        var result = await Page.EvaluateAsync<JsonElement>("""
            async () => {
              const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } });
              return r.violations.map(v => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')}`);
            }
            """);
        List<string> violations = [.. result.EnumerateArray().Select(v => $"{Page.Url}: {v.GetString()}")];
        lock (PolicyViolations) violations.AddRange(PolicyViolations.Select(v => "Content-Security-Policy: " + v));
        return violations;
    }

    /// <summary>Scans the page (0 violations expected) and saves a screenshot as this journey's next step.</summary>
    public async Task CheckAsync(string name)
    {
        step++;
        await Page.ScreenshotAsync(new() { Path = Path.Combine(browser.ScreenshotFolder, $"{journey}-{step:00}-{name}.png"), FullPage = true });
        var violations = await AxeAsync();
        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    /// <summary>No request went anywhere but this machine (no CDN, no fonts, no telemetry).</summary>
    public void AssertOnlyLocalRequests()
    {
        lock (Requests)
        {
            Assert.NotEmpty(Requests);
            var external = Requests.Where(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Host != "127.0.0.1").ToList();
            Assert.True(external.Count == 0, "Requests off this machine: " + string.Join(", ", external.Distinct()));
        }
    }

    public async ValueTask DisposeAsync()
    {
        AssertOnlyLocalRequests();
        await Context.DisposeAsync();
    }
}
