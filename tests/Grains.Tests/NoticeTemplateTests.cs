using MedSpa.Grains.Notifications;
using MedSpa.Members;
using MimeKit;

namespace MedSpa.Grains.Tests;

/// <summary>Every kind of notice renders a branded mail, in text and HTML, around the notice's own summary.</summary>
public sealed class NoticeTemplateTests
{
    private static readonly NotificationOptions Options = new()
    {
        From = "Glow <hello@glow.test>",
        PracticeName = "Glow & Co",
        BrandColor = "#123456",
    };

    /// <summary>The site the product is reached at; the portal is served under it, at /portal.</summary>
    private static readonly Uri Site = new("https://glow.test/");

    public static TheoryData<NoticeKind> Kinds => [.. Enum.GetValues<NoticeKind>()];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Each_kind_has_a_subject_a_text_and_an_html_body_in_the_practices_name(NoticeKind kind)
    {
        var notice = new NoticeIssued("ntc_1", kind, "ava@example.com", "Your $199.00 <payment> is due on 3 March.") { OccurredAt = DateTimeOffset.UnixEpoch };

        var mail = NoticeTemplates.Render("mem_1", notice, Options, Site);

        Assert.EndsWith(" · Glow & Co", mail.Subject, StringComparison.Ordinal);
        Assert.DoesNotContain("About your membership", mail.Subject, StringComparison.Ordinal);
        Assert.Contains(notice.Summary, mail.Text, StringComparison.Ordinal);
        Assert.Contains("Glow & Co", mail.Text, StringComparison.Ordinal);
        Assert.Contains("Your $199.00 &lt;payment&gt; is due on 3 March.", mail.Html, StringComparison.Ordinal);
        Assert.Contains("Glow &amp; Co", mail.Html, StringComparison.Ordinal);
        Assert.Contains("#123456", mail.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://glow.test/portal//", mail.Text, StringComparison.Ordinal);
        Assert.Equal(("Glow <hello@glow.test>", "ava@example.com", kind), (mail.From, mail.To, mail.Kind));
    }

    [Fact]
    public void Links_point_into_the_portal()
    {
        var failed = NoticeTemplates.Render("mem_1", new NoticeIssued("ntc_1", NoticeKind.PaymentFailed, "a@b.c", "Declined.") { OccurredAt = DateTimeOffset.UnixEpoch }, Options, Site);
        Assert.Contains("Update your card: https://glow.test/portal/members/mem_1/card", failed.Text, StringComparison.Ordinal);
        Assert.Contains("href=\"https://glow.test/portal/members/mem_1/card\"", failed.Html, StringComparison.Ordinal);

        var increase = NoticeTemplates.Render("mem_1", new NoticeIssued("price-increase:prc_9", NoticeKind.PriceIncrease, "a@b.c", "Up.") { OccurredAt = DateTimeOffset.UnixEpoch }, Options, Site);
        Assert.Contains("https://glow.test/portal/members/mem_1/price-changes/prc_9", increase.Text, StringComparison.Ordinal);

        // A site served under a path keeps it, with or without the closing slash.
        foreach (var under in new[] { "https://glow.test/spa", "https://glow.test/spa/" })
        {
            var served = NoticeTemplates.Render("mem_1", new NoticeIssued("ntc_1", NoticeKind.PaymentFailed, "a@b.c", "Declined.") { OccurredAt = DateTimeOffset.UnixEpoch }, Options, new Uri(under));
            Assert.Contains("Update your card: https://glow.test/spa/portal/members/mem_1/card\n", served.Text.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(NoticeKind.PaymentReceipt, "Your payment receipt", "See your payments", "https://glow.test/portal/members/mem_1/payments")]
    [InlineData(NoticeKind.CreditsExpiring, "Your credits expire soon", "Book a visit", "https://glow.test/portal/book")]
    [InlineData(NoticeKind.CardExpiring, "Your card on file expires soon", "Update your card", "https://glow.test/portal/members/mem_1/card")]
    public void A_receipt_links_to_the_payments_credits_about_to_lapse_to_booking_and_an_expiring_card_to_updating_it(
        NoticeKind kind, string subject, string action, string link)
    {
        var mail = NoticeTemplates.Render("mem_1", new NoticeIssued("ntc_1", kind, "a@b.c", "Soon.") { OccurredAt = DateTimeOffset.UnixEpoch }, Options, Site);

        Assert.Equal($"{subject} · Glow & Co", mail.Subject);
        Assert.Contains($"{action}: {link}", mail.Text, StringComparison.Ordinal);
        Assert.Contains($"href=\"{link}\"", mail.Html, StringComparison.Ordinal);
        Assert.Contains($">{action}</a>", mail.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_sign_in_mail_carries_its_token_in_the_link_and_only_there()
    {
        var notice = new NoticeIssued("sign-in:1", NoticeKind.MagicLink, "a@b.c", "Works once, within 15 minutes.") { OccurredAt = DateTimeOffset.UnixEpoch };

        var mail = NoticeTemplates.RenderSignInLink("mem_1", notice, Options, Site, "tok-_en");

        Assert.Contains("Sign in: https://glow.test/portal/sign-in?token=tok-_en", mail.Text, StringComparison.Ordinal);
        Assert.Contains("href=\"https://glow.test/portal/sign-in?token=tok-_en\"", mail.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("tok-_en", mail.Subject + mail.MessageId + mail.NoticeId, StringComparison.Ordinal);
        // Without a token (the outbox, which never sends these) the link is the page that sends a fresh one.
        Assert.Contains("https://glow.test/portal/sign-in\n", NoticeTemplates.Render("mem_1", notice, Options, Site).Text.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => NoticeTemplates.RenderSignInLink("mem_1", notice with { Kind = NoticeKind.PaymentFailed }, Options, Site, "tok"));
    }

    [Fact]
    public void The_message_id_is_the_same_for_every_attempt_and_valid_in_a_mail_header()
    {
        var notice = new NoticeIssued("price-increase:prc_9", NoticeKind.PriceIncrease, "a@b.c", "Up.") { OccurredAt = DateTimeOffset.UnixEpoch };
        var first = NoticeTemplates.Render("mem_1", notice, Options, Site);
        var again = NoticeTemplates.Render("mem_1", notice, Options, Site);
        Assert.Equal(first.MessageId, again.MessageId);
        Assert.NotEqual(first.MessageId, NoticeTemplates.Render("mem_2", notice, Options, Site).MessageId);

        using var message = SmtpMailTransport.Compose(first, DateTimeOffset.UnixEpoch);
        Assert.Equal(first.MessageId, message.MessageId);
        Assert.Equal($"<{first.MessageId}>", message.Headers[HeaderId.MessageId]);
    }
}
