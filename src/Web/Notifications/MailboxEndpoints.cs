using System.Text.RegularExpressions;
using MedSpa.Members;
using MedSpa.Notifications;
using MedSpa.Web.Access;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;

namespace MedSpa.Web.Notifications;

/// <summary>
/// The development mailbox (<c>Notifications:DevelopmentMailbox=true</c> and no SMTP server): what the app "sent", as
/// JSON at <c>/api/v1/mailbox</c> (administrators read the same list on the <c>/mailbox</c> page).
/// </summary>
public static partial class MailboxEndpoints
{
    /// <summary>What the list shows unless asked for another number; the page shows the same.</summary>
    public const int DefaultLimit = 100;

    /// <summary>
    /// Shows sign-in links whole. Off, a sign-in mail's token is hidden: whoever reads the mailbox could otherwise sign
    /// in as any member. <c>./run.sh</c> turns it on, so a developer can sign in as a demo member.
    /// </summary>
    public const string ShowSignInLinksSetting = "Notifications:MailboxShowsSignInLinks";

    public const string Hidden = "(hidden)";

    public static RouteGroupBuilder MapMailbox(this RouteGroupBuilder api)
    {
        api.MapGet("/mailbox", (IGrainFactory grains, IConfiguration configuration, int? limit) => ListAsync(grains, configuration, limit ?? DefaultLimit))
            .RequireAuthorization(StaffAccess.Admin)
            .WithTags("Notifications")
            .WithSummary("Administrators: mail kept by the development mailbox (Notifications:DevelopmentMailbox), newest first; sign-in tokens hidden unless Notifications:MailboxShowsSignInLinks.");
        return api;
    }

    /// <summary>The newest <paramref name="limit"/> messages as the page and the API show them.</summary>
    public static async Task<IReadOnlyList<MailboxMessage>> ListAsync(IGrainFactory grains, IConfiguration configuration, int limit)
    {
        var messages = await grains.GetGrain<IMailboxGrain>(IMailboxGrain.Key).ListAsync(limit);
        return configuration.GetValue<bool>(ShowSignInLinksSetting) ? messages : [.. messages.Select(Redact)];
    }

    private static MailboxMessage Redact(MailboxMessage message) => message.Kind == NoticeKind.MagicLink
        ? message with { Text = Token().Replace(message.Text, $"token={Hidden}"), Html = Token().Replace(message.Html, $"token={Hidden}") }
        : message;

    // Any sign-in link's query, however escaped: the text and the HTML mail both carry it.
    [GeneratedRegex(@"token=[^\s""'<>&]+")]
    private static partial Regex Token();
}
