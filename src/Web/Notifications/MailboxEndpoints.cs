using System.Globalization;
using System.Net;
using System.Text;
using MedSpa.Notifications;
using MedSpa.Web.Access;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace MedSpa.Web.Notifications;

/// <summary>
/// The development mailbox: what the app "sent" while no SMTP server is configured. A page for staff at <c>/mailbox</c>
/// and the same list as JSON at <c>/api/v1/mailbox</c>.
/// </summary>
public static class MailboxEndpoints
{
    private const int DefaultLimit = 100;

    public static RouteGroupBuilder MapMailbox(this RouteGroupBuilder api)
    {
        api.MapGet("/mailbox", (IGrainFactory grains, int? limit) => Mailbox(grains).ListAsync(limit ?? DefaultLimit))
            .WithTags("Notifications")
            .WithSummary("Mail kept by the development mailbox (no Notifications:Smtp:Host), newest first.");
        return api;
    }

    public static IEndpointRouteBuilder MapMailboxPage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/mailbox", async (IGrainFactory grains) =>
        {
            var messages = await Mailbox(grains).ListAsync(DefaultLimit);
            var body = new StringBuilder("""
                <h1>Mailbox</h1>
                <p>Mail the app sent while no SMTP server is configured (<code>Notifications:Smtp:Host</code>), newest first.</p>
                """);
            if (messages.Length == 0)
            {
                body.Append("<p>Nothing yet.</p>");
            }

            foreach (var m in messages)
            {
                body.Append(CultureInfo.InvariantCulture, $"""
                    <article>
                      <h2>{E(m.Subject)}</h2>
                      <p>To <strong>{E(m.To)}</strong> from {E(m.From)}, {E(m.SentAt.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture))}{(m.Kind is { } kind ? $" · {E(kind.ToString())}" : "")}</p>
                      <pre style="white-space:pre-wrap;background:#f6f3fa;padding:.75rem">{E(m.Text)}</pre>
                      <p><small>Message-Id {E(m.MessageId)}{(m.MemberId is { } id ? $" · member {E(id)}" : "")}</small></p>
                    </article>
                    """);
            }

            return Results.Content(Page.Render("Mailbox", body.ToString()), "text/html");
        }).RequireAuthorization(StaffAccess.Staff).ExcludeFromDescription();
        return app;
    }

    private static IMailboxGrain Mailbox(IGrainFactory grains) => grains.GetGrain<IMailboxGrain>(IMailboxGrain.Key);

    private static string E(string value) => WebUtility.HtmlEncode(value);
}
