using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Platform.Tests.Shared;

/// <summary>A mail that reached the SMTP server.</summary>
public sealed record ReceivedMail(string Id, string To, string Subject, string Text, DateTimeOffset At);

/// <summary>
/// smtp4dev (the dotnet tool pinned in the repository's .config/dotnet-tools.json) on 127.0.0.1 with free
/// ports and an in-memory store: the real SMTP path, read back through its HTTP API. One per test assembly.
/// </summary>
public sealed class MailServer : IAsyncDisposable
{
    private Process process;
    private readonly HttpClient http;

    private MailServer(Process process, int smtpPort, Uri web)
    {
        this.process = process;
        SmtpPort = smtpPort;
        WebUrl = web;
        http = new HttpClient { BaseAddress = web };
    }

    public string SmtpHost => "127.0.0.1";

    public int SmtpPort { get; }

    public Uri WebUrl { get; }

    /// <summary>Settings that point a host (the identity server, a silo) at this server.</summary>
    public Dictionary<string, string?> Settings => new()
    {
        ["Platform:Mail:Smtp:Host"] = SmtpHost,
        ["Platform:Mail:Smtp:Port"] = SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Platform:Mail:Smtp:Security"] = "None",
        ["Platform:Mail:Smtp:From"] = "platform@regelingen.test",
    };

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, ".config", "dotnet-tools.json"))) return dir.FullName;
        }
        throw new InvalidOperationException("No .config/dotnet-tools.json above the test assembly.");
    }

    public static async Task<MailServer> StartAsync()
    {
        var root = RepositoryRoot();
        // On an empty NuGet cache the first restore of the two pinned tools can fail (their downloads mix up); the next succeeds.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await RunAsync(root, "tool", "restore");
                break;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                await Task.Delay(TimeSpan.FromSeconds(2));
            }
        }
        var smtpPort = LoopbackPort.Free();
        var web = new Uri($"http://127.0.0.1:{LoopbackPort.Free()}/");
        var server = new MailServer(Launch(root, smtpPort, web), smtpPort, web);
        await server.WaitUntilAnsweringAsync();
        return server;
    }

    private static Process Launch(string root, int smtpPort, Uri web)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "tool", "run", "smtp4dev", "--", $"--urls={web.ToString().TrimEnd('/')}", $"--smtpport={smtpPort}", "--imapport=0", "--pop3port=0",
                     "--db=", "--hostname=127.0.0.1", "--bindaddress=127.0.0.1", "--nousersettings", "--messagestokeep=1000" })
        {
            start.ArgumentList.Add(arg);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("smtp4dev did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private async Task WaitUntilAnsweringAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            try
            {
                using var response = await http.GetAsync("api/messages");
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
            }
            if (DateTime.UtcNow >= deadline || process.HasExited) throw new InvalidOperationException("smtp4dev did not answer within 90 seconds.");
            await Task.Delay(250);
        }
    }

    /// <summary>Stops the server as an outage would (the process and its children killed); nothing listens on its ports until <see cref="StartAgainAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (process.HasExited) return;
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    /// <summary>Starts the server again on the same ports (its in-memory store starts empty).</summary>
    public async Task StartAgainAsync()
    {
        process.Dispose();
        process = Launch(RepositoryRoot(), SmtpPort, WebUrl);
        await WaitUntilAnsweringAsync();
    }

    private static async Task RunAsync(string directory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var run = Process.Start(start)!;
        var output = run.StandardOutput.ReadToEndAsync();
        var error = run.StandardError.ReadToEndAsync();
        await run.WaitForExitAsync();
        if (run.ExitCode != 0) throw new InvalidOperationException($"dotnet {string.Join(' ', args)} failed: {await output}{await error}");
    }

    /// <summary>The mails sent to <paramref name="address"/>, oldest first.</summary>
    public async Task<IReadOnlyList<ReceivedMail>> MailsToAsync(string address)
    {
        var list = await http.GetFromJsonAsync<JsonNode>("api/messages?pageSize=1000");
        var mails = new List<ReceivedMail>();
        foreach (var item in list!["results"]!.AsArray())
        {
            if (!item!["to"]!.AsArray().Any(t => string.Equals(t!.GetValue<string>(), address, StringComparison.OrdinalIgnoreCase))) continue;
            var id = item["id"]!.GetValue<string>();
            var text = await http.GetStringAsync($"api/messages/{id}/plaintext");
            mails.Add(new(id, address, item["subject"]!.GetValue<string>(), text, item["receivedDate"]!.GetValue<DateTimeOffset>()));
        }
        return mails.OrderBy(m => m.At).ToList();
    }

    /// <summary>The SMTP sessions (connections) that began at or after <paramref name="since"/>, with how many mails each carried.</summary>
    public async Task<IReadOnlyList<(DateTimeOffset Start, int Mails)>> SessionsSinceAsync(DateTimeOffset since)
    {
        var list = await http.GetFromJsonAsync<JsonNode>("api/sessions?pageSize=1000");
        return [.. list!["results"]!.AsArray()
            .Select(s => (Start: s!["startDate"]!.GetValue<DateTimeOffset>(), Mails: s["numberOfMessages"]!.GetValue<int>()))
            .Where(s => s.Start >= since)];
    }

    /// <summary>The whole message as it was received (headers and MIME parts), for checking headers.</summary>
    public Task<string> SourceAsync(string id) => http.GetStringAsync($"api/messages/{id}/raw");

    /// <summary>Waits (up to 10 s) for a mail to <paramref name="address"/> whose subject contains <paramref name="subject"/>.</summary>
    public async Task<ReceivedMail> WaitForAsync(string address, string subject)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var found = (await MailsToAsync(address)).LastOrDefault(m => m.Subject.Contains(subject, StringComparison.OrdinalIgnoreCase));
            if (found is not null) return found;
            if (DateTime.UtcNow > deadline) throw new InvalidOperationException($"No mail '{subject}' reached {address}.");
            await Task.Delay(200);
        }
    }

    public async ValueTask DisposeAsync()
    {
        http.Dispose();
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }
}
