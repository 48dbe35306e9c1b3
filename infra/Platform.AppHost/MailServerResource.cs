namespace Platform.AppHost;

/// <summary>
/// smtp4dev, a real SMTP server for development, as the dotnet tool pinned in .config/dotnet-tools.json:
/// restored (like Azurite's npm install), then run on 127.0.0.1 with its web page and HTTP API beside it.
/// Every mail the platform sends lands there; nothing leaves the machine.
/// </summary>
public static class MailServerResource
{
    public static IResourceBuilder<ExecutableResource> AddMailServer(this IDistributedApplicationBuilder builder, LocalPlatformSettings settings)
    {
        Directory.CreateDirectory(settings.MailDataPath);
        // On an empty NuGet cache `dotnet tool restore` of the two pinned tools at once can fail with "the command dotnet-ef
        // ... is not contained in the package" (the downloads mix up); the same restore then succeeds. Without the retry the
        // mail server never started, and with it everything that sends mail: the run command hung on a fresh machine.
        var restore = builder.AddExecutable("smtp4dev-install", "bash", settings.RepositoryRoot,
            "-c", "for attempt in 1 2 3; do dotnet tool restore && exit 0; sleep 2; done; exit 1");
        return builder.AddExecutable("mail", "dotnet", settings.RepositoryRoot,
                "tool", "run", "smtp4dev", "--",
                $"--urls={settings.MailWebUrl.TrimEnd('/')}",
                $"--smtpport={settings.SmtpPort}", "--imapport=0", "--pop3port=0",
                "--hostname=127.0.0.1", "--bindaddress=127.0.0.1", "--nousersettings",
                $"--baseappdatapath={settings.MailDataPath}", "--db=smtp4dev.db")
            .WithHttpEndpoint(port: settings.MailWebPort, name: "http", isProxied: false)
            .WithHttpHealthCheck("/api/messages")
            .WaitForCompletion(restore);
    }

    /// <summary>Points a project's mail at the local SMTP server (both the identity server and the silo send mail).</summary>
    public static IResourceBuilder<ProjectResource> WithLocalMail(this IResourceBuilder<ProjectResource> project, LocalPlatformSettings settings, IResourceBuilder<ExecutableResource> mail) =>
        project
            .WithEnvironment("Platform__Mail__Smtp__Host", "127.0.0.1")
            .WithEnvironment("Platform__Mail__Smtp__Port", settings.SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithEnvironment("Platform__Mail__Smtp__Security", "None")
            .WithEnvironment("Platform__Mail__Smtp__From", "platform@regelingen.localhost")
            .WaitFor(mail);
}
