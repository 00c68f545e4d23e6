using System.Net.Http.Json;
using System.Text.Json;
using MedSpa.Access;
using MedSpa.Tests;
using Microsoft.Playwright;
using UglyToad.PdfPig;

namespace MedSpa.Web.Tests.Browser;

/// <summary>
/// The front desk in a real browser: enrolment signed on the tablet, the member page's checkout with its preview and
/// the other actions, and what a provider may not do. The API is asked afterwards whether the pages really did it.
/// </summary>
public sealed class DeskPageTests(ClinicFixture fixture, Chromium chromium) : IClassFixture<ClinicFixture>, IClassFixture<Chromium>
{
    private readonly HttpClient _admin = fixture.Silo.AdminClient();

    private Clinic Clinic => fixture.Clinic;

    [Fact]
    public async Task Staff_enrol_a_client_who_signs_on_the_tablet_take_the_first_payment_and_check_out_a_treatment_previewed_first()
    {
        var page = await SignedInAsync();

        var id = await EnrolAtTheDeskAsync(page, "Nora", "Desk");

        // The first payment, taken at the desk, lands on the member page with this month's credit.
        await page.Locator("form[data-action=first-payment] button[type=submit]").ClickAsync();
        await page.WaitForURLAsync($"**/members/{id}");
        await Assertions.Expect(page.Locator("[data-done]")).ToContainTextAsync("199.00 USD");
        await Assertions.Expect(page.Locator("[data-live-status]")).ToHaveTextAsync("Active");
        await Assertions.Expect(page.Locator("[data-live-status]")).ToHaveClassAsync("status active");
        Assert.Equal(id, await page.Locator("[data-live-member]").GetAttributeAsync("data-live-member"));
        var balance = page.Locator($"[data-live-balance=\"{Clinic.NeurotoxinKey}\"]");
        await Assertions.Expect(balance).ToHaveTextAsync("1");
        await Assertions.Expect(page.Locator($"[data-live-expiry=\"{Clinic.NeurotoxinKey}\"]")).Not.ToBeEmptyAsync();

        // The preview says what the checkout will do, and changes nothing yet.
        await page.Locator($"input[data-service=\"{Clinic.NeurotoxinId}\"]").FillAsync("1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Preview" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-preview]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-credit-use]").First).ToContainTextAsync(Clinic.NeurotoxinKey);
        await Assertions.Expect(page.Locator("[data-preview-due]")).ToHaveTextAsync("0.00 USD");
        await Assertions.Expect(balance).ToHaveTextAsync("1");
        Assert.Equal(1, await NeurotoxinBalanceAsync(id));
        await Screenshots.SaveAsync(page, "checkout-preview");

        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm checkout" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-receipt]")).ToBeVisibleAsync();
        await Assertions.Expect(balance).ToHaveTextAsync("0");
        Assert.Equal(0, await NeurotoxinBalanceAsync(id));
        var membership = await _admin.MembershipAsync(id);
        Assert.Equal("active", membership.GetProperty("status").GetString());
        var payments = await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{id}/payments");
        Assert.Contains(payments!, p => p.GetProperty("category").GetString() == "subscription" && p.GetProperty("amount").GetProperty("amount").GetInt64() == Clinic.PremiumPrice);
        await Screenshots.SaveAsync(page, "member-page");

        await page.GotoAsync("/members?q=Nora");
        await Assertions.Expect(page.Locator($"tr[data-member=\"{id}\"]")).ToContainTextAsync("Premium");
        await Assertions.Expect(page.Locator($"tr[data-member=\"{id}\"] .status.active")).ToHaveTextAsync("Active");
        await Screenshots.SaveAsync(page, "members-search");
    }

    [Fact]
    public async Task The_agreement_pdf_of_a_desk_enrolment_carries_the_drawn_signature()
    {
        var page = await SignedInAsync();
        var id = await EnrolAtTheDeskAsync(page, "Pia", "Penn");

        var agreement = await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/members/{id}/agreement");
        var png = agreement.GetProperty("signatureImage").GetBytesFromBase64();
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        Assert.Equal("Pia Penn", agreement.GetProperty("signedName").GetString());
        Assert.StartsWith("desk:", agreement.GetProperty("signedVia").GetString(), StringComparison.Ordinal);
        Assert.Contains("Chrome", agreement.GetProperty("userAgent").GetString(), StringComparison.Ordinal);

        // Downloaded as the desk would, with the staff session's cookie.
        var response = await page.APIRequest.GetAsync($"/api/v1/members/{id}/agreement.pdf");
        Assert.Equal(200, response.Status);
        using var pdf = PdfDocument.Open(await response.BodyAsync());
        var images = pdf.GetPages().SelectMany(p => p.GetImages()).ToList();
        Assert.Single(images);
        Assert.True(images[0].WidthInSamples > 100, $"the drawn signature is {images[0].WidthInSamples} pixels wide");
    }

    [Fact]
    public async Task A_provider_sees_no_desk_actions_and_a_desk_action_posted_anyway_is_refused()
    {
        var id = await Clinic.ActiveMemberAsync("Prov", "Idera");
        var page = await chromium.OpenAsync(fixture.Silo.BaseAddress);
        await StaffSession.SignInAsync(page, fixture.Silo, StaffRole.Provider);

        await page.GotoAsync($"/members/{id}");

        await Assertions.Expect(page.Locator("[data-live-balance]").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("form[data-action=preview]")).ToBeVisibleAsync();
        foreach (var desk in new[] { "#adjust", "#cancel", "#pause", "#plan-change", "#card", "#desk-payment", "form[data-action=adjust]" })
        {
            Assert.Equal(0, await page.Locator(desk).CountAsync());
        }

        Assert.Equal(0, await page.GetByRole(AriaRole.Link, new() { Name = "Enrol" }).CountAsync());
        var status = await page.EvaluateAsync<int>(
            """
            async ([id, key]) => {
              const body = new FormData(document.querySelector('form[data-action=preview]'));
              body.set('adjustmentId', 'adj_by_provider');
              body.set('benefitKey', key);
              body.set('change', '5');
              body.set('reason', 'goodwill');
              return (await fetch(`/members/${id}?handler=Adjust`, { method: 'POST', body })).status;
            }
            """,
            new[] { id, Clinic.NeurotoxinKey });

        Assert.Equal(403, status);
        Assert.Equal(1, await NeurotoxinBalanceAsync(id));
        Assert.NotEqual(200, (await page.GotoAsync("/enrol"))!.Status);
        Assert.Equal(0, await page.Locator("form[data-action=register]").CountAsync());
    }

    [Fact]
    public async Task A_cancellation_shows_its_obligation_quote_first_and_is_recorded_only_once_confirmed()
    {
        var id = await Clinic.ActiveMemberAsync("Cass", "Quote");
        var page = await SignedInAsync();
        await page.GotoAsync($"/members/{id}");

        await page.Locator("#cancel select[name=reason]").SelectOptionAsync("relocation");
        await page.GetByRole(AriaRole.Button, new() { Name = "Quote the cancellation" }).ClickAsync();

        // Inside the six-month term: the five months still owed are shown before anything is recorded.
        await Assertions.Expect(page.Locator("[data-cancellation-quote]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-obligation]")).ToHaveTextAsync("995.00 USD");
        Assert.Equal(JsonValueKind.Null, (await _admin.MembershipAsync(id)).GetProperty("pendingCancellation").ValueKind);

        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm cancellation" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-done]")).ToContainTextAsync("Cancelled");
        var pending = (await _admin.MembershipAsync(id)).GetProperty("pendingCancellation");
        Assert.Equal("relocation", pending.GetProperty("reason").GetString());
        Assert.Equal(await page.Locator("[data-pending-cancellation]").TextContentAsync(), $"ends on {pending.GetProperty("effectiveOn").GetString()}");
    }

    [Fact]
    public async Task An_adjustment_without_a_reason_shows_the_problem_and_changes_nothing()
    {
        var id = await Clinic.ActiveMemberAsync("Adi", "Noreason");
        var page = await SignedInAsync();
        await page.GotoAsync($"/members/{id}");

        await page.Locator("form[data-action=adjust] select[name=benefitKey]").SelectOptionAsync(Clinic.NeurotoxinKey);
        await page.Locator("form[data-action=adjust] input[name=change]").FillAsync("2");
        var response = await page.RunAndWaitForResponseAsync(
            () => page.Locator("form[data-action=adjust] button[type=submit]").ClickAsync(),
            r => r.Url.Contains("handler=Adjust", StringComparison.Ordinal));

        Assert.Equal(400, response.Status);
        await Assertions.Expect(page.Locator("[data-problem=reason_required]")).ToContainTextAsync("Say why");
        await Assertions.Expect(page.Locator($"[data-live-balance=\"{Clinic.NeurotoxinKey}\"]")).ToHaveTextAsync("1");
        Assert.Equal(1, await NeurotoxinBalanceAsync(id));
        var ledger = await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{id}/ledger");
        Assert.DoesNotContain(ledger!, e => e.GetProperty("type").GetString() == "adjusted");

        // With a reason the same form works, so the refusal above was about the reason.
        await page.Locator("form[data-action=adjust] select[name=benefitKey]").SelectOptionAsync(Clinic.NeurotoxinKey);
        await page.Locator("form[data-action=adjust] input[name=change]").FillAsync("2");
        await page.Locator("form[data-action=adjust] input[name=reason]").FillAsync("missed visit goodwill");
        await page.Locator("form[data-action=adjust] button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator($"[data-live-balance=\"{Clinic.NeurotoxinKey}\"]")).ToHaveTextAsync("3");
    }

    [Fact]
    public async Task A_checkout_confirmed_twice_at_once_is_one_checkout()
    {
        var id = await Clinic.ActiveMemberAsync("Dee", "Double");
        var page = await SignedInAsync();
        await page.GotoAsync($"/members/{id}");
        await page.Locator($"input[data-service=\"{Clinic.NeurotoxinId}\"]").FillAsync("1");
        await page.Locator($"input[data-service=\"{Clinic.FacialId}\"]").FillAsync("1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Preview" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-preview]")).ToBeVisibleAsync();

        // The same confirmation sent twice together, as a double tap on a slow connection would.
        var statuses = await page.EvaluateAsync<int[]>(
            """
            async () => {
              const form = document.querySelector('form[data-action=checkout]');
              const send = () => fetch(form.action, { method: 'POST', body: new FormData(form) }).then(r => r.status);
              return Promise.all([send(), send()]);
            }
            """);

        Assert.Equal([200, 200], statuses);
        var ledger = await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{id}/ledger");
        Assert.Equal(2, ledger!.Count(e => e.GetProperty("type").GetString() == "redeemed"));
        var payments = await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{id}/payments");
        Assert.Single(payments!.Where(p => p.GetProperty("category").GetString() == "treatment").Select(p => p.GetProperty("checkoutId").GetString()).Distinct());
        Assert.Equal(0, await NeurotoxinBalanceAsync(id));
    }

    [Fact]
    public async Task A_test_card_saved_at_the_desk_pays_the_first_month_which_can_be_refunded_in_part_and_a_redemption_voided()
    {
        var id = await Clinic.RegisterAsync("Rhea", "Fund");
        await _admin.PostOkAsync($"/api/v1/members/{id}/enrolment",
            new { planId = Clinic.PremiumPlanId, agreement = new { signedName = "Rhea Fund", accepted = true } });
        var page = await SignedInAsync();
        await page.GotoAsync($"/members/{id}");

        // The test-card picker stands in for Stripe.js: the card is saved through a SetupIntent and charged at once.
        await page.Locator("#card select[name=paymentMethodId]").SelectOptionAsync("pm_card_visa");
        await page.Locator("#card button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-done]")).ToContainTextAsync("4242");
        await Assertions.Expect(page.Locator("[data-live-status]")).ToHaveTextAsync("Active");
        await Assertions.Expect(page.Locator("[data-card]")).ToContainTextAsync("4242");

        var paid = page.Locator("tr[data-payment]").Filter(new() { HasText = "Card on file" });
        await paid.Locator("input[name=amount]").FillAsync("50.00");
        await paid.Locator("input[name=reason]").FillAsync("unhappy with the wait");
        await paid.GetByRole(AriaRole.Button, new() { Name = "Refund" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-done]")).ToContainTextAsync("50.00 USD");
        var payments = await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{id}/payments");
        var refund = Assert.Single(payments!, p => p.GetProperty("status").GetString() == "refunded");
        Assert.Equal(5_000, refund.GetProperty("amount").GetProperty("amount").GetInt64());

        await _admin.PostOkAsync($"/api/v1/members/{id}/redemptions", new { redemptionId = "red_to_void", benefitKey = Clinic.NeurotoxinKey, quantity = 1 });
        await page.GotoAsync($"/members/{id}");
        await Assertions.Expect(page.Locator($"[data-live-balance=\"{Clinic.NeurotoxinKey}\"]")).ToHaveTextAsync("0");
        var redeemed = page.Locator("tr[data-ledger=redeemed]");
        await redeemed.Locator("input[name=reason]").FillAsync("booked by mistake");
        await redeemed.GetByRole(AriaRole.Button, new() { Name = "Void" }).ClickAsync();
        await Assertions.Expect(page.Locator($"[data-live-balance=\"{Clinic.NeurotoxinKey}\"]")).ToHaveTextAsync("1");
        Assert.Equal(1, await NeurotoxinBalanceAsync(id));
        Assert.Equal(0, await page.Locator("tr[data-ledger=redeemed] form").CountAsync());
    }

    private async Task<IPage> SignedInAsync()
    {
        var page = await chromium.OpenAsync(fixture.Silo.BaseAddress);
        await StaffSession.SignInAsync(page, fixture.Silo);
        return page;
    }

    private async Task<string> EnrolAtTheDeskAsync(IPage page, string firstName, string lastName)
    {
        var id = await DeskEnrolment.EnrolAsync(page, Clinic, firstName, lastName);
        Assert.Equal("pending_payment", (await _admin.MembershipAsync(id)).GetProperty("status").GetString());
        return id;
    }

    private async Task<long> NeurotoxinBalanceAsync(string id) =>
        (await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/members/{id}/credits")).GetProperty("balances").EnumerateArray()
            .Single(b => b.GetProperty("benefitKey").GetString() == Clinic.NeurotoxinKey).GetProperty("balance").GetInt64();
}
