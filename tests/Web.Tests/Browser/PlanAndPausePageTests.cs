using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using MedSpa.Access;
using MedSpa.Tests;
using Microsoft.Playwright;

namespace MedSpa.Web.Tests.Browser;

/// <summary>
/// The desk's money pages for a plan change and a pause, in a real browser, checked against the Stripe emulator's record:
/// an upgrade charges what its quote said, and a pause charges nothing, moves the next payment by the days paused and
/// grants no second month of credits (a clinic found a pause the day after paying gave away a month).
/// </summary>
public sealed class PlanAndPausePageTests(ClinicFixture fixture, Chromium chromium) : IClassFixture<ClinicFixture>, IClassFixture<Chromium>, IDisposable
{
    private readonly HttpClient _admin = fixture.Silo.AdminClient();

    private Clinic Clinic => fixture.Clinic;

    public void Dispose() => _admin.Dispose();

    [Fact]
    public async Task An_upgrade_quoted_at_the_desk_charges_the_card_what_the_quote_said()
    {
        var platinum = await PlanAsync("Platinum Desk", 29_900);
        var id = await Clinic.CardMemberAsync("Uma", "Upgrade");
        var page = await DeskAsync(id);

        await page.Locator("#plan-change select[name=planId]").SelectOptionAsync(platinum);
        await page.GetByRole(AriaRole.Button, new() { Name = "Quote the change" }).ClickAsync();
        var quoted = page.Locator("[data-plan-charge]");
        await Assertions.Expect(quoted).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-plan-quote]")).ToContainTextAsync("Upgrade to Platinum Desk");
        var promised = long.Parse((await quoted.GetAttributeAsync("data-plan-charge"))!, CultureInfo.InvariantCulture);
        Assert.True(promised > 0);
        Assert.Empty(await EmulatorRecord.SucceededAmountsAsync(fixture.Silo.StripeEmulator, id, "plan-change:"));
        await Screenshots.SaveAsync(page, "desk-plan-change-quote");

        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm plan change" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-done]")).ToContainTextAsync($"{promised / 100m:0.00} USD charged");

        Assert.Equal([promised], await EmulatorRecord.SucceededAmountsAsync(fixture.Silo.StripeEmulator, id, "plan-change:"));
        Assert.Equal(platinum, (await _admin.MembershipAsync(id)).GetProperty("planId").GetString());
    }

    [Fact]
    public async Task A_pause_the_day_after_paying_charges_nothing_moves_the_next_payment_and_grants_no_second_month()
    {
        var id = await Clinic.CardMemberAsync("Paz", "Pause");
        var joined = await _admin.MembershipAsync(id);
        var periodStart = DateOnly.Parse(joined.GetProperty("currentPeriodStart").GetString()!, CultureInfo.InvariantCulture);
        var nextBilling = DateOnly.Parse(joined.GetProperty("nextBillingDate").GetString()!, CultureInfo.InvariantCulture);
        var moved = nextBilling.AddDays(22);
        await _admin.AdvanceClockToAsync(LocalInstant(periodStart.AddDays(1), 12));
        var page = await DeskAsync(id);

        await page.Locator("#pause input[name=days]").FillAsync("22");
        await page.Locator("#pause").GetByRole(AriaRole.Button, new() { Name = "Pause" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-done]")).ToContainTextAsync($"the next payment moves to {moved:yyyy-MM-dd}");
        await Screenshots.SaveAsync(page, "desk-paused");

        // The pause ends by itself; nothing is charged then, and no second month of credit comes with it.
        await _admin.AdvanceClockToAsync(LocalInstant(periodStart.AddDays(23), 12));
        Assert.Equal("active", (await _admin.MembershipAsync(id)).GetProperty("status").GetString());
        Assert.Equal([Clinic.PremiumPrice], await EmulatorRecord.SucceededAmountsAsync(fixture.Silo.StripeEmulator, id, "charge:"));
        Assert.Equal(1, await AllocationsAsync(id));
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync(moved.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

        // On the moved date the next month is charged in full, and its credit allocated once.
        await _admin.AdvanceClockToAsync(LocalInstant(moved, 12));
        Assert.Equal([Clinic.PremiumPrice, Clinic.PremiumPrice], await EmulatorRecord.SucceededAmountsAsync(fixture.Silo.StripeEmulator, id, "charge:"));
        Assert.Equal(2, await AllocationsAsync(id));
    }

    private async Task<IPage> DeskAsync(string id)
    {
        var page = await chromium.OpenAsync(fixture.Silo.BaseAddress);
        await StaffSession.SignInAsync(page, fixture.Silo, StaffRole.FrontDesk);
        await page.GotoAsync($"/members/{id}");
        return page;
    }

    /// <summary>How many of the neurotoxin benefit's month allocations the ledger holds.</summary>
    private async Task<int> AllocationsAsync(string id) =>
        (await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{id}/ledger"))!
            .Count(e => e.GetProperty("type").GetString() == "allocated" && e.GetProperty("benefitKey").GetString() == Clinic.NeurotoxinKey);

    private async Task<string> PlanAsync(string name, long price)
    {
        var response = await _admin.PostAsJsonAsync("/api/v1/plans", new
        {
            name,
            monthlyPrice = Clinic.Usd(price),
            minimumTermMonths = 6,
            benefits = new object[] { new { kind = "treatment_units", category = "neurotoxin", units = 2, rollover = new { maxAccumulation = 6 } } },
        });
        return (await response.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private static DateTimeOffset LocalInstant(DateOnly day, int hour) =>
        Domain.Billing.BillingCalendar.LocalInstant(day.ToDateTime(new TimeOnly(hour, 0)), TimeZoneInfo.FindSystemTimeZoneById("America/New_York"));
}
