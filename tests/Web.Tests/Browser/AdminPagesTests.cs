using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using MedSpa.Access;
using MedSpa.Tests;
using Microsoft.Playwright;

namespace MedSpa.Web.Tests.Browser;

/// <summary>
/// The administrator's pages in a real browser: plans built and revised without a developer, a price increase and
/// who has not confirmed it, the retry schedule changed at run time, the clock, and the pages refusing other roles.
/// </summary>
public sealed class AdminPagesTests(ClinicFixture fixture, Chromium chromium) : IClassFixture<ClinicFixture>, IClassFixture<Chromium>
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
    private readonly HttpClient _admin = fixture.Silo.AdminClient();
    private Clinic Clinic => fixture.Clinic;

    [Fact]
    public async Task A_plan_with_every_kind_of_benefit_is_created_on_the_page_and_revised_as_version_two()
    {
        var page = await AdminAsync();
        await page.GotoAsync("/plans/new");
        await page.FillAsync("[name='Form.Name']", "Glow Plus");
        await page.FillAsync("[name='Form.Description']", "Everything a regular needs");
        await page.FillAsync("[name='Form.MonthlyPrice']", "149.00");
        await page.FillAsync("[name='Form.MinimumTermMonths']", "6");
        await BenefitAsync(page, 0, "TreatmentUnits", category: "neurotoxin", units: "2", rollover: "4");
        await BenefitAsync(page, 1, "TreatmentUnits", service: Clinic.FillerId, units: "1");
        await BenefitAsync(page, 2, "DollarCredit", category: "facial", amount: "50.00", rollover: "150.00");
        await BenefitAsync(page, 3, "Discount", category: "filler", percent: "15");
        await BenefitAsync(page, 4, "Discount", percent: "5");
        await AddOnAsync(page, 0, "Extra neurotoxin", "250.00", "TreatmentUnits", category: "neurotoxin", units: "1", days: "180");
        await AddOnAsync(page, 1, "Facial top-up", "40.00", "DollarCredit", category: "facial", amount: "50.00", days: "90");
        await page.FillAsync("[name='Form.PauseMaxDays']", "30");
        await page.FillAsync("[name='Form.PauseTimesPer12Months']", "2");
        await page.SelectOptionAsync("[name='Form.Cancellation']", "BuyOut");
        await page.CheckAsync("input[type=checkbox][name='Form.OfferReactivation']");
        await page.FillAsync("[name='Form.OfferDiscountPercent']", "50");
        await page.FillAsync("[name='Form.OfferBonusBenefitKey']", "units:neurotoxin");
        await page.FillAsync("[name='Form.OfferBonusQuantity']", "1");
        await page.FillAsync("[name='Form.OfferSendAfterDays']", "14");
        await page.CheckAsync($"input[name='Form.LocationIds'][value='{Clinic.LocationId}']");
        await Screenshots.SaveAsync(page, "plan-editor");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create the plan" }).ClickAsync();

        await page.WaitForURLAsync("**/plans/plan_glow-plus?saved=1");
        var plan = await _admin.GetFromJsonAsync<JsonElement>("/api/v1/plans/plan_glow-plus");
        var terms = plan.GetProperty("versions")[0].GetProperty("terms");
        Assert.Equal(("Glow Plus", "Everything a regular needs", 14_900L, "usd", 6),
            (terms.GetProperty("name").GetString(), terms.GetProperty("description").GetString(), terms.GetProperty("monthlyPrice").GetProperty("amount").GetInt64(),
             terms.GetProperty("monthlyPrice").GetProperty("currency").GetString(), terms.GetProperty("minimumTermMonths").GetInt32()));
        var benefits = terms.GetProperty("benefits").EnumerateArray().ToList();
        Assert.Equal(
            [
                "treatment_units units:neurotoxin cat=neurotoxin svc= units=2 amount= percent= rollover=4",
                $"treatment_units units:{Clinic.FillerId} cat= svc={Clinic.FillerId} units=1 amount= percent= rollover=",
                "dollar_credit dollars:facial cat=facial svc= units= amount=5000 percent= rollover=15000",
                "discount discount:filler cat=filler svc= units= amount= percent=15 rollover=",
                "discount discount:all cat= svc= units= amount= percent=5 rollover=",
            ],
            benefits.Select(Describe));
        var addOns = terms.GetProperty("addOns").EnumerateArray().Select(a =>
            $"{a.GetProperty("name").GetString()} {a.GetProperty("price").GetProperty("amount").GetInt64()} {a.GetProperty("kind").GetString()} {Text(a, "category")} {Text(a, "units")} {(a.TryGetProperty("amount", out var m) && m.ValueKind == JsonValueKind.Object ? m.GetProperty("amount").GetInt64() : 0)} {a.GetProperty("validForDays").GetInt32()}");
        Assert.Equal(["Extra neurotoxin 25000 treatment_units neurotoxin 1 0 180", "Facial top-up 4000 dollar_credit facial  5000 90"], addOns);
        Assert.Equal((30, 2), (terms.GetProperty("pause").GetProperty("maxDays").GetInt32(), terms.GetProperty("pause").GetProperty("timesPer12Months").GetInt32()));
        Assert.Equal("buy_out", terms.GetProperty("cancellation").GetString());
        var offer = terms.GetProperty("reactivationOffer");
        Assert.Equal((50, "units:neurotoxin", 1L, 14),
            (offer.GetProperty("firstMonthDiscountPercent").GetInt32(), offer.GetProperty("bonusBenefitKey").GetString(), offer.GetProperty("bonusQuantity").GetInt64(), offer.GetProperty("sendAfterDays").GetInt32()));
        Assert.Equal([Clinic.LocationId], terms.GetProperty("locationIds").EnumerateArray().Select(l => l.GetString()));

        // A refusal keeps what was typed and says why, and saves nothing.
        await page.FillAsync("[name='Form.MonthlyPrice']", "159.00");
        await page.FillAsync("[name='Form.MinimumTermMonths']", "500");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save as a new version" }).ClickAsync();
        Assert.Contains("minimum term", await page.Locator("p.error").TextContentAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("159.00", await page.InputValueAsync("[name='Form.MonthlyPrice']"));
        Assert.Single((await _admin.GetFromJsonAsync<JsonElement>("/api/v1/plans/plan_glow-plus")).GetProperty("versions").EnumerateArray());

        await page.FillAsync("[name='Form.MinimumTermMonths']", "6");
        await page.Locator("table[data-rows=addOns] tbody tr").Nth(1).GetByRole(AriaRole.Button, new() { Name = "Remove" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save as a new version" }).ClickAsync();
        await page.WaitForURLAsync("**/plans/plan_glow-plus?saved=2");
        Assert.Equal(2, await page.Locator("table.versions tbody tr").CountAsync());
        var revised = await _admin.GetFromJsonAsync<JsonElement>("/api/v1/plans/plan_glow-plus");
        var current = revised.GetProperty("versions")[1];
        Assert.Equal((2, 15_900L, 1, 5), (current.GetProperty("version").GetInt32(), current.GetProperty("terms").GetProperty("monthlyPrice").GetProperty("amount").GetInt64(),
            current.GetProperty("terms").GetProperty("addOns").GetArrayLength(), current.GetProperty("terms").GetProperty("benefits").GetArrayLength()));

        await page.GotoAsync("/plans");
        Assert.Equal(1, await page.Locator("a[href='/plans/plan_glow-plus']").CountAsync());
        await Screenshots.SaveAsync(page, "plans");
    }

    [Fact]
    public async Task A_price_increase_scheduled_on_the_page_lists_the_members_who_have_not_confirmed()
    {
        var id = await Clinic.ActiveMemberAsync("Paula", "Increase");
        var page = await AdminAsync();
        await page.GotoAsync($"/price-increases?plan={Clinic.PremiumPlanId}");
        await page.FillAsync("[name=NewPrice]", "219.00");
        await page.FillAsync("[name=NoticeDays]", "30");
        await page.GetByRole(AriaRole.Button, new() { Name = "Schedule and tell members" }).ClickAsync();

        Assert.Contains("219.00", await page.Locator("p.notice").TextContentAsync(), StringComparison.Ordinal);
        var changes = await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/plans/{Clinic.PremiumPlanId}/price-changes");
        var change = changes!.Single(c => c.GetProperty("newPrice").GetProperty("amount").GetInt64() == 21_900).GetProperty("changeId").GetString();
        var unconfirmed = await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/plans/{Clinic.PremiumPlanId}/price-changes/{change}/unconfirmed");
        Assert.Contains(unconfirmed!, u => u.GetProperty("memberId").GetString() == id);
        var row = page.Locator($"section.price-change[data-change='{change}'] table.unconfirmed tr", new() { HasText = "Paula Increase" });
        Assert.Equal(1, await row.CountAsync());
        await Screenshots.SaveAsync(page, "price-increases");
    }

    [Fact]
    public async Task A_retry_schedule_changed_in_settings_is_the_one_the_next_failed_renewal_follows()
    {
        var id = await Clinic.ActiveMemberAsync("Rory", "Retry");
        (await _admin.PostAsJsonAsync($"/api/v1/members/{id}/payment-method", new { paymentMethodId = "pm_card_chargeCustomerFail" })).EnsureSuccessStatusCode();
        var page = await AdminAsync();
        await page.GotoAsync("/settings");
        Assert.Equal("24, 72", await page.InputValueAsync("[name=RetryHours]"));
        await page.FillAsync("[name=RetryHours]", "8, 40");
        await page.FillAsync("[name=SuspendedDays]", "12");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save the schedule" }).ClickAsync();
        Assert.Contains("saved", await page.Locator("p.notice").TextContentAsync(), StringComparison.Ordinal);
        await page.FillAsync("[name=RetryHours]", "40, 8");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save the schedule" }).ClickAsync();
        Assert.Contains("increasing", await page.Locator("p.error").TextContentAsync(), StringComparison.Ordinal);
        await page.FillAsync("[name='Location.Name']", "Harbour Clinic");
        await page.SelectOptionAsync("[name='Location.TimeZone']", "America/Los_Angeles");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add the location" }).ClickAsync();
        Assert.Equal(1, await page.Locator("table.locations tr", new() { HasText = "America/Los_Angeles" }).CountAsync());
        await Screenshots.SaveAsync(page, "settings");

        try
        {
            var billingDate = DateOnly.Parse((await _admin.MembershipAsync(id)).GetProperty("nextBillingDate").GetString()!, CultureInfo.InvariantCulture);
            var local = billingDate.ToDateTime(new TimeOnly(9, 0));
            await _admin.AdvanceClockToAsync(new DateTimeOffset(local, NewYork.GetUtcOffset(local)).AddMinutes(1));
            var line = await BoardLineAsync(id);
            var since = line.GetProperty("since").GetDateTimeOffset();
            Assert.Equal(since.AddHours(8), line.GetProperty("nextRetryAt").GetDateTimeOffset());
            await _admin.AdvanceClockToAsync(since.AddHours(8).AddMinutes(1));
            Assert.Equal(since.AddHours(40), (await BoardLineAsync(id)).GetProperty("nextRetryAt").GetDateTimeOffset());
            await _admin.AdvanceClockToAsync(since.AddHours(40).AddMinutes(1));
            line = await BoardLineAsync(id);
            Assert.Equal("suspended", line.GetProperty("status").GetString());
            Assert.Equal(line.GetProperty("suspendedAt").GetDateTimeOffset().AddDays(12), line.GetProperty("cancelAt").GetDateTimeOffset());
        }
        finally
        {
            await page.GotoAsync("/settings");
            await page.GetByRole(AriaRole.Button, new() { Name = "Go back to the configured schedule" }).ClickAsync();
        }
    }

    [Fact]
    public async Task The_clock_page_moves_simulated_time_forward()
    {
        var page = await AdminAsync();
        await page.GotoAsync("/clock");
        var before = DateTimeOffset.Parse((await page.Locator(".clock-now").GetAttributeAsync("data-now"))!, CultureInfo.InvariantCulture);

        await page.GetByRole(AriaRole.Button, new() { Name = "+1 day" }).ClickAsync();
        var after = DateTimeOffset.Parse((await page.Locator(".clock-now").GetAttributeAsync("data-now"))!, CultureInfo.InvariantCulture);
        Assert.InRange(after - before, TimeSpan.FromDays(1), TimeSpan.FromDays(1).Add(TimeSpan.FromMinutes(1)));

        var target = after.AddDays(3).UtcDateTime.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture);
        await page.FillAsync("[name=To]", target);
        await page.GetByRole(AriaRole.Button, new() { Name = "Advance", Exact = true }).ClickAsync();
        var moved = DateTimeOffset.Parse((await page.Locator(".clock-now").GetAttributeAsync("data-now"))!, CultureInfo.InvariantCulture);
        Assert.Equal(target, moved.UtcDateTime.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture));
        var api = await _admin.GetFromJsonAsync<JsonElement>("/api/v1/admin/clock");
        Assert.True(api.GetProperty("now").GetDateTimeOffset() >= moved);

        await page.FillAsync("[name=To]", "2020-01-01T00:00");
        await page.GetByRole(AriaRole.Button, new() { Name = "Advance", Exact = true }).ClickAsync();
        Assert.Contains("only moves forward", await page.Locator("p.error").TextContentAsync(), StringComparison.Ordinal);
        await Screenshots.SaveAsync(page, "clock");
    }

    [Fact]
    public async Task Reports_page_draws_every_chart_on_a_desktop_and_on_a_phone()
    {
        await Clinic.ActiveMemberAsync("Rhea", "Report");
        foreach (var phone in new[] { false, true })
        {
            var page = await chromium.OpenAsync(fixture.Silo.BaseAddress, phone);
            await StaffSession.SignInAsync(page, fixture.Silo);
            await page.GotoAsync("/reports");

            var members = await page.Locator($"table.mrr-now tr[data-plan='{Clinic.PremiumPlanId}'] td").Nth(1).TextContentAsync();
            Assert.True(int.Parse(members!, CultureInfo.InvariantCulture) >= 1);
            Assert.NotEqual("0.00 USD", await page.Locator("[data-figure=mrr-now]").TextContentAsync());
            // Every chart was drawn by Chart.js into a canvas the page gave room to, and the MRR chart has ink on it.
            Assert.Equal(8, await page.Locator("canvas[data-chart]").CountAsync());
            var undrawn = await page.EvaluateAsync<string[]>("""
                () => [...document.querySelectorAll('canvas[data-chart]')]
                  .filter(c => { const box = c.getBoundingClientRect(); return !c.chart || box.width < 50 || box.height < 50 || c.width === 0 || c.height === 0; })
                  .map(c => c.id)
                """);
            Assert.Empty(undrawn);
            Assert.True(await page.EvaluateAsync<bool>("""
                () => { const c = document.getElementById('chart-mrr'); const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                        for (let i = 3; i < d.length; i += 4) { if (d[i] !== 0) return true; } return false; }
                """));
            // Wide tables scroll inside their cards; the page itself never scrolls sideways.
            Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"));
            await Screenshots.SaveAsync(page, phone ? "reports-phone" : "reports");
        }
    }

    [Fact]
    public async Task Reactivation_and_mailbox_show_what_the_grains_hold()
    {
        await Clinic.ActiveMemberAsync("Mira", "Mailbox");
        var page = await AdminAsync();

        await page.GotoAsync("/reactivation");
        Assert.Equal("Reactivation", await page.Locator("h1").TextContentAsync());
        await Screenshots.SaveAsync(page, "reactivation");

        await page.GotoAsync("/mailbox");
        var mail = await _admin.GetFromJsonAsync<JsonElement[]>("/api/v1/mailbox");
        Assert.Equal(mail!.Length, await page.Locator("article.mail").CountAsync());
        foreach (var message in mail.Take(5))
        {
            Assert.True(await page.Locator("article.mail h2", new() { HasText = message.GetProperty("subject").GetString()! }).CountAsync() >= 1);
        }

        await Screenshots.SaveAsync(page, "mailbox");
    }

    [Theory]
    [InlineData(StaffRole.FrontDesk)]
    [InlineData(StaffRole.Provider)]
    public async Task Other_roles_get_403_on_the_admin_pages_and_the_mailbox(StaffRole role)
    {
        var page = await chromium.OpenAsync(fixture.Silo.BaseAddress);
        await StaffSession.SignInAsync(page, fixture.Silo, role);
        foreach (var path in new[] { "/plans", "/plans/new", $"/plans/{Clinic.PremiumPlanId}", "/price-increases", "/reactivation", "/settings", "/reports", "/clock", "/mailbox" })
        {
            Assert.Equal(403, (await page.GotoAsync(path))!.Status);
        }
    }

    private async Task<IPage> AdminAsync()
    {
        var page = await chromium.OpenAsync(fixture.Silo.BaseAddress);
        await StaffSession.SignInAsync(page, fixture.Silo);
        return page;
    }

    private static async Task BenefitAsync(IPage page, int row, string kind, string? service = null, string? category = null, string? units = null,
        string? amount = null, string? percent = null, string? rollover = null)
    {
        if (await page.Locator("table[data-rows=benefits] tbody tr").CountAsync() <= row)
        {
            await page.GetByRole(AriaRole.Button, new() { Name = "Add a benefit" }).ClickAsync();
        }

        var prefix = $"Form.Benefits[{row}]";
        await page.SelectOptionAsync($"[name='{prefix}.Kind']", kind);
        await page.SelectOptionAsync($"[name='{prefix}.ServiceId']", service ?? "");
        await page.FillAsync($"[name='{prefix}.Category']", category ?? "");
        await page.FillAsync($"[name='{prefix}.Units']", units ?? "");
        await page.FillAsync($"[name='{prefix}.Amount']", amount ?? "");
        await page.FillAsync($"[name='{prefix}.Percent']", percent ?? "");
        await page.FillAsync($"[name='{prefix}.RolloverCap']", rollover ?? "");
    }

    private static async Task AddOnAsync(IPage page, int row, string name, string price, string kind, string? category = null, string? units = null, string? amount = null, string? days = null)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Add an add-on" }).ClickAsync();
        var prefix = $"Form.AddOns[{row}]";
        await page.FillAsync($"[name='{prefix}.Name']", name);
        await page.FillAsync($"[name='{prefix}.Price']", price);
        await page.SelectOptionAsync($"[name='{prefix}.Kind']", kind);
        await page.FillAsync($"[name='{prefix}.Category']", category ?? "");
        await page.FillAsync($"[name='{prefix}.Units']", units ?? "");
        await page.FillAsync($"[name='{prefix}.Amount']", amount ?? "");
        await page.FillAsync($"[name='{prefix}.ValidForDays']", days ?? "");
    }

    private static string Describe(JsonElement b) =>
        $"{b.GetProperty("kind").GetString()} {b.GetProperty("key").GetString()} cat={Text(b, "category")} svc={Text(b, "serviceId")} units={Text(b, "units")} "
        + $"amount={(b.TryGetProperty("amount", out var m) && m.ValueKind == JsonValueKind.Object ? m.GetProperty("amount").GetInt64().ToString(CultureInfo.InvariantCulture) : "")} "
        + $"percent={Text(b, "percent")} rollover={(b.TryGetProperty("rollover", out var r) && r.ValueKind == JsonValueKind.Object ? r.GetProperty("maxAccumulation").GetInt64().ToString(CultureInfo.InvariantCulture) : "")}";

    private static string Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind is not JsonValueKind.Null ? v.ToString() : "";

    private async Task<JsonElement> BoardLineAsync(string id) =>
        (await _admin.GetFromJsonAsync<JsonElement[]>("/api/v1/billing/failed-payments"))!.Single(l => l.GetProperty("memberId").GetString() == id);
}
