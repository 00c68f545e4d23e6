using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MedSpa.Tests;

namespace MedSpa.Web.Tests;

/// <summary>
/// Cancellation, pause, the renewal notice and reactivation over HTTP against the real stack, with time moved only by
/// the simulated clock: the membership ends, resumes and renews by itself.
/// </summary>
public sealed class LifecycleTests(ClinicFixture fixture) : IClassFixture<ClinicFixture>
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
    private readonly HttpClient _admin = fixture.Silo.AdminClient();
    private Clinic Clinic => fixture.Clinic;

    [Fact]
    public async Task A_cancellation_inside_the_term_is_quoted_then_billed_to_the_term_end_where_the_membership_ends_and_its_credits_expire()
    {
        var id = await CardMemberAsync("Cam", "Leaves");
        var before = (await EventsAsync(id)).Count;

        var quote = await PostAsync($"/api/v1/members/{id}/cancellation", new { reason = "relocation", confirm = false });
        var termEnd = DateOnly.Parse((await MembershipAsync(id)).GetProperty("termEnd").GetString()!, CultureInfo.InvariantCulture);
        Assert.Equal("quoted", quote.GetProperty("stage").GetString());
        Assert.Equal(termEnd.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), quote.GetProperty("effectiveOn").GetString());
        var dates = quote.GetProperty("billingDates").EnumerateArray().Select(d => d.GetString()).ToList();
        Assert.Equal(5, dates.Count);
        Assert.Equal(Clinic.PremiumPrice * dates.Count, quote.GetProperty("remainingObligation").GetProperty("amount").GetInt64());
        Assert.Equal(["continue_to_term_end"], quote.GetProperty("options").EnumerateArray().Select(o => o.GetString()));
        Assert.Equal(before, (await EventsAsync(id)).Count);

        await ProblemAssert.IsProblem(await _admin.PostAsJsonAsync($"/api/v1/members/{id}/cancellation", new { confirm = true }), HttpStatusCode.BadRequest, "cancellation_reason_required");
        await ProblemAssert.IsProblem(await _admin.PostAsJsonAsync($"/api/v1/members/{id}/cancellation", new { reason = "other", confirm = true }), HttpStatusCode.BadRequest, "cancellation_note_required");
        await ProblemAssert.IsProblem(await _admin.PostAsJsonAsync($"/api/v1/members/{id}/cancellation", new { reason = "price", confirm = true, option = "buy_out" }), HttpStatusCode.BadRequest, "cancellation_option_not_allowed");

        var pending = await PostAsync($"/api/v1/members/{id}/cancellation", new { reason = "relocation", note = "Moving to Denver", confirm = true });
        Assert.Equal("pending", pending.GetProperty("stage").GetString());
        Assert.Equal("pending", (await MembershipAsync(id)).GetProperty("pendingCancellation").GetProperty("stage").GetString());

        // The day before the term end the member is still active and can still redeem.
        await AdvanceToAsync(LocalInstant(termEnd.AddDays(-1), 12));
        Assert.Equal("active", (await MembershipAsync(id)).GetProperty("status").GetString());

        await AdvanceToAsync(LocalInstant(termEnd, 0).AddMinutes(1));
        Assert.Equal("cancelled", (await MembershipAsync(id)).GetProperty("status").GetString());
        var attempts = (await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{id}/charge-attempts"))!;
        Assert.Equal(dates, attempts.Skip(1).Select(a => a.GetProperty("periodStart").GetString()));
        var cancelled = (await EventsAsync(id)).Single(e => e.Type == "membership_cancelled").Payload;
        Assert.Equal(("relocation", false), (cancelled.GetProperty("reason").GetString(), cancelled.GetProperty("involuntary").GetBoolean()));
        var notices = await NoticesAsync(id);
        Assert.Contains("cancellation_confirmed", notices);
        Assert.Equal("membership_ended", notices[^1]);
        Assert.DoesNotContain("term_renewal", notices);
        Assert.All((await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/members/{id}/credits")).GetProperty("balances").EnumerateArray(),
            b => Assert.Equal(0, b.GetProperty("balance").GetInt64()));
        await ProblemAssert.IsProblem(await _admin.DeleteAsync($"/api/v1/members/{id}/cancellation"), HttpStatusCode.Conflict, "already_cancelled");
    }

    [Fact]
    public async Task A_pending_cancellation_is_withdrawn_with_delete()
    {
        var id = await CardMemberAsync("Wes", "Stays");
        await PostAsync($"/api/v1/members/{id}/cancellation", new { reason = "price", confirm = true });

        var response = await _admin.DeleteAsync($"/api/v1/members/{id}/cancellation");
        var withdrawn = await response.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal("withdrawn", withdrawn.GetProperty("stage").GetString());
        var membership = await MembershipAsync(id);
        Assert.True(!membership.TryGetProperty("pendingCancellation", out var p) || p.ValueKind == JsonValueKind.Null);
        Assert.Equal("cancellation_withdrawn", (await NoticesAsync(id))[^1]);
        await ProblemAssert.IsProblem(await _admin.PostAsJsonAsync($"/api/v1/members/{id}/cancellation", new { withdraw = true }), HttpStatusCode.Conflict, "no_pending_cancellation");
    }

    [Fact]
    public async Task A_pause_stops_billing_and_resumes_by_itself_on_the_new_anchor_day_with_a_charge()
    {
        var id = await CardMemberAsync("Pia", "Pause");
        await ProblemAssert.IsProblem(await _admin.PostAsJsonAsync($"/api/v1/members/{id}/pause", new { days = 61 }), HttpStatusCode.BadRequest, "pause_too_long");
        await ProblemAssert.IsProblem(await _admin.PostAsJsonAsync($"/api/v1/members/{id}/resume", new { }), HttpStatusCode.Conflict, "not_paused");

        // Ten days into her paid month: the days left of it come off her first charge after the pause.
        var enrolled = await MembershipAsync(id);
        var periodStart = DateOnly.Parse(enrolled.GetProperty("currentPeriodStart").GetString()!, CultureInfo.InvariantCulture);
        var periodEnd = DateOnly.Parse(enrolled.GetProperty("nextBillingDate").GetString()!, CultureInfo.InvariantCulture);
        await AdvanceToAsync(LocalInstant(periodStart.AddDays(10), 12));
        var left = periodEnd.DayNumber - periodStart.AddDays(10).DayNumber;
        var carried = (long)Math.Round(Clinic.PremiumPrice * (decimal)left / (periodEnd.DayNumber - periodStart.DayNumber), MidpointRounding.AwayFromZero);

        var paused = await PostAsync($"/api/v1/members/{id}/pause", new { days = 45 });
        Assert.Equal("paused", paused.GetProperty("status").GetString());
        var until = DateOnly.Parse(paused.GetProperty("pausedUntil").GetString()!, CultureInfo.InvariantCulture);
        Assert.True((await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/members/{id}/credits")).GetProperty("frozen").GetBoolean());
        await ProblemAssert.IsProblem(await _admin.PostAsJsonAsync($"/api/v1/members/{id}/pause", new { days = 5 }), HttpStatusCode.Conflict, "already_paused");

        // The old anniversary inside the pause is not charged.
        await AdvanceToAsync(LocalInstant(until.AddDays(-1), 12));
        Assert.Single((await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{id}/charge-attempts"))!);

        await AdvanceToAsync(LocalInstant(until, 9).AddMinutes(1));
        var resumed = await MembershipAsync(id);
        Assert.Equal("active", resumed.GetProperty("status").GetString());
        Assert.Equal(until.Day, resumed.GetProperty("anchorDay").GetInt32());
        var attempts = (await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{id}/charge-attempts"))!;
        Assert.Equal((until.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), "succeeded", Clinic.PremiumPrice - carried),
            (attempts[^1].GetProperty("periodStart").GetString(), attempts[^1].GetProperty("result").GetString(), attempts[^1].GetProperty("amount").GetProperty("amount").GetInt64()));
        Assert.False((await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/members/{id}/credits")).GetProperty("frozen").GetBoolean());
        Assert.Equal(["membership_paused", "membership_resumed"], (await NoticesAsync(id)).Where(n => n.StartsWith("membership_", StringComparison.Ordinal)));

        await ProblemAssert.IsProblem(await _admin.PostAsJsonAsync($"/api/v1/members/{id}/pause", new { days = 5 }), HttpStatusCode.Conflict, "pause_limit_reached");
    }

    [Fact]
    public async Task The_renewal_notice_comes_30_days_before_the_term_end_and_a_lapsed_member_comes_back_on_the_offer()
    {
        var plan = await PlanAsync();
        var id = await CardMemberAsync("Rey", "Returns", plan);
        var termEnd = DateOnly.Parse((await MembershipAsync(id)).GetProperty("termEnd").GetString()!, CultureInfo.InvariantCulture);

        await AdvanceToAsync(LocalInstant(termEnd.AddDays(-30), 9).AddMinutes(1));
        Assert.Equal(["term_renewal"], (await NoticesAsync(id)).Where(n => n == "term_renewal"));

        // After the term the cancellation takes effect at the end of the period.
        await AdvanceToAsync(LocalInstant(termEnd, 12));
        var pending = await PostAsync($"/api/v1/members/{id}/cancellation", new { reason = "not_using", confirm = true });
        Assert.True(pending.GetProperty("termMet").GetBoolean());
        var effectiveOn = DateOnly.Parse(pending.GetProperty("effectiveOn").GetString()!, CultureInfo.InvariantCulture);
        Assert.True(effectiveOn > termEnd);
        await AdvanceToAsync(LocalInstant(effectiveOn, 12));
        Assert.Equal("cancelled", (await MembershipAsync(id)).GetProperty("status").GetString());
        Assert.Single(await NoticesAsync(id), n => n == "term_renewal");

        var offer = await PostAsync($"/api/v1/members/{id}/reactivation-offer", new { });
        Assert.Equal(50, offer.GetProperty("offer").GetProperty("firstMonthDiscountPercent").GetInt32());
        await ProblemAssert.IsProblem(await _admin.PostAsJsonAsync($"/api/v1/members/{id}/reactivation-offer", new { }), HttpStatusCode.Conflict, "offer_already_sent");

        var back = await PostAsync($"/api/v1/members/{id}/reactivation", new { agreement = new { signedName = "Rey Returns", accepted = true } });
        Assert.Equal("active", back.GetProperty("status").GetString());
        var attempts = (await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{id}/charge-attempts"))!;
        Assert.Equal(6_000, attempts[^1].GetProperty("amount").GetProperty("amount").GetInt64());
    }

    private async Task<string> PlanAsync()
    {
        var response = await _admin.PostAsJsonAsync("/api/v1/plans", new
        {
            name = "Glow Lifecycle",
            monthlyPrice = Clinic.Usd(12_000),
            minimumTermMonths = 2,
            benefits = new object[] { new { kind = "dollar_credit", category = "facial", amount = Clinic.Usd(3_000) } },
            reactivationOffer = new { firstMonthDiscountPercent = 50 },
        });
        return (await response.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private async Task<string> CardMemberAsync(string first, string last, string? planId = null)
    {
        var id = await Clinic.RegisterAsync(first, last);
        (await _admin.PostAsJsonAsync($"/api/v1/members/{id}/payment-method", new { paymentMethodId = "pm_card_visa" })).EnsureSuccessStatusCode();
        var enrolled = await PostAsync($"/api/v1/members/{id}/enrolment",
            new { planId = planId ?? Clinic.PremiumPlanId, agreement = new { signedName = $"{first} {last}", accepted = true } });
        Assert.Equal("active", enrolled.GetProperty("status").GetString());
        return id;
    }

    private async Task<JsonElement> PostAsync(string path, object body)
    {
        var response = await _admin.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private async Task AdvanceToAsync(DateTimeOffset to)
    {
        var now = (await _admin.GetFromJsonAsync<JsonElement>("/api/v1/admin/clock")).GetProperty("now").GetDateTimeOffset();
        if (to <= now)
        {
            return;
        }

        using var advance = new HttpRequestMessage(HttpMethod.Post, "/api/v1/admin/clock/advance") { Content = JsonContent.Create(new { to }) };
        (await _admin.SendAsync(advance)).EnsureSuccessStatusCode();
    }

    private static DateTimeOffset LocalInstant(DateOnly date, int hour)
    {
        var local = date.ToDateTime(new TimeOnly(hour, 0));
        return new DateTimeOffset(local, NewYork.GetUtcOffset(local));
    }

    private async Task<JsonElement> MembershipAsync(string id) => await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/members/{id}/membership");

    private async Task<List<(string Type, JsonElement Payload)>> EventsAsync(string id) =>
        (await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{id}/events"))!
            .Select(e => (e.GetProperty("type").GetString()!, e.GetProperty("payload").Clone()))
            .ToList();

    private async Task<List<string>> NoticesAsync(string id) =>
        (await EventsAsync(id)).Where(e => e.Type == "notice_issued").Select(e => e.Payload.GetProperty("kind").GetString()!).ToList();
}
