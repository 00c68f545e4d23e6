using System.Net.Http.Json;
using System.Text.Json;
using MedSpa.Tests;
using Microsoft.Playwright;

namespace MedSpa.Web.Tests.Browser;

/// <summary>
/// The member portal in headless Chromium on a phone (390×844): the emailed sign-in through smtp4dev, the overview
/// with its credits, the booking preview, billing, a cancellation that shows what is still owed before anything is confirmed, the card
/// picker, a price increase confirmed, and another member's URL answered 404.
/// </summary>
public sealed class PortalPagesTests(PortalClinicFixture fixture, Chromium chromium) : IClassFixture<PortalClinicFixture>, IClassFixture<Chromium>, IDisposable
{
    private readonly HttpClient _admin = fixture.Silo.AdminClient();

    public void Dispose() => _admin.Dispose();

    [Fact]
    public async Task A_member_signs_in_from_the_mail_sees_their_credits_a_booking_preview_and_the_cancellation_quote_before_confirming()
    {
        var id = await fixture.Clinic.ActiveMemberAsync("Pia", "Phone");
        var email = await PortalSession.EmailOfAsync(fixture.Silo, id);
        var page = await chromium.OpenAsync(fixture.Silo.BaseAddress, phone: true);

        // Not signed in: the portal sends to its sign-in form.
        await page.GotoAsync("/portal");
        Assert.EndsWith("/portal/sign-in", new Uri(page.Url).AbsolutePath, StringComparison.Ordinal);
        await Screenshots.SaveAsync(page, "portal-sign-in");
        var seen = await PortalSession.MailIdsAsync(fixture.Mail, email);
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByRole(AriaRole.Button, new() { Name = "Email me a sign-in link" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Check your email");

        // The link as it arrived in the mail, opened in the browser: a page that only offers to sign in.
        var token = await PortalSession.NextTokenAsync(fixture.Mail, email, seen);
        await page.GotoAsync($"/portal/sign-in?token={token}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync("**/portal");

        // The month's allocation: one neurotoxin treatment and $50 of facial credit, with when they lapse.
        var credits = page.Locator("#credits");
        await Assertions.Expect(credits.Locator("tr.balance[data-benefit='units:neurotoxin']")).ToContainTextAsync("1 treatment");
        await Assertions.Expect(credits.Locator("tr.balance[data-benefit='dollars:facial']")).ToContainTextAsync("$50.00");
        await Assertions.Expect(page.Locator("#membership")).ToContainTextAsync("Premium");
        await Assertions.Expect(page.Locator("#membership")).ToContainTextAsync("$199.00");
        await Assertions.Expect(page.Locator("#membership")).ToContainTextAsync("Minimum term ends");
        await Screenshots.SaveAsync(page, "portal-overview");

        // Booking a visit: before anything is booked, the page says the visit uses her neurotoxin credit.
        var date = await TodayPageTests.BookableDateAsync(_admin);
        await page.GetByRole(AriaRole.Link, new() { Name = "Book", Exact = true }).ClickAsync();
        await page.SelectOptionAsync("select[name=serviceId]", fixture.Clinic.NeurotoxinId);
        await page.FillAsync("input[name=date]", $"{date:yyyy-MM-dd}");
        await page.ClickAsync("text=See free times");
        await page.ClickAsync(".slots label:has-text('10:00')");
        await page.ClickAsync("text=Review");
        await Assertions.Expect(page.Locator(".confirm .preview")).ToHaveTextAsync("Covered by your membership: uses 1 neurotoxin unit");
        Assert.Empty((await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{id}/appointments"))!);

        await page.GetByRole(AriaRole.Link, new() { Name = "Billing", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("#payments tr.subscription")).ToContainTextAsync("$199.00");
        await Screenshots.SaveAsync(page, "portal-history");

        // Cancelling inside the six-month term: what is still owed, and when it ends, before anything is recorded.
        var quote = await _admin.PostOkAsync($"/api/v1/members/{id}/cancellation", new { confirm = false });
        var owed = quote.GetProperty("remainingObligation").GetProperty("amount").GetInt64();
        Assert.True(owed > 0, "inside the term something remains to pay");
        await page.GotoAsync("/portal");
        await page.GetByRole(AriaRole.Link, new() { Name = "Cancel membership" }).ClickAsync();
        await Assertions.Expect(page.Locator("#choices li[data-option=ContinueToTermEnd]")).ToContainTextAsync($"${owed / 100m:#,##0.00} billed over");
        await Screenshots.SaveAsync(page, "portal-cancel-quote");
        Assert.DoesNotContain(await _admin.EventsAsync(id), e => e.Type == "cancellation_requested");

        await page.Locator("select[name=reason]").SelectOptionAsync("relocation");
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm cancellation" }).ClickAsync();
        await Assertions.Expect(page.Locator("#pending-cancellation")).ToContainTextAsync("Your cancellation is confirmed");
        Assert.Contains(await _admin.EventsAsync(id), e => e.Type == "cancellation_requested");
    }

    [Fact]
    public async Task Another_members_url_is_404_in_the_browser()
    {
        var mine = await fixture.Clinic.ActiveMemberAsync("Mae", "Mine");
        var theirs = await fixture.Clinic.ActiveMemberAsync("Tia", "Theirs");
        var page = await SignedInAsync(mine);

        var response = await page.GotoAsync($"/portal/members/{theirs}/card");

        Assert.Equal(404, response!.Status);
        Assert.Equal(200, (await page.GotoAsync($"/portal/members/{mine}/card"))!.Status);
    }

    [Fact]
    public async Task A_member_saves_a_test_card_a_declining_one_is_said_to_decline_and_a_good_one_pays_the_first_month()
    {
        var id = await fixture.Clinic.RegisterAsync("Cara", "Card");
        await _admin.PostOkAsync($"/api/v1/members/{id}/enrolment", new { planId = fixture.Clinic.PremiumPlanId, agreement = new { signedName = "Cara Card", accepted = true } });
        var page = await SignedInAsync(id);

        await page.GotoAsync($"/portal/members/{id}/card");
        await Screenshots.SaveAsync(page, "portal-card");
        await page.GetByLabel("Visa 0341: saved, then declined when charged").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save this card" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("declined");
        Assert.Equal("pending_payment", (await _admin.MembershipAsync(id)).GetProperty("status").GetString());

        await page.GetByLabel("Mastercard 4444: succeeds").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save this card" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("first month ($199.00) is paid");
        await Assertions.Expect(page.Locator("#card-on-file")).ToContainTextAsync("Mastercard ending 4444");
        var membership = await _admin.MembershipAsync(id);
        Assert.Equal("active", membership.GetProperty("status").GetString());
        Assert.Equal("4444", membership.GetProperty("card").GetProperty("last4").GetString());
    }

    [Fact]
    public async Task A_member_confirms_a_price_increase_from_the_overview()
    {
        var id = await fixture.Clinic.ActiveMemberAsync("Pru", "Price");
        var changeId = $"pchg_{Guid.NewGuid():N}";
        await _admin.PostOkAsync($"/api/v1/plans/{fixture.Clinic.PremiumPlanId}/price-changes", new { newPrice = Clinic.Usd(21_900), noticeDays = 0, changeId });
        await Eventually.Until(() => _admin.NoticeKindsAsync(id), kinds => kinds.Contains("price_increase"), TimeSpan.FromSeconds(30), "the member told of the increase");
        var page = await SignedInAsync(id);

        await page.GetByRole(AriaRole.Link, new() { Name = "Review and confirm" }).ClickAsync();
        Assert.EndsWith($"/portal/members/{id}/price-changes/{changeId}", new Uri(page.Url).AbsolutePath, StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("#new-price")).ToHaveTextAsync("$219.00");
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm the new price" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("You confirmed the new price");
        var confirmed = Assert.Single(await _admin.EventsAsync(id), e => e.Type == "price_increase_confirmed");
        Assert.Equal(changeId, confirmed.Payload.GetProperty("changeId").GetString());
    }

    /// <summary>A phone signed in as the member through a mailed link.</summary>
    private async Task<IPage> SignedInAsync(string memberId)
    {
        var email = await PortalSession.EmailOfAsync(fixture.Silo, memberId);
        var seen = await PortalSession.MailIdsAsync(fixture.Mail, email);
        using var anonymous = fixture.Silo.AnonymousClient();
        (await anonymous.PostAsJsonAsync("/api/v1/portal/sign-in-link", new { email })).EnsureSuccessStatusCode();
        var token = await PortalSession.NextTokenAsync(fixture.Mail, email, seen);

        var page = await chromium.OpenAsync(fixture.Silo.BaseAddress, phone: true);
        await page.GotoAsync($"/portal/sign-in?token={token}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync("**/portal");
        return page;
    }
}
