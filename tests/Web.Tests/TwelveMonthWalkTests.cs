using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MedSpa.Tests;

namespace MedSpa.Web.Tests;

/// <summary>
/// One member's year, driven only by the API and the simulated clock, on PostgreSQL, the Stripe emulator and a real SMTP
/// server: enrol, redeem, a declined renewal and its recovery, a pause and its automatic end, an upgrade, a cancellation
/// quoted inside the term, a cancellation after it, and a reactivation on the plan's offer. Every amount and date is
/// worked out by hand below; the mail that arrived and the final ledger are checked against them.
/// </summary>
public sealed class TwelveMonthWalkTests(SmtpClinicFixture fixture) : IClassFixture<SmtpClinicFixture>
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
    private readonly HttpClient _admin = fixture.Silo.AdminClient();
    private Clinic Clinic => fixture.Clinic;

    [Fact]
    public async Task A_member_walks_through_twelve_months_and_every_email_and_the_ledger_come_out_as_worked_out_by_hand()
    {
        var essentials = await PlanAsync(new
        {
            name = "Walk Essentials",
            monthlyPrice = Clinic.Usd(9_900),
            minimumTermMonths = 6,
            benefits = new object[] { new { kind = "treatment_units", category = "neurotoxin", units = 1 } },
        });
        var signature = await PlanAsync(new
        {
            name = "Walk Signature",
            monthlyPrice = Clinic.Usd(19_900),
            minimumTermMonths = 6,
            cancellation = "buy_out",
            benefits = new object[]
            {
                new { kind = "treatment_units", category = "neurotoxin", units = 1 },
                new { kind = "dollar_credit", category = "facial", amount = Clinic.Usd(5_000) },
            },
            reactivationOffer = new { firstMonthDiscountPercent = 50, sendAfterDays = 14 },
        });

        // January 6th: enrolled on Essentials and charged at once; the 6th is the anchor day and the term ends on 6 July.
        await _admin.AdvanceClockToAsync(Local(2031, 1, 6, 10));
        var id = await Clinic.RegisterAsync("Wren", "Walker");
        await SaveCardAsync(id, "pm_card_visa");
        var enrolled = await _admin.PostOkAsync($"/api/v1/members/{id}/enrolment", new { planId = essentials, agreement = new { signedName = "Wren Walker", accepted = true } });
        Assert.Equal(("active", 6, "2031-07-06", "2031-02-06"), (
            enrolled.GetProperty("status").GetString(), enrolled.GetProperty("anchorDay").GetInt32(),
            enrolled.GetProperty("termEnd").GetString(), enrolled.GetProperty("nextBillingDate").GetString()));
        var email = (await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/members/{id}"))!.GetProperty("email").GetString()!;

        // January 20th: a Botox visit uses January's unit.
        await _admin.AdvanceClockToAsync(Local(2031, 1, 20, 11));
        await CheckOutBotoxAsync(id, "chk_walk_jan", expectedDue: 0);

        // February 6th: the renewal is declined; the retry is set for the 7th. Card updated at noon: charged at once.
        await _admin.AdvanceClockToAsync(Local(2031, 2, 5, 12));
        await SaveCardAsync(id, "pm_card_chargeCustomerFail");
        await _admin.AdvanceClockToAsync(Local(2031, 2, 6, 9).AddMinutes(1));
        var pastDue = await _admin.MembershipAsync(id);
        Assert.Equal("past_due", pastDue.GetProperty("status").GetString());
        await _admin.AdvanceClockToAsync(Local(2031, 2, 6, 12));
        await SaveCardAsync(id, "pm_card_visa");
        Assert.Equal(("active", "2031-03-06"), await StatusAndNextBillingAsync(id));

        // March 6th renews by itself; March's unit is used on the 20th.
        await _admin.AdvanceClockToAsync(Local(2031, 3, 20, 11));
        await CheckOutBotoxAsync(id, "chk_walk_mar", expectedDue: 0);

        // April 6th, before the 09:00 renewal: paused for 35 days, so April is not charged and it resumes on 11 May.
        await _admin.AdvanceClockToAsync(Local(2031, 4, 6, 8));
        var paused = await _admin.PostOkAsync($"/api/v1/members/{id}/pause", new { days = 35 });
        Assert.Equal(("paused", "2031-05-11", "2031-05-11"), (
            paused.GetProperty("status").GetString(), paused.GetProperty("pausedUntil").GetString(), paused.GetProperty("nextBillingDate").GetString()));
        await _admin.AdvanceClockToAsync(Local(2031, 5, 11, 9).AddMinutes(1));
        var resumed = await _admin.MembershipAsync(id);
        Assert.Equal(("active", 11, "2031-06-11"), (
            resumed.GetProperty("status").GetString(), resumed.GetProperty("anchorDay").GetInt32(), resumed.GetProperty("nextBillingDate").GetString()));

        // May 20th: upgraded to Signature. 22 of the period's 31 days are left: (19,900 - 9,900) x 22/31 = 7,096.77 -> 7,097,
        // and $50 x 22/31 = $35.48 of facial credit; the neurotoxin unit is the same on both plans, so no extra unit.
        await _admin.AdvanceClockToAsync(Local(2031, 5, 20, 12));
        var upgrade = await _admin.PostOkAsync($"/api/v1/members/{id}/plan-change", new { planId = signature, changeId = "walk-upgrade", confirm = true });
        Assert.Equal(7_097, upgrade.GetProperty("charge").GetProperty("amount").GetInt64());
        Assert.Equal(3_548, (await BalancesAsync(id))[Clinic.FacialCreditKey]);

        // June 1st, inside the term: the quote says billing continues to 6 July, one more date (11 June) at 199.00. Nothing is recorded.
        await _admin.AdvanceClockToAsync(Local(2031, 6, 1, 12));
        // Mail from the advance may still be landing (each delivery is recorded as notice_sent): only the rest counts.
        var before = (await _admin.EventsAsync(id)).Count(e => e.Type != "notice_sent");
        var quote = await _admin.PostOkAsync($"/api/v1/members/{id}/cancellation", new { reason = "price", confirm = false });
        Assert.Equal((false, "2031-07-06", 19_900L), (
            quote.GetProperty("termMet").GetBoolean(), quote.GetProperty("effectiveOn").GetString(),
            quote.GetProperty("remainingObligation").GetProperty("amount").GetInt64()));
        Assert.Equal(["2031-06-11"], quote.GetProperty("billingDates").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal(["continue_to_term_end", "buy_out"], quote.GetProperty("options").EnumerateArray().Select(o => o.GetString()));
        Assert.Equal(before, (await _admin.EventsAsync(id)).Count(e => e.Type != "notice_sent"));

        // July 15th, after the term: the cancellation takes effect at the end of the period, 11 August.
        await _admin.AdvanceClockToAsync(Local(2031, 7, 15, 12));
        var cancellation = await _admin.PostOkAsync($"/api/v1/members/{id}/cancellation", new { reason = "relocation", note = "Moving to Boston", confirm = true });
        Assert.Equal((true, "2031-08-11", 0L), (
            cancellation.GetProperty("termMet").GetBoolean(), cancellation.GetProperty("effectiveOn").GetString(),
            cancellation.GetProperty("remainingObligation").GetProperty("amount").GetInt64()));
        await _admin.AdvanceClockToAsync(Local(2031, 8, 11, 12));
        Assert.Equal(("cancelled", null), await StatusAndNextBillingAsync(id));
        Assert.All((await CreditsAsync(id)).GetProperty("balances").EnumerateArray(), b => Assert.Equal(0, b.GetProperty("balance").GetInt64()));

        // The plan sends its offer by itself 14 days later; she accepts on the 27th and pays half of her first month.
        await _admin.AdvanceClockToAsync(Local(2031, 8, 25, 9).AddMinutes(-1));
        Assert.DoesNotContain("reactivation_offer", await _admin.NoticeKindsAsync(id));
        await _admin.AdvanceClockToAsync(Local(2031, 8, 25, 9).AddMinutes(1));
        Assert.Contains("reactivation_offer", await _admin.NoticeKindsAsync(id));
        Assert.Contains("reactivation_offer", await _admin.NoticeKindsAsync(id));
        await _admin.AdvanceClockToAsync(Local(2031, 8, 27, 12));
        var back = await _admin.PostOkAsync($"/api/v1/members/{id}/reactivation", new { agreement = new { signedName = "Wren Walker", accepted = true } });
        Assert.Equal(("active", 27, "2032-02-27"), (
            back.GetProperty("status").GetString(), back.GetProperty("anchorDay").GetInt32(), back.GetProperty("termEnd").GetString()));

        // Through to a full year: September to December renew at the full price.
        await _admin.AdvanceClockToAsync(Local(2032, 1, 6, 12));

        var payments = (await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{id}/payments"))!
            .Where(p => p.GetProperty("category").GetString() == "subscription")
            .Select(p => (p.GetProperty("amount").GetProperty("amount").GetInt64(), p.GetProperty("status").GetString()))
            .ToList();
        (long, string?)[] expectedPayments =
        [
            (9_900, "succeeded"), (9_900, "succeeded"), (9_900, "succeeded"), (9_900, "succeeded"), (7_097, "succeeded"),
            (19_900, "succeeded"), (19_900, "succeeded"), (9_950, "succeeded"),
            (19_900, "succeeded"), (19_900, "succeeded"), (19_900, "succeeded"), (19_900, "succeeded"),
        ];
        Assert.Equal(expectedPayments, payments);
        var attempts = (await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{id}/charge-attempts"))!;
        Assert.Equal(
            ["2031-01-06", "2031-02-06", "2031-02-06", "2031-03-06", "2031-05-11", "2031-05-11", "2031-06-11", "2031-07-11",
             "2031-08-27", "2031-09-27", "2031-10-27", "2031-11-27", "2031-12-27"],
            attempts.Select(a => a.GetProperty("periodStart").GetString()));
        Assert.Equal(["succeeded", "soft_decline"], attempts.Take(2).Select(a => a.GetProperty("result").GetString()));

        // The ledger: January and March's units were redeemed; every other allocation expired or is still open, and
        // each balance adds up (allocated + adjusted = redeemed + expired + balance).
        var credits = await CreditsAsync(id);
        foreach (var balance in credits.GetProperty("balances").EnumerateArray())
        {
            Assert.Equal(
                balance.GetProperty("allocated").GetInt64() + balance.GetProperty("adjusted").GetInt64(),
                balance.GetProperty("redeemed").GetInt64() + balance.GetProperty("expired").GetInt64() + balance.GetProperty("balance").GetInt64());
        }

        var units = credits.GetProperty("balances").EnumerateArray().Single(b => b.GetProperty("benefitKey").GetString() == Clinic.NeurotoxinKey);
        // Units: Jan, Feb, Mar, May (Essentials), Jun, Jul (Signature), Aug 27, Sep, Oct, Nov, Dec = 11 allocated; 2 redeemed;
        // December's is still open; the other 8 expired.
        Assert.Equal((11L, 2L, 8L, 1L), (
            units.GetProperty("allocated").GetInt64(), units.GetProperty("redeemed").GetInt64(),
            units.GetProperty("expired").GetInt64(), units.GetProperty("balance").GetInt64()));
        var facial = credits.GetProperty("balances").EnumerateArray().Single(b => b.GetProperty("benefitKey").GetString() == Clinic.FacialCreditKey);
        // Facial dollars: 3,548 prorated at the upgrade, then 5,000 on Jun, Jul, Aug 27, Sep, Oct, Nov and Dec.
        Assert.Equal((3_548L + 7 * 5_000L, 0L, 5_000L), (
            facial.GetProperty("allocated").GetInt64(), facial.GetProperty("redeemed").GetInt64(), facial.GetProperty("balance").GetInt64()));

        // Every notice issued reached the SMTP server, once, under its own Message-Id, and in the order it was issued.
        var issued = (await _admin.EventsAsync(id)).Where(e => e.Type == "notice_issued").Select(e => e.Payload).ToList();
        Assert.Equal(ExpectedNotices, issued.Select(n => n.GetProperty("kind").GetString()));
        var sent = await Eventually.Until(
            async () => (await _admin.EventsAsync(id)).Where(e => e.Type == "notice_sent").Select(e => e.Payload).ToList(),
            s => s.Count >= issued.Count, TimeSpan.FromSeconds(60), "every notice sent");
        Assert.Equal(
            issued.Select(n => n.GetProperty("noticeId").GetString()).Order(StringComparer.Ordinal),
            sent.Select(s => s.GetProperty("noticeId").GetString()).Order(StringComparer.Ordinal));
        var mail = (await fixture.Mail.MessagesAsync()).Where(m => m.GetProperty("to").EnumerateArray().Any(t => t.GetString() == email)).ToList();
        Assert.Equal(issued.Count, mail.Count);
        var messageIds = new List<string>();
        foreach (var message in mail)
        {
            var headers = (await fixture.Mail.MessageAsync(message.GetProperty("id").GetString()!)).GetProperty("headers").EnumerateArray();
            messageIds.Add(headers.Single(h => h.GetProperty("name").GetString()!.Equals("Message-Id", StringComparison.OrdinalIgnoreCase)).GetProperty("value").GetString()!);
        }

        Assert.Equal(
            sent.Select(s => $"<{s.GetProperty("messageId").GetString()}>").Order(StringComparer.Ordinal),
            messageIds.Order(StringComparer.Ordinal));

        // What the key messages say, as the member read them.
        var failed = await TextOfAsync(mail, "didn't go through");
        Assert.Contains("We will try again on 7 February 2031", failed, StringComparison.Ordinal);
        Assert.Contains($"{SmtpClinicFixture.PortalUrl}/members/{id}/card", failed, StringComparison.Ordinal);
        Assert.Contains("11 May 2031", await TextOfAsync(mail, "is paused"), StringComparison.Ordinal);
        Assert.Contains("6 July 2031", await TextOfAsync(mail, "renews soon"), StringComparison.Ordinal);
        Assert.Contains("11 August 2031", await TextOfAsync(mail, "cancellation is confirmed"), StringComparison.Ordinal);
        Assert.Contains("50% off your first month", await TextOfAsync(mail, "Come back"), StringComparison.Ordinal);
    }

    /// <summary>
    /// The notices of the walk, in order, worked out from the timeline above: a receipt for every payment; a week's
    /// warning for every month's credits left unused (not January's or March's, which were redeemed, and none while
    /// paused); with the cancellation pending, August's credits lapse when the membership ends on the 11th.
    /// </summary>
    private static readonly string[] ExpectedNotices =
    [
        "payment_receipt",        // 6 Jan, enrolment
        "payment_failed",         // 6 Feb, declined
        "payment_receipt",        // 6 Feb, new card
        "credits_expiring",       // 27 Feb, February's unit
        "payment_receipt",        // 6 Mar
        "membership_paused",      // 6 Apr
        "membership_resumed",     // 11 May
        "payment_receipt",        // 11 May
        "payment_receipt",        // 20 May, upgrade
        "credits_expiring",       // 4 Jun
        "term_renewal",           // 6 Jun, 30 days before 6 Jul
        "payment_receipt",        // 11 Jun
        "credits_expiring",       // 4 Jul
        "payment_receipt",        // 11 Jul
        "cancellation_confirmed", // 15 Jul
        "credits_expiring",       // 4 Aug
        "membership_ended",       // 11 Aug
        "reactivation_offer",     // 25 Aug
        "payment_receipt",        // 27 Aug, half price
        "credits_expiring",       // 20 Sep
        "payment_receipt",        // 27 Sep
        "credits_expiring",       // 20 Oct
        "payment_receipt",        // 27 Oct
        "credits_expiring",       // 20 Nov
        "payment_receipt",        // 27 Nov
        "credits_expiring",       // 20 Dec
        "payment_receipt",        // 27 Dec
    ];

    private async Task<string> TextOfAsync(List<JsonElement> mail, string subject)
    {
        var message = Assert.Single(mail, m => m.GetProperty("subject").GetString()!.Contains(subject, StringComparison.Ordinal));
        return await fixture.Mail.PlainTextAsync(message.GetProperty("id").GetString()!);
    }

    private async Task CheckOutBotoxAsync(string id, string checkoutId, long expectedDue)
    {
        var receipt = await _admin.PostOkAsync($"/api/v1/members/{id}/checkouts",
            new { checkoutId, basket = new { items = new object[] { new { serviceId = Clinic.NeurotoxinId } } }, settlement = "card_terminal" });
        Assert.Equal(expectedDue, receipt.GetProperty("quote").GetProperty("amountDue").GetProperty("amount").GetInt64());
    }

    private async Task<string> PlanAsync(object plan) => (await _admin.PostOkAsync("/api/v1/plans", plan)).GetProperty("id").GetString()!;

    private async Task SaveCardAsync(string id, string paymentMethodId) =>
        (await _admin.PostAsJsonAsync($"/api/v1/members/{id}/payment-method", new { paymentMethodId })).EnsureSuccessStatusCode();

    private static DateTimeOffset Local(int year, int month, int day, int hour)
    {
        var local = new DateTime(year, month, day, hour, 0, 0, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, NewYork.GetUtcOffset(local));
    }

    private async Task<(string?, string?)> StatusAndNextBillingAsync(string id)
    {
        var membership = await _admin.MembershipAsync(id);
        return (membership.GetProperty("status").GetString(),
            membership.TryGetProperty("nextBillingDate", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null);
    }

    private async Task<JsonElement> CreditsAsync(string id) => await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/members/{id}/credits");

    private async Task<Dictionary<string, long>> BalancesAsync(string id) =>
        (await CreditsAsync(id)).GetProperty("balances").EnumerateArray()
            .ToDictionary(b => b.GetProperty("benefitKey").GetString()!, b => b.GetProperty("balance").GetInt64());

}
