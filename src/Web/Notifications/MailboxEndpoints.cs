using MedSpa.Notifications;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace MedSpa.Web.Notifications;

/// <summary>
/// The development mailbox: what the app "sent" while no SMTP server is configured, as JSON at <c>/api/v1/mailbox</c>
/// (staff read the same list on the <c>/mailbox</c> page).
/// </summary>
public static class MailboxEndpoints
{
    /// <summary>What the list shows unless asked for another number; the page shows the same.</summary>
    public const int DefaultLimit = 100;

    public static RouteGroupBuilder MapMailbox(this RouteGroupBuilder api)
    {
        api.MapGet("/mailbox", (IGrainFactory grains, int? limit) => Mailbox(grains).ListAsync(limit ?? DefaultLimit))
            .WithTags("Notifications")
            .WithSummary("Mail kept by the development mailbox (no Notifications:Smtp:Host), newest first.");
        return api;
    }

    private static IMailboxGrain Mailbox(IGrainFactory grains) => grains.GetGrain<IMailboxGrain>(IMailboxGrain.Key);
}
