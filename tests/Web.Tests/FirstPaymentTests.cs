using System.Net.Http.Json;
using System.Text.Json;
using MedSpa.Tests;

namespace MedSpa.Web.Tests;

/// <summary>
/// A first payment that never arrives (issue 19, finding 7), over HTTP on PostgreSQL and the Stripe emulator, driven
/// only by moving the simulated clock: on the failed-payments board from the first decline (or, with no card, the next
/// morning), retried and reminded at the practice's offsets, lapsed after 7 days with a notice, off the board, nothing
/// allocated and nothing taken. On a silo of its own, because it moves the clock a week.
/// </summary>
public sealed class FirstPaymentTests(ClinicFixture fixture) : IClassFixture<ClinicFixture>
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
    private readonly HttpClient _admin = fixture.Silo.AdminClient();
    private static readonly string[] Offsets = ["1.00:00:00", "3.00:00:00"];

    private Clinic Clinic => fixture.Clinic;

    [Fact]
    public async Task A_declined_first_payment_and_one_with_no_card_are_chased_then_lapse_and_one_paid_in_time_starts()
    {
        var declined = await Clinic.RegisterAsync("Dee", "Declined");
        await SaveCardAsync(declined, "pm_card_chargeCustomerFail");
        var noCard = await Clinic.RegisterAsync("Nia", "Nocard");
        var rescued = await Clinic.RegisterAsync("Ren", "Rescued");
        await SaveCardAsync(rescued, "pm_card_visa_chargeDeclinedInsufficientFunds");

        Assert.Equal("pending_payment", (await EnrolAsync(declined, "Dee Declined")).GetProperty("status").GetString());
        Assert.Equal("pending_payment", (await EnrolAsync(noCard, "Nia Nocard")).GetProperty("status").GetString());
        Assert.Equal("pending_payment", (await EnrolAsync(rescued, "Ren Rescued")).GetProperty("status").GetString());

        // On the board from the first decline, as a pending enrolment: one attempt, a retry in 24 hours, the lapse in 7 days.
        var line = await BoardLineAsync(declined);
        var since = line.GetProperty("since").GetDateTimeOffset();
        Assert.Equal("pending_payment", line.GetProperty("status").GetString());
        Assert.Equal(1, line.GetProperty("failedAttempts").GetInt32());
        Assert.Equal(since.AddHours(24), line.GetProperty("nextRetryAt").GetDateTimeOffset());
        Assert.Equal(since.AddDays(7), line.GetProperty("lapseAt").GetDateTimeOffset());
        Assert.Equal(["payment_failed"], await _admin.NoticeKindsAsync(declined));
        Assert.DoesNotContain(await BoardAsync(), l => l.GetProperty("memberId").GetString() == noCard);

        // Ren's new card pays at once: the membership starts with its credits, and leaves the board.
        Assert.NotNull(await BoardLineOrNullAsync(rescued));
        Assert.Equal("active", (await SaveCardAsync(rescued, "pm_card_visa")).GetProperty("status").GetString());
        Assert.Null(await BoardLineOrNullAsync(rescued));
        Assert.Single(await PaymentIntentsAsync(rescued, "succeeded"));

        // The next morning at 09:00 the enrolment with no card is chased too: reminded to add one, nothing to charge.
        var morning = NineAm(LocalDate(since).AddDays(1));
        await _admin.AdvanceClockToAsync(morning.AddMinutes(1));
        var waiting = await BoardLineAsync(noCard);
        Assert.Equal(("no_card_on_file", 0), (waiting.GetProperty("lastDeclineCode").GetString(), waiting.GetProperty("failedAttempts").GetInt32()));
        Assert.Equal(waiting.GetProperty("since").GetDateTimeOffset().AddDays(7), waiting.GetProperty("lapseAt").GetDateTimeOffset());

        // Retried at +24 h and +72 h: each attempt on the board is one listed for the member and one declined at Stripe.
        await _admin.AdvanceClockToAsync(since.AddHours(72).AddMinutes(1));
        line = await BoardLineAsync(declined);
        var attempts = await AttemptsAsync(declined);
        Assert.Equal(3, attempts.Length);
        Assert.Equal(attempts.Length, line.GetProperty("failedAttempts").GetInt32());
        Assert.All(attempts, a => Assert.Equal("soft_decline", a.GetProperty("result").GetString()));
        Assert.Equal(3, (await PaymentIntentsAsync(declined, "requires_payment_method")).Count);
        Assert.Empty(await PaymentIntentsAsync(declined, "succeeded"));
        Assert.True(line.GetProperty("nextRetryAt").ValueKind == JsonValueKind.Null);
        Assert.Equal("pending_payment", (await _admin.MembershipAsync(declined)).GetProperty("status").GetString());
        Assert.Equal(["payment_failed", "payment_failed", "payment_failed"], await _admin.NoticeKindsAsync(declined));
        Assert.Empty((await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/members/{declined}/credits")).GetProperty("balances").EnumerateArray());

        // Seven days after the first decline: lapsed, told, off the board; nothing was allocated or taken.
        await _admin.AdvanceClockToAsync(since.AddDays(7).AddMinutes(1));
        Assert.Null(await BoardLineOrNullAsync(declined));
        Assert.Equal("cancelled", (await _admin.MembershipAsync(declined)).GetProperty("status").GetString());
        Assert.Equal("enrolment_lapsed", (await _admin.NoticeKindsAsync(declined))[^1]);
        var ended = (await _admin.EventsAsync(declined)).Single(e => e.Type == "membership_cancelled").Payload;
        Assert.Equal(("first_payment_not_made", true), (ended.GetProperty("reason").GetString(), ended.GetProperty("involuntary").GetBoolean()));
        Assert.DoesNotContain(await _admin.EventsAsync(declined), e => e.Type is "credits_allocated" or "period_paid" or "payment_recorded");
        Assert.Equal(3, (await PaymentIntentsAsync(declined, "requires_payment_method")).Count);

        // The one with no card lapses seven days after its own chase began, reminded at each offset on the way.
        Assert.NotNull(await BoardLineOrNullAsync(noCard));
        await _admin.AdvanceClockToAsync(morning.AddDays(7).AddMinutes(1));
        Assert.Null(await BoardLineOrNullAsync(noCard));
        Assert.Equal(["payment_failed", "payment_failed", "payment_failed", "enrolment_lapsed"], await _admin.NoticeKindsAsync(noCard));
        Assert.Empty(await AttemptsAsync(noCard));
        Assert.Equal("active", (await _admin.MembershipAsync(rescued)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_lapse_days_are_a_practice_setting_from_1_to_27_so_a_first_payment_lands_in_the_first_period()
    {
        var inForce = await _admin.GetFromJsonAsync<JsonElement>("/api/v1/settings");
        Assert.Equal(7, inForce.GetProperty("retrySchedule").GetProperty("firstPaymentLapseDays").GetInt32());

        foreach (var days in new[] { 0, 28, 91, -3 })
        {
            var refused = await _admin.PutAsJsonAsync("/api/v1/settings",
                new { retrySchedule = new { retryOffsets = Offsets, suspendedFor = "30.00:00:00", firstPaymentLapseDays = days } });
            await ProblemAssert.IsProblem(refused, System.Net.HttpStatusCode.BadRequest, "invalid_first_payment_lapse");
        }

        Assert.Equal(7, (await _admin.GetFromJsonAsync<JsonElement>("/api/v1/settings")).GetProperty("retrySchedule").GetProperty("firstPaymentLapseDays").GetInt32());
    }

    private async Task<JsonElement> EnrolAsync(string id, string name) =>
        await (await _admin.PostAsJsonAsync($"/api/v1/members/{id}/enrolment", new { planId = Clinic.PremiumPlanId, agreement = new { signedName = name, accepted = true } }))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();

    private async Task<JsonElement> SaveCardAsync(string id, string paymentMethodId) =>
        await (await _admin.PostAsJsonAsync($"/api/v1/members/{id}/payment-method", new { paymentMethodId }))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();

    private async Task<JsonElement[]> AttemptsAsync(string id) => (await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{id}/charge-attempts"))!;

    private async Task<JsonElement[]> BoardAsync() => (await _admin.GetFromJsonAsync<JsonElement[]>("/api/v1/billing/failed-payments"))!;

    private async Task<JsonElement> BoardLineAsync(string id) => (await BoardLineOrNullAsync(id)) ?? throw new Xunit.Sdk.XunitException($"{id} is not on the board");

    private async Task<JsonElement?> BoardLineOrNullAsync(string id) =>
        (await BoardAsync()).Where(l => l.GetProperty("memberId").GetString() == id).Select(l => (JsonElement?)l).SingleOrDefault();

    /// <summary>The emulator's PaymentIntents for the member in a status: the bank's side of what was charged.</summary>
    private async Task<List<JsonElement>> PaymentIntentsAsync(string memberId, string status)
    {
        using var emulator = StripeAccount.ControlClient(fixture.Silo.StripeEmulator);
        var all = await emulator.GetFromJsonAsync<JsonElement[]>("/_emulator/payment_intents");
        return all!.Where(pi => pi.TryGetProperty("metadata", out var metadata)
            && metadata.TryGetProperty("member_id", out var member) && member.GetString() == memberId
            && pi.GetProperty("status").GetString() == status).ToList();
    }

    private static DateOnly LocalDate(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, NewYork).DateTime);

    private static DateTimeOffset NineAm(DateOnly date)
    {
        var local = date.ToDateTime(new TimeOnly(9, 0));
        return new DateTimeOffset(local, NewYork.GetUtcOffset(local));
    }
}
