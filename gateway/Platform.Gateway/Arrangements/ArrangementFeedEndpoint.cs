using System.ServiceModel.Syndication;
using System.Xml;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Platform.Domain.Access;
using Platform.Domain.Events;
using Platform.Grains;
using Platform.Grains.Arrangements;
using Platform.Grains.Notifications;
using Platform.ReadModel;

namespace Platform.Gateway.Arrangements;

/// <summary>
/// A public Atom feed per arrangement of its proposals, decisions and tariffs, for news readers and municipal
/// websites: <c>GET /arrangements/{id}/feed.atom</c> (Dutch; <c>?lang=en</c> for English). The entries are the
/// arrangement's public events from the event log, newest first; each entry's id is the event's, so a reader
/// shows an entry once. Answers carry an ETag (the newest entry) and may be cached for a minute.
/// </summary>
public static class ArrangementFeedEndpoint
{
    public const int Entries = 50;

    /// <summary>What a news reader wants: proposals opening and closing, decisions taking effect, tariffs. Not the reminders addressed to boards.</summary>
    public static readonly IReadOnlyList<string> FeedTypes =
    [
        EventTypes.ProposalOpinionPeriodOpened, EventTypes.ProposalVotingOpened, EventTypes.ProposalClosed, EventTypes.DecisionTookEffect, EventTypes.DecisionEffectMeasured,
        EventTypes.TariffPublished,
    ];

    public static IEndpointRouteBuilder MapArrangementFeed(this IEndpointRouteBuilder app)
    {
        app.MapGet("/arrangements/{id}/feed.atom", FeedAsync);
        return app;
    }

    private static async Task<IResult> FeedAsync(string id, string? lang, HttpContext http, IGrainFactory grains, IDbContextFactory<ComplaintListStore> store, IOptions<NotificationSettings> settings)
    {
        if (lang is not (null or "nl" or "en"))
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Unknown language", detail: $"'{lang}' is not a language of the feed; use lang=nl (the default) or lang=en.");
        }
        var en = lang == "en";
        using var anonymous = CallerContext.As(Caller.Anonymous);
        if (id.Length > 100 || await grains.GetGrain<IArrangementGrain>(id).GetAsync() is not { } arrangement)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such arrangement", detail: $"No arrangement has the id '{(id.Length > 100 ? id[..100] + "…" : id)}'.");
        }
        await using var db = await store.CreateDbContextAsync(http.RequestAborted);
        var rows = await db.Events.AsNoTracking()
            .Where(e => e.ArrangementId == id && e.Municipality == null && FeedTypes.Contains(e.Type))
            .OrderByDescending(e => e.Sequence).Take(Entries).ToListAsync(http.RequestAborted);
        var tag = $"\"{(rows.Count > 0 ? rows[0].Sequence : 0)}-{(en ? "en" : "nl")}\"";
        http.Response.Headers.ETag = "W/" + tag;
        http.Response.Headers.CacheControl = "public, max-age=60";
        http.Response.Headers.Vary = "Accept-Encoding";
        if (Platform.Gateway.Exports.DataFiles.NotModified(http.Request, tag))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        var web = settings.Value.WebAppUrl;
        var self = new Uri($"{http.Request.Scheme}://{http.Request.Host}{http.Request.Path}{http.Request.QueryString}");
        var events = rows.Select(EventJson.Event).ToList();
        var feed = new SyndicationFeed(
            en ? $"{arrangement.Name}: proposals and decisions" : $"{arrangement.Name}: voorstellen en besluiten",
            en ? $"What the members of {arrangement.Name} propose and decide, and the tariffs that follow." : $"Wat de deelnemers van {arrangement.Name} voorstellen en besluiten, en de tarieven die daaruit volgen.",
            new Uri(web, $"arrangements/{Uri.EscapeDataString(id)}/decisions"))
        {
            Id = $"tag:{web.Host},2026:arrangement/{id}",
            LastUpdatedTime = events.Count > 0 ? events[0].Time : arrangement.CreatedAt,
            Language = en ? "en" : "nl",
            Items = [.. events.Select(e => Entry(e, en, web))],
        };
        feed.Authors.Add(new SyndicationPerson { Name = arrangement.Name });
        feed.Links.Add(SyndicationLink.CreateSelfLink(self, "application/atom+xml"));

        using var buffer = new MemoryStream();
        await using (var writer = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new System.Text.UTF8Encoding(false), Async = true }))
        {
            new Atom10FeedFormatter(feed).WriteTo(writer);
        }
        return Results.Bytes(buffer.ToArray(), "application/atom+xml; charset=utf-8");
    }

    private static SyndicationItem Entry(PlatformEvent e, bool en, Uri web)
    {
        var data = EventData.Arrangement(e)!;
        var (title, lead, note) = NotificationMail.ArrangementWords(e, data, en);
        var page = NotificationMail.PageOf(e, web);
        var item = new SyndicationItem(title, note is null ? lead : $"{lead} {note}", page, $"tag:{web.Host},2026:{e.Id}", e.Time)
        {
            PublishDate = e.Time,
        };
        item.Categories.Add(new SyndicationCategory(e.Type));
        return item;
    }
}
