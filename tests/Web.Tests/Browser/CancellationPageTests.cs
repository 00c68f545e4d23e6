using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using MedSpa.Access;
using MedSpa.Tests;
using Microsoft.Playwright;

namespace MedSpa.Web.Tests.Browser;

/// <summary>
/// Cancelling inside the minimum term on a plan that allows a buy-out, at the desk and in the portal: every option the
/// page offers carries its own figures, and what the page promised for the buy-out is what the Stripe emulator's record
/// shows was charged. (A clinic found the buy-out offered at 0.00 and then charged in full.)
/// </summary>
public sealed class CancellationPageTests(PortalClinicFixture fixture, Chromium chromium) : IClassFixture<PortalClinicFixture>, IClassFixture<Chromium>, IDisposable
{
    private const long Price = 14_900;

    private readonly HttpClient _admin = fixture.Silo.AdminClient();

    public void Dispose() => _admin.Dispose();

    [Fact]
    public async Task The_desk_is_offered_each_option_with_its_charge_and_the_buy_out_charges_what_the_page_said()
    {
        var id = await BuyOutMemberAsync("Dana", "Desk");
        var page = await chromium.OpenAsync(fixture.Silo.BaseAddress);
        await StaffSession.SignInAsync(page, fixture.Silo, StaffRole.FrontDesk);
        await page.GotoAsync($"/members/{id}");

        await page.Locator("#cancel select[name=reason]").SelectOptionAsync("relocation");
        await page.GetByRole(AriaRole.Button, new() { Name = "Quote the cancellation" }).ClickAsync();
        var buyOut = page.Locator("#cancel label[data-option=BuyOut]");
        var keepPaying = page.Locator("#cancel label[data-option=ContinueToTermEnd]");
        await Assertions.Expect(buyOut).ToBeVisibleAsync();
        var promised = long.Parse((await buyOut.GetAttributeAsync("data-charge-now"))!, CultureInfo.InvariantCulture);
        Assert.Equal(5 * Price, promised);
        await Assertions.Expect(buyOut).ToContainTextAsync($"{Dollars(promised)} USD charged on the card now");
        await Assertions.Expect(keepPaying).ToContainTextAsync("nothing charged now");
        await Assertions.Expect(keepPaying).ToContainTextAsync($"{Dollars(5 * Price)} USD billed over 5 more billing date(s)");
        Assert.Equal("0", await keepPaying.GetAttributeAsync("data-charge-now"));
        await Screenshots.SaveAsync(page, "desk-cancel-quote");
        Assert.Empty(await EmulatorRecord.SucceededAmountsAsync(fixture.Silo.StripeEmulator, id, "buy-out:"));

        await buyOut.Locator("input[type=radio]").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm cancellation" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-done]")).ToContainTextAsync($"{Dollars(promised)} USD was charged on the card");

        Assert.Equal([promised], await EmulatorRecord.SucceededAmountsAsync(fixture.Silo.StripeEmulator, id, "buy-out:"));
        var membership = await _admin.MembershipAsync(id);
        Assert.Equal("buy_out", membership.GetProperty("pendingCancellation").GetProperty("option").GetString());
    }

    [Fact]
    public async Task The_member_reads_each_option_with_its_charge_and_pays_what_the_portal_said()
    {
        var id = await BuyOutMemberAsync("Pam", "Portal");
        var page = await chromium.OpenAsync(fixture.Silo.BaseAddress, phone: true);
        await PortalSession.SignInAsync(page, fixture, id);

        await page.GotoAsync($"/portal/members/{id}/cancel");
        var buyOut = page.Locator("#choices li[data-option=BuyOut]");
        var promised = long.Parse((await buyOut.GetAttributeAsync("data-charge-now"))!, CultureInfo.InvariantCulture);
        Assert.Equal(5 * Price, promised);
        await Assertions.Expect(buyOut).ToContainTextAsync($"${Dollars(promised)} charged on the card now");
        await Assertions.Expect(page.Locator("#choices li[data-option=ContinueToTermEnd]")).ToContainTextAsync("nothing charged now");
        await Screenshots.SaveAsync(page, "portal-cancel-choices");

        await page.Locator("select[name=reason]").SelectOptionAsync("price");
        await page.Locator("input[name=option][value=BuyOut]").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm cancellation" }).ClickAsync();
        await Assertions.Expect(page.Locator("#charged-now")).ToContainTextAsync($"You paid ${Dollars(promised)}");
        await Screenshots.SaveAsync(page, "portal-cancel-bought-out");

        Assert.Equal([promised], await EmulatorRecord.SucceededAmountsAsync(fixture.Silo.StripeEmulator, id, "buy-out:"));
    }

    private static string Dollars(long cents) => (cents / 100m).ToString("#,##0.00", CultureInfo.InvariantCulture);

    /// <summary>A card member on a six-month plan that allows a buy-out, one month paid: five billing dates are left.</summary>
    private async Task<string> BuyOutMemberAsync(string first, string last)
    {
        var plan = await _admin.PostAsJsonAsync("/api/v1/plans", new
        {
            name = $"Glow {first}",
            monthlyPrice = Clinic.Usd(Price),
            minimumTermMonths = 6,
            benefits = new object[] { new { kind = "dollar_credit", category = "facial", amount = Clinic.Usd(3_000) } },
            cancellation = "buy_out",
        });
        var planId = (await plan.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var id = await fixture.Clinic.RegisterAsync(first, last);
        (await _admin.PostAsJsonAsync($"/api/v1/members/{id}/payment-method", new { paymentMethodId = "pm_card_visa" })).EnsureSuccessStatusCode();
        var enrolled = await _admin.PostOkAsync($"/api/v1/members/{id}/enrolment", new { planId, agreement = new { signedName = $"{first} {last}", accepted = true } });
        Assert.Equal("active", enrolled.GetProperty("status").GetString());
        return id;
    }
}
