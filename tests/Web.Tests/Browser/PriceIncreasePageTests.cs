using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using MedSpa.Tests;
using Microsoft.Playwright;

namespace MedSpa.Web.Tests.Browser;

/// <summary>
/// The owner's price-increase page in a real browser: the plan chosen in the picker is the one whose price goes up and
/// whose members are told, whichever plan the page was opened from, and the page works opened from the menu too.
/// </summary>
public sealed class PriceIncreasePageTests(ClinicFixture fixture, Chromium chromium) : IClassFixture<ClinicFixture>, IClassFixture<Chromium>
{
    private const long VipPrice = 34_900;
    private readonly HttpClient _admin = fixture.Silo.AdminClient();
    private Clinic Clinic => fixture.Clinic;

    [Fact]
    public async Task The_plan_picked_on_the_page_is_the_one_raised_and_only_its_members_are_told()
    {
        var vip = await PlanAsync("VIP", VipPrice);
        var vipMember = await MemberOnAsync(vip, VipPrice, "Vera", "Vip");
        var premiumMember = await Clinic.ActiveMemberAsync("Prue", "Premium");
        var premiumBefore = await ChangesAsync(Clinic.PremiumPlanId);

        var page = await OwnerAsync();
        // Opened from Premium's page: the picker starts there, and the owner moves it to VIP.
        await page.GotoAsync($"/price-increases?plan={Clinic.PremiumPlanId}");
        Assert.Equal(Clinic.PremiumPlanId, await page.InputValueAsync("[name=PlanId]"));
        await page.SelectOptionAsync("[name=PlanId]", new SelectOptionValue { Label = "VIP (now 349.00 USD)" });
        await page.FillAsync("[name=NewPrice]", "379.00");
        await page.FillAsync("[name=NoticeDays]", "30");
        await page.GetByRole(AriaRole.Button, new() { Name = "Schedule and tell members" }).ClickAsync();

        var notice = await page.Locator("p.notice").TextContentAsync();
        var change = Assert.Single(await ChangesAsync(vip));
        Assert.Equal(37_900, change.GetProperty("newPrice").GetProperty("amount").GetInt64());
        var changeId = change.GetProperty("changeId").GetString()!;
        Assert.Equal(premiumBefore.Select(c => c.GetProperty("changeId").GetString()), (await ChangesAsync(Clinic.PremiumPlanId)).Select(c => c.GetProperty("changeId").GetString()));

        // The page says what the decision answered: the plan by name, the new price, the date it applies from.
        var told = Assert.Single(await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/plans/{vip}/price-changes/{changeId}/unconfirmed") ?? []);
        Assert.Equal(vipMember, told.GetProperty("memberId").GetString());
        var effectiveFrom = DateOnly.Parse(told.GetProperty("effectiveFrom").GetString()!, CultureInfo.InvariantCulture);
        Assert.Contains("VIP goes from 349.00 to 379.00 USD", notice, StringComparison.Ordinal);
        Assert.Contains(effectiveFrom.ToString("d MMMM yyyy", CultureInfo.InvariantCulture), notice, StringComparison.Ordinal);
        Assert.DoesNotContain(vip, notice, StringComparison.Ordinal);

        Assert.Single(await Notices.OfTypeAsync(_admin, vipMember, "price_increase_notified"), n => n.GetProperty("changeId").GetString() == changeId);
        Assert.Empty(await Notices.OfTypeAsync(_admin, premiumMember, "price_increase_notified"));
        var vipEmail = await EmailAsync(vipMember);
        var premiumEmail = await EmailAsync(premiumMember);
        await Eventually.Until(() => MailToAsync(vipEmail), m => m.Any(k => k == "price_increase"), TimeSpan.FromSeconds(30), $"the price-increase mail to {vipEmail}");
        Assert.DoesNotContain("price_increase", await MailToAsync(premiumEmail));
        await Screenshots.SaveAsync(page, "price-increases-picked-plan");
    }

    [Fact]
    public async Task Opened_from_the_menu_the_page_lists_the_plans_by_name_and_schedules_the_one_picked()
    {
        var signature = await PlanAsync("Signature", 24_900);
        var page = await OwnerAsync();
        // From any page's menu; the plans list is the owner's nearest page to it (the day page holds a live connection).
        await page.GotoAsync("/plans");
        await page.Locator("header nav a", new() { HasText = "Price increases" }).ClickAsync();
        await page.WaitForURLAsync("**/price-increases");

        Assert.Equal("Price increases", await page.Locator("h1").TextContentAsync());
        var options = await page.Locator("[name=PlanId] option").AllTextContentsAsync();
        Assert.Contains("Premium (now 199.00 USD)", options);
        Assert.Contains("Signature (now 249.00 USD)", options);
        Assert.Equal("", await page.InputValueAsync("[name=PlanId]"));

        var premiumBefore = (await ChangesAsync(Clinic.PremiumPlanId)).Length;
        var signatureBefore = (await ChangesAsync(signature)).Length;
        // The browser would stop these itself; the page must refuse them all the same, and change nothing.
        await page.EvalOnSelectorAsync("form.price-increase", "form => form.noValidate = true");
        await page.FillAsync("[name=NewPrice]", "379.00");
        await SubmitAsync(page);
        Assert.Contains("Choose the plan", await page.Locator("p.error").TextContentAsync(), StringComparison.Ordinal);

        await page.EvalOnSelectorAsync("[name=PlanId]", "select => select.add(new Option('Gone', 'plan_gone', true, true))");
        await page.FillAsync("[name=NewPrice]", "379.00");
        await SubmitAsync(page);
        Assert.Contains("no plan", await page.Locator("p.error").TextContentAsync(), StringComparison.OrdinalIgnoreCase);

        await page.SelectOptionAsync("[name=PlanId]", new SelectOptionValue { Label = "Signature (now 249.00 USD)" });
        await page.FillAsync("[name=NewPrice]", "2000000.00");
        await SubmitAsync(page);
        Assert.Contains("1000000.00", await page.Locator("p.error").TextContentAsync(), StringComparison.Ordinal);
        Assert.Equal(signature, await page.InputValueAsync("[name=PlanId]"));

        await page.FillAsync("[name=NewPrice]", "200.00");
        await SubmitAsync(page);
        Assert.Contains("above 249.00 USD", await page.Locator("p.error").TextContentAsync(), StringComparison.Ordinal);
        Assert.Equal((premiumBefore, signatureBefore), ((await ChangesAsync(Clinic.PremiumPlanId)).Length, (await ChangesAsync(signature)).Length));

        await page.FillAsync("[name=NewPrice]", "259.00");
        await page.FillAsync("[name=NoticeDays]", "14");
        var response = await page.RunAndWaitForResponseAsync(() => SubmitAsync(page), r => r.Request.Method == "POST");
        Assert.Equal(200, response.Status);
        Assert.Contains("Signature goes from 249.00 to 259.00 USD", await page.Locator("p.notice").TextContentAsync(), StringComparison.Ordinal);
        Assert.Contains(await ChangesAsync(signature), c => c.GetProperty("newPrice").GetProperty("amount").GetInt64() == 25_900);
        Assert.Equal(premiumBefore, (await ChangesAsync(Clinic.PremiumPlanId)).Length);
        await Screenshots.SaveAsync(page, "price-increases-from-menu");
    }

    private static Task SubmitAsync(IPage page) => page.GetByRole(AriaRole.Button, new() { Name = "Schedule and tell members" }).ClickAsync();

    private async Task<IPage> OwnerAsync()
    {
        var page = await chromium.OpenAsync(fixture.Silo.BaseAddress);
        await StaffSession.SignInAsync(page, fixture.Silo);
        return page;
    }

    /// <summary>A plan of the clinic's besides Premium, one per test so each test's increases are its own.</summary>
    private async Task<string> PlanAsync(string name, long price)
    {
        var response = await _admin.PostAsJsonAsync("/api/v1/plans", new
        {
            name,
            description = $"{name}, monthly",
            monthlyPrice = Clinic.Usd(price),
            minimumTermMonths = 0,
            benefits = new object[] { new { kind = "discount", percent = 20 } },
        });
        var content = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, content);
        return JsonDocument.Parse(content).RootElement.GetProperty("id").GetString()!;
    }

    private async Task<string> MemberOnAsync(string planId, long price, string first, string last)
    {
        var id = await Clinic.RegisterAsync(first, last);
        (await _admin.PostAsJsonAsync($"/api/v1/members/{id}/enrolment",
            new { planId, agreement = new { signedName = $"{first} {last}", accepted = true } })).EnsureSuccessStatusCode();
        (await _admin.PostAsJsonAsync($"/api/v1/members/{id}/desk-payments",
            new { paymentId = $"pay_{Guid.NewGuid():N}", method = "card_terminal", amount = Clinic.Usd(price) })).EnsureSuccessStatusCode();
        return id;
    }

    private async Task<JsonElement[]> ChangesAsync(string planId) =>
        await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/plans/{planId}/price-changes") ?? [];

    private async Task<string> EmailAsync(string memberId) =>
        (await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/members/{memberId}")).GetProperty("email").GetString()!;

    private async Task<List<string>> MailToAsync(string email) =>
        [.. (await _admin.GetFromJsonAsync<JsonElement[]>("/api/v1/mailbox") ?? []).Where(m => m.GetProperty("to").GetString() == email).Select(m => m.GetProperty("kind").GetString()!)];
}
