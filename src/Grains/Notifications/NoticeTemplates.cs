using System.Net;
using MedSpa.Members;

namespace MedSpa.Grains.Notifications;

/// <summary>
/// The mail for each kind of notice, in text and HTML, in the practice's name and colour. The notice's summary (written
/// by the decision that issued it: amounts, dates, what happens next) is the body; the template adds the greeting, the
/// subject, the one thing to do (a portal link) and the signature. Pure: no I/O, the same notice renders the same mail.
/// </summary>
public static class NoticeTemplates
{
    private sealed record Template(string Subject, string Heading, string? Action = null, string? Path = null);

    /// <summary>Where the web app serves the member portal, under the site's root.</summary>
    private const string PortalPath = "portal";

    /// <summary>The notice's mail, its link (if any) into the portal of the site at <paramref name="site"/> (<see cref="IPublicAddress"/>).</summary>
    public static OutgoingMail Render(string memberId, NoticeIssued notice, NotificationOptions options, Uri site) =>
        Render(memberId, notice, options, site, query: "");

    /// <summary>
    /// The sign-in mail with its one-time link, <c>{site}/portal/sign-in?token=…</c>. The token is an argument rather
    /// than part of the notice because the notice is stored and the token must not be; this mail is its only copy.
    /// </summary>
    public static OutgoingMail RenderSignInLink(string memberId, NoticeIssued notice, NotificationOptions options, Uri site, string token)
    {
        ArgumentNullException.ThrowIfNull(notice);
        ArgumentException.ThrowIfNullOrEmpty(token);
        return notice.Kind == NoticeKind.MagicLink
            ? Render(memberId, notice, options, site, $"?token={Uri.EscapeDataString(token)}")
            : throw new ArgumentException($"A {notice.Kind} notice carries no sign-in link.", nameof(notice));
    }

    private static OutgoingMail Render(string memberId, NoticeIssued notice, NotificationOptions options, Uri site, string query)
    {
        ArgumentNullException.ThrowIfNull(notice);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(site);
        var practice = options.PracticeName;
        var template = For(memberId, notice);
        var link = template.Path is null ? null : $"{site.AbsoluteUri.TrimEnd('/')}/{PortalPath}/{template.Path}{query}";
        var subject = $"{template.Subject} · {practice}";

        var text = $"""
            {template.Heading}

            {notice.Summary}
            {(link is null ? "" : $"\n{template.Action}: {link}\n")}
            {practice}
            """;

        var color = WebUtility.HtmlEncode(options.BrandColor);
        var button = link is null ? "" : $"""
            <p><a href="{WebUtility.HtmlEncode(link)}" style="display:inline-block;padding:.6rem 1.1rem;border-radius:4px;background:{color};color:#fff;text-decoration:none">{WebUtility.HtmlEncode(template.Action)}</a></p>
            """;
        var html = $"""
            <!doctype html>
            <html lang="en">
            <head><meta charset="utf-8"><title>{WebUtility.HtmlEncode(subject)}</title></head>
            <body style="font-family:system-ui,sans-serif;color:#222;max-width:36rem;margin:1.5rem auto;padding:0 1rem">
            <p style="font-size:1.2rem;font-weight:600;color:{color}">{WebUtility.HtmlEncode(practice)}</p>
            <h1 style="font-size:1.3rem">{WebUtility.HtmlEncode(template.Heading)}</h1>
            <p>{WebUtility.HtmlEncode(notice.Summary)}</p>
            {button}
            <p style="color:#666;font-size:.9rem">{WebUtility.HtmlEncode(practice)}</p>
            </body>
            </html>
            """;

        return new OutgoingMail(MessageIdOf(memberId, notice.NoticeId), options.From, notice.Email, subject, text, html, memberId, notice.NoticeId, notice.Kind);
    }

    /// <summary>
    /// The Message-Id (without angle brackets) every attempt at this notice carries. Notice ids hold characters a
    /// Message-Id may not (<c>price-increase:chg_1</c>), so anything but letters, digits, '.', '_' and '-' becomes '-'.
    /// </summary>
    public static string MessageIdOf(string memberId, string noticeId) =>
        $"{Atom(noticeId)}.{Atom(memberId)}@medspa";

    private static string Atom(string value) =>
        string.Concat(value.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '-'));

    private static Template For(string memberId, NoticeIssued notice)
    {
        var member = $"members/{Uri.EscapeDataString(memberId)}";
        return notice.Kind switch
        {
            NoticeKind.PaymentFailed => new("Your membership payment didn't go through", "We couldn't take your membership payment",
                "Update your card", $"{member}/card"),
            NoticeKind.AuthenticationRequired => new("Please confirm your membership payment", "Your bank asks you to confirm this payment",
                "Confirm the payment", $"{member}/payments"),
            NoticeKind.FinalNoticeSuspended => new("Your membership is suspended", "Your membership is suspended",
                "Update your card", $"{member}/card"),
            NoticeKind.CancelledForNonPayment => new("Your membership has been cancelled", "Your membership has been cancelled"),
            // Nothing to do in the portal: enrolling again is done with the clinic, which signs a new agreement.
            NoticeKind.EnrolmentLapsed => new("Your membership did not start", "Your membership enrolment has lapsed"),
            NoticeKind.PaymentReceipt => new("Your payment receipt", "Thank you for your payment", "See your payments", $"{member}/payments"),
            NoticeKind.PriceIncrease => new("Your membership price is changing", "Your membership price is changing",
                "Review and confirm", notice.NoticeId.StartsWith("price-increase:", StringComparison.Ordinal)
                    ? $"{member}/price-changes/{Uri.EscapeDataString(notice.NoticeId["price-increase:".Length..])}"
                    : member),
            NoticeKind.DisputeOpened => new("A member disputed a charge", "A charge was disputed with the member's bank"),
            // The one useful thing to do with credits about to lapse is to book the visit that uses them.
            NoticeKind.CreditsExpiring => new("Your credits expire soon", "Use your credits before they expire", "Book a visit", "book"),
            NoticeKind.CardExpiring => new("Your card on file expires soon", "Your card on file expires soon", "Update your card", $"{member}/card"),
            NoticeKind.TermRenewal => new("Your membership renews soon", "Your minimum term ends soon", "Manage your membership", member),
            NoticeKind.MembershipPaused => new("Your membership is paused", "Your membership is paused", "Manage your membership", member),
            NoticeKind.MembershipResumed => new("Your membership is active again", "Welcome back: your pause is over", "See your credits", $"{member}/credits"),
            NoticeKind.CancellationConfirmed => new("Your cancellation is confirmed", "Your cancellation is confirmed"),
            NoticeKind.CancellationWithdrawn => new("Your membership carries on", "Your cancellation is withdrawn", "Manage your membership", member),
            NoticeKind.MembershipEnded => new("Your membership has ended", "Your membership has ended", "Come back any time", $"{member}/reactivate"),
            NoticeKind.ReactivationOffer => new("Come back to your membership", "We'd love to see you again", "Rejoin", $"{member}/reactivate"),
            // Rendered by the outbox (without a token) this is a link to the page that sends a fresh one.
            NoticeKind.MagicLink => new("Your sign-in link", "Sign in to your membership", "Sign in", "sign-in"),
            // A kind added without a template still reaches its recipient, with a plain wording.
            _ => new("About your membership", "About your membership", "Open your membership", member),
        };
    }
}
