using System.Net.Http.Json;
using System.Text.Json;
using MedSpa.Tests;
using Microsoft.Playwright;

namespace MedSpa.Web.Tests.Browser;

/// <summary>
/// A first payment that never arrives, as the desk sees it (issue 19, findings 7 and 8): enrolled on the tablet, a card
/// that declines saved in the first-payment step, on the failed-payments board with the attempts the member page lists
/// (and the emulator declined), then lapsed and gone with the notice in the mailbox. On a silo of its own: it moves the
/// clock a week.
/// </summary>
public sealed class FirstPaymentPageTests(ClinicFixture fixture, Chromium chromium) : IClassFixture<ClinicFixture>, IClassFixture<Chromium>
{
    private readonly HttpClient _admin = fixture.Silo.AdminClient();

    [Fact]
    public async Task A_declined_first_payment_is_on_the_board_with_the_attempts_the_member_page_lists_then_lapses_with_a_notice()
    {
        var page = await chromium.OpenAsync(fixture.Silo.BaseAddress);
        await StaffSession.SignInAsync(page, fixture.Silo);
        var id = await DeskEnrolment.EnrolAsync(page, fixture.Clinic, "Fern", "First");

        // The first-payment step: a card on file, charged at once. It declines, and the page says nothing was taken.
        await page.Locator("form:has(select[name=paymentMethodId]) select[name=paymentMethodId]").SelectOptionAsync("pm_card_chargeCustomerFail");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save card and charge" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-done]")).ToContainTextAsync("the 199.00 USD payment due was declined: nothing was taken");
        await Assertions.Expect(page.Locator("[data-live-status]")).ToHaveTextAsync("Pending payment");
        Assert.Equal([(19_900L, "requires_payment_method")], await PaymentIntentsAsync(id));

        await page.GotoAsync("/failed-payments");
        var line = page.Locator($"tr[data-member=\"{id}\"]");
        await Assertions.Expect(line).ToContainTextAsync("Fern First");
        await Assertions.Expect(line.Locator(".status.pending_payment")).ToHaveTextAsync("Pending payment");
        await Assertions.Expect(line.Locator("[data-attempts]")).ToHaveTextAsync("1");
        await Assertions.Expect(line.Locator("[data-lapse]")).ToContainTextAsync("enrolment lapses");

        // Both retries decline too: the board's count is the member page's list is the emulator's declines.
        var since = (await BoardLineAsync(id))!.Value.GetProperty("since").GetDateTimeOffset();
        await _admin.AdvanceClockToAsync(since.AddHours(72).AddMinutes(1));
        await page.GotoAsync("/failed-payments");
        await Assertions.Expect(line.Locator("[data-attempts]")).ToHaveTextAsync("3");
        await Screenshots.SaveAsync(page, "failed-payments-first-payment");
        var onBoard = int.Parse(await line.Locator("[data-attempts]").InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);

        await line.GetByRole(AriaRole.Link, new() { Name = "Fern First" }).ClickAsync();
        var listed = page.Locator("tr[data-charge-attempt]");
        await Assertions.Expect(listed).ToHaveCountAsync(onBoard);
        Assert.All(await listed.AllInnerTextsAsync(), row => Assert.Contains("Soft decline", row, StringComparison.Ordinal));
        await Screenshots.SaveAsync(page, "member-first-payment");
        Assert.Equal(Enumerable.Repeat((19_900L, "requires_payment_method"), onBoard), await PaymentIntentsAsync(id));

        // Seven days after the first decline: lapsed, off the board, told by mail; still nothing taken.
        await _admin.AdvanceClockToAsync(since.AddDays(7).AddMinutes(1));
        await page.GotoAsync("/failed-payments");
        await Assertions.Expect(page.Locator($"tr[data-member=\"{id}\"]")).ToHaveCountAsync(0);
        await page.GotoAsync($"/members/{id}");
        await Assertions.Expect(page.Locator("[data-live-status]")).ToHaveTextAsync("Cancelled");
        var email = (await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/members/{id}")).GetProperty("email").GetString()!;
        var lapseMail = await Eventually.Until(
            async () => (await _admin.GetFromJsonAsync<JsonElement[]>("/api/v1/mailbox"))!
                .FirstOrDefault(m => m.GetProperty("to").GetString() == email && m.GetProperty("subject").GetString()!.Contains("did not start", StringComparison.Ordinal)),
            m => m.ValueKind != JsonValueKind.Undefined, TimeSpan.FromSeconds(30), $"the lapse notice to {email}");
        Assert.Contains("first payment was not made", lapseMail.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.All(await PaymentIntentsAsync(id), pi => Assert.NotEqual("succeeded", pi.Status));
    }

    private async Task<JsonElement?> BoardLineAsync(string id) =>
        (await _admin.GetFromJsonAsync<JsonElement[]>("/api/v1/billing/failed-payments"))!
            .Where(l => l.GetProperty("memberId").GetString() == id).Select(l => (JsonElement?)l).SingleOrDefault();

    /// <summary>The emulator's record of the member's PaymentIntents (amount, status), oldest first: what the bank saw.</summary>
    private async Task<List<(long Amount, string Status)>> PaymentIntentsAsync(string memberId)
    {
        using var emulator = StripeAccount.ControlClient(fixture.Silo.StripeEmulator);
        return (await emulator.GetFromJsonAsync<JsonElement[]>("/_emulator/payment_intents"))!
            .Where(pi => pi.TryGetProperty("metadata", out var metadata) && metadata.TryGetProperty("member_id", out var member) && member.GetString() == memberId)
            .OrderBy(pi => pi.GetProperty("created").GetInt64())
            .Select(pi => (pi.GetProperty("amount").GetInt64(), pi.GetProperty("status").GetString()!))
            .ToList();
    }
}
