using System.Net.Http.Json;
using System.Text.Json;
using MedSpa.Members;
using MedSpa.Tests;

namespace MedSpa.Web.Tests;

/// <summary>Notices leave by SMTP (MailKit) to a real server, smtp4dev, in the practice's name, and are recorded sent once.</summary>
public sealed class NoticeDeliveryTests(SmtpClinicFixture fixture) : IClassFixture<SmtpClinicFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly HttpClient _admin = fixture.Silo.AdminClient();

    [Fact]
    public async Task A_failed_renewal_is_mailed_to_the_member_in_the_practices_name_and_recorded_sent_once()
    {
        var id = await Notices.FailedRenewalAsync(_admin, fixture.Clinic, "Nia", "Notice");
        var issued = await Notices.OfTypeAsync(_admin, id, "notice_issued");
        // The first month was paid on a good card (its receipt), then the renewal was declined.
        Assert.Equal(["payment_receipt", "payment_failed"], issued.Select(n => n.GetProperty("kind").GetString()));
        var notice = issued[^1];
        var email = notice.GetProperty("email").GetString()!;
        var noticeId = notice.GetProperty("noticeId").GetString()!;

        var arrived = await Eventually.Until(
            async () => (await fixture.Mail.MessagesAsync()).Where(m => m.GetProperty("to").EnumerateArray().Any(t => t.GetString() == email)).ToList(),
            list => list.Count >= issued.Count, Patience, $"the receipt and the payment_failed mail to {email}");
        Assert.Equal(issued.Count, arrived.Count);
        var message = Assert.Single(arrived, m => m.GetProperty("subject").GetString()!.Contains("didn't go through", StringComparison.Ordinal));
        var subject = message.GetProperty("subject").GetString()!;
        Assert.Contains(SmtpClinicFixture.PracticeName, subject, StringComparison.Ordinal);
        Assert.Equal("hello@glow.test", message.GetProperty("from").GetString());

        var messageId = message.GetProperty("id").GetString()!;
        var text = await fixture.Mail.PlainTextAsync(messageId);
        Assert.Contains(notice.GetProperty("summary").GetString()!, text, StringComparison.Ordinal);
        Assert.Contains(SmtpClinicFixture.PracticeName, text, StringComparison.Ordinal);
        Assert.Contains($"{SmtpClinicFixture.PortalUrl}/members/{id}/card", text, StringComparison.Ordinal);
        var html = await fixture.Mail.HtmlAsync(messageId);
        Assert.Contains(SmtpClinicFixture.PracticeName, html, StringComparison.Ordinal);
        Assert.Contains($"href=\"{SmtpClinicFixture.PortalUrl}/members/{id}/card\"", html, StringComparison.Ordinal);

        var sent = await Eventually.Until(() => Notices.OfTypeAsync(_admin, id, "notice_sent"), s => s.Count >= issued.Count, Patience, "notice_sent");
        var header = (await fixture.Mail.MessageAsync(messageId)).GetProperty("headers").EnumerateArray()
            .Single(h => h.GetProperty("name").GetString()!.Equals("Message-Id", StringComparison.OrdinalIgnoreCase)).GetProperty("value").GetString();
        var failedSent = Assert.Single(sent, s => s.GetProperty("noticeId").GetString() == noticeId);
        Assert.Equal($"<{failedSent.GetProperty("messageId").GetString()}>", header);
        Assert.Equal(email, failedSent.GetProperty("to").GetString());

        // Waking the member again (a reminder, the billing run) hands over nothing new: still one mail and one
        // notice_sent per notice.
        var now = (await _admin.GetFromJsonAsync<JsonElement>("/api/v1/admin/clock")).GetProperty("now").GetDateTimeOffset();
        await fixture.Silo.Grains.GetGrain<IMemberGrain>(id).WakeAsync(now);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(
            issued.Select(n => n.GetProperty("noticeId").GetString()).Order(),
            (await Notices.OfTypeAsync(_admin, id, "notice_sent")).Select(s => s.GetProperty("noticeId").GetString()).Order());
        Assert.Equal(issued.Count, (await fixture.Mail.MessagesAsync()).Count(m => m.GetProperty("to").EnumerateArray().Any(t => t.GetString() == email)));
    }

    [Fact]
    public async Task A_card_payment_is_mailed_a_receipt_and_a_card_about_to_expire_is_mailed_on_the_first_of_the_month_before()
    {
        var clinic = fixture.Clinic;
        var id = await clinic.RegisterAsync("Rae", "Receipt");
        (await _admin.PostAsJsonAsync($"/api/v1/members/{id}/payment-method", new { paymentMethodId = "pm_card_visa" })).EnsureSuccessStatusCode();
        (await _admin.PostAsJsonAsync($"/api/v1/members/{id}/enrolment",
            new { planId = clinic.PremiumPlanId, agreement = new { signedName = "Rae Receipt", accepted = true } })).EnsureSuccessStatusCode();

        // The first month, charged on the card at enrolment.
        var payment = Assert.Single((await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{id}/payments"))!);
        var paymentId = payment.GetProperty("paymentId").GetString()!;
        var receipt = Assert.Single(await Notices.OfTypeAsync(_admin, id, "notice_issued"), n => n.GetProperty("kind").GetString() == "payment_receipt");
        Assert.Equal($"receipt:{paymentId}", receipt.GetProperty("noticeId").GetString());
        var email = receipt.GetProperty("email").GetString()!;
        var receiptMail = await MailAsync(email, "Your payment receipt");
        var receiptText = await fixture.Mail.PlainTextAsync(receiptMail.GetProperty("id").GetString()!);
        Assert.Contains("We received 199.00 USD for your Premium membership", receiptText, StringComparison.Ordinal);
        Assert.Contains($"charged to your Visa card ending in 4242. Payment reference: {paymentId}.", receiptText, StringComparison.Ordinal);
        Assert.Contains($"See your payments: {SmtpClinicFixture.PortalUrl}/members/{id}/payments", receiptText, StringComparison.Ordinal);

        // The network reissues the card to expire at the end of the month after next; the member is told at 09:00 on the
        // 1st of the month before, when the billing run stops there for them.
        var now = (await _admin.GetFromJsonAsync<JsonElement>("/api/v1/admin/clock")).GetProperty("now").GetDateTimeOffset();
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, NewYork).DateTime);
        var noticeOn = new DateOnly(today.Year, today.Month, 1).AddMonths(1);
        var expiresIn = noticeOn.AddMonths(1);
        var card = (await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/members/{id}/membership")).GetProperty("card");
        await fixture.Silo.Grains.GetGrain<IMemberGrain>(id).UpdateCardFromProcessorAsync(new CardOnFile(
            card.GetProperty("paymentMethodId").GetString()!, "visa", "4242", expiresIn.Month, expiresIn.Year));
        var noticeAt = new DateTimeOffset(noticeOn.ToDateTime(new TimeOnly(9, 0)), NewYork.GetUtcOffset(noticeOn.ToDateTime(new TimeOnly(9, 0))));

        await AdvanceToAsync(noticeAt.AddMinutes(-1));
        Assert.DoesNotContain(await Notices.OfTypeAsync(_admin, id, "notice_issued"), n => n.GetProperty("kind").GetString() == "card_expiring");
        await AdvanceToAsync(noticeAt.AddMinutes(1));

        var notice = Assert.Single(await Notices.OfTypeAsync(_admin, id, "notice_issued"), n => n.GetProperty("kind").GetString() == "card_expiring");
        var month = expiresIn.ToString("MMMM yyyy", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains($"Your Visa card ending in 4242 expires at the end of {month}.", notice.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.InRange(notice.GetProperty("occurredAt").GetDateTimeOffset(), noticeAt, noticeAt.AddMinutes(1));
        var cardMail = await MailAsync(email, "Your card on file expires soon");
        var cardText = await fixture.Mail.PlainTextAsync(cardMail.GetProperty("id").GetString()!);
        Assert.Contains(notice.GetProperty("summary").GetString()!, cardText, StringComparison.Ordinal);
        Assert.Contains($"Update your card: {SmtpClinicFixture.PortalUrl}/members/{id}/card", cardText, StringComparison.Ordinal);

        // Another wake, and the rest of the month, tell nobody twice.
        var later = (await _admin.GetFromJsonAsync<JsonElement>("/api/v1/admin/clock")).GetProperty("now").GetDateTimeOffset();
        await fixture.Silo.Grains.GetGrain<IMemberGrain>(id).WakeAsync(later);
        await AdvanceToAsync(noticeAt.AddDays(2));
        Assert.Single(await Notices.OfTypeAsync(_admin, id, "notice_issued"), n => n.GetProperty("kind").GetString() == "card_expiring");
    }

    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    /// <summary>The one mail to <paramref name="email"/> whose subject starts with <paramref name="subject"/>, once it arrives.</summary>
    private async Task<JsonElement> MailAsync(string email, string subject)
    {
        var arrived = await Eventually.Until(
            async () => (await fixture.Mail.MessagesAsync())
                .Where(m => m.GetProperty("to").EnumerateArray().Any(t => t.GetString() == email)
                    && m.GetProperty("subject").GetString()!.StartsWith(subject, StringComparison.Ordinal))
                .ToList(),
            list => list.Count > 0, Patience, $"the \"{subject}\" mail to {email}");
        return Assert.Single(arrived);
    }

    private async Task AdvanceToAsync(DateTimeOffset to)
    {
        var clock = await _admin.GetFromJsonAsync<JsonElement>("/api/v1/admin/clock");
        if (clock.GetProperty("now").GetDateTimeOffset() < to)
        {
            using var advance = new HttpRequestMessage(HttpMethod.Post, "/api/v1/admin/clock/advance") { Content = JsonContent.Create(new { to }) };
            (await _admin.SendAsync(advance)).EnsureSuccessStatusCode();
        }
    }
}

/// <summary>A mail server that is down delays the notice, never the billing that issued it.</summary>
public sealed class NoticeRetryTests(SmtpDownClinicFixture fixture) : IClassFixture<SmtpDownClinicFixture>
{
    private readonly HttpClient _admin = fixture.Silo.AdminClient();

    [Fact]
    public async Task With_the_mail_server_down_billing_goes_on_and_the_notice_is_retried_until_the_server_is_back()
    {
        var id = await Notices.FailedRenewalAsync(_admin, fixture.Clinic, "Rio", "Retry");

        // Billing finished its work while nothing could take mail: the decline is recorded and the member is past due.
        var membership = await _admin.GetStringAsync($"/api/v1/members/{id}/membership");
        Assert.Contains("\"past_due\"", membership, StringComparison.Ordinal);
        var issued = await Notices.OfTypeAsync(_admin, id, "notice_issued");
        Assert.Equal(["payment_receipt", "payment_failed"], issued.Select(n => n.GetProperty("kind").GetString()));
        var email = issued[^1].GetProperty("email").GetString()!;

        // Several attempts fail (1 s, then every 2 s) and none is recorded as sent.
        await Task.Delay(TimeSpan.FromSeconds(5));
        Assert.Empty(await Notices.OfTypeAsync(_admin, id, "notice_sent"));

        await fixture.Mail.StartAsync();
        var arrived = await Eventually.Until(
            async () => (await fixture.Mail.MessagesAsync()).Where(m => m.GetProperty("to").EnumerateArray().Any(t => t.GetString() == email)).ToList(),
            list => list.Count >= issued.Count, TimeSpan.FromSeconds(30), $"the retried mail to {email}");
        Assert.All(arrived, m => Assert.Contains(SmtpClinicFixture.PracticeName, m.GetProperty("subject").GetString()!, StringComparison.Ordinal));
        var sent = await Eventually.Until(() => Notices.OfTypeAsync(_admin, id, "notice_sent"), s => s.Count >= issued.Count, TimeSpan.FromSeconds(30), "notice_sent");
        var noticeIds = issued.Select(n => n.GetProperty("noticeId").GetString()).Order().ToList();
        Assert.Equal(noticeIds, sent.Select(s => s.GetProperty("noticeId").GetString()).Order());

        // Each notice was delivered once, however many attempts it took.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(noticeIds, (await Notices.OfTypeAsync(_admin, id, "notice_sent")).Select(s => s.GetProperty("noticeId").GetString()).Order());
        Assert.Equal(issued.Count, (await fixture.Mail.MessagesAsync()).Count(m => m.GetProperty("to").EnumerateArray().Any(t => t.GetString() == email)));
    }
}
