using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MedSpa.Grains.Members;
using MedSpa.Members;
using MedSpa.Tests;
using Microsoft.Extensions.DependencyInjection;

namespace MedSpa.Web.Tests;

/// <summary>With no SMTP server configured (development), mail goes to the app's own mailbox and staff read it there.</summary>
public sealed class MailboxTests(ClinicFixture fixture) : IClassFixture<ClinicFixture>
{
    private readonly HttpClient _admin = fixture.Silo.AdminClient();

    [Fact]
    public async Task The_dev_mailbox_lists_the_notice_sent_and_the_member_records_it_sent()
    {
        var id = await Notices.FailedRenewalAsync(_admin, fixture.Clinic, "Mae", "Mailbox");
        var issued = await Notices.OfTypeAsync(_admin, id, "notice_issued");
        // The first month's receipt, then the declined renewal.
        Assert.Equal(["payment_receipt", "payment_failed"], issued.Select(n => n.GetProperty("kind").GetString()));
        var notice = issued[^1];
        var email = notice.GetProperty("email").GetString()!;

        var mail = await Eventually.Until(
            async () => (await _admin.GetFromJsonAsync<JsonElement[]>("/api/v1/mailbox"))!.Where(m => m.GetProperty("to").GetString() == email).ToList(),
            list => list.Count >= issued.Count, TimeSpan.FromSeconds(30), $"the mailbox to list mail to {email}");
        Assert.Equal(issued.Count, mail.Count);
        var message = Assert.Single(mail, m => m.GetProperty("kind").GetString() == "payment_failed");
        Assert.Equal(id, message.GetProperty("memberId").GetString());
        var subject = message.GetProperty("subject").GetString()!;
        Assert.Contains("didn't go through", subject, StringComparison.Ordinal);
        Assert.Contains(notice.GetProperty("summary").GetString()!, message.GetProperty("text").GetString()!, StringComparison.Ordinal);

        var noticeId = notice.GetProperty("noticeId").GetString();
        var sent = await Eventually.Until(
            () => Notices.OfTypeAsync(_admin, id, "notice_sent"), s => s.Any(n => n.GetProperty("noticeId").GetString() == noticeId), TimeSpan.FromSeconds(30), "notice_sent");
        Assert.Equal(message.GetProperty("messageId").GetString(), Assert.Single(sent, s => s.GetProperty("noticeId").GetString() == noticeId).GetProperty("messageId").GetString());

        var page = await _admin.GetAsync("/mailbox");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        // Decoded: how the page escapes an apostrophe (&#39; or &#x27;) is the encoder's business.
        var html = WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync());
        Assert.Contains(subject, html, StringComparison.Ordinal);
        Assert.Contains(email, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_mailbox_is_for_staff_only()
    {
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = fixture.Silo.BaseAddress };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/mailbox")).StatusCode);
        var page = await anonymous.GetAsync("/mailbox");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/login", page.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_notice_recorded_just_before_a_crash_is_sent_when_the_member_grain_next_activates()
    {
        // As the log looks when a silo died between recording a notice and handing it to a sender: the member grain
        // has not run since, so nothing is in flight anywhere.
        var id = $"mem_crash{Guid.NewGuid():N}";
        var at = DateTimeOffset.UtcNow;
        var email = $"{id}@example.com";
        var journal = fixture.Silo.Services.GetRequiredService<IMemberJournal>();
        Assert.True(await journal.AppendAsync(id, 0,
        [
            new ClientRegistered(new MemberProfile(id, "Cal", "Crash", email, null, fixture.Clinic.LocationId, at, Registrar.Staff)) { OccurredAt = at },
            new NoticeIssued("ntc_crash", NoticeKind.PaymentFailed, email, "Your payment of $199.00 was declined.") { OccurredAt = at },
        ]));

        await fixture.Silo.Grains.GetGrain<IMemberGrain>(id).GetProfileAsync();

        var sent = await Eventually.Until(() => Notices.OfTypeAsync(_admin, id, "notice_sent"), s => s.Count > 0, TimeSpan.FromSeconds(30), "notice_sent");
        Assert.Equal("ntc_crash", Assert.Single(sent).GetProperty("noticeId").GetString());
        Assert.Contains((await _admin.GetFromJsonAsync<JsonElement[]>("/api/v1/mailbox"))!, m => m.GetProperty("to").GetString() == email);
    }
}
