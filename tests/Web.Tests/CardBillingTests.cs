using System.Net.Http.Json;
using System.Text.Json;
using MedSpa.Tests;

namespace MedSpa.Web.Tests;

/// <summary>The first month charged on the card on file, through Stripe.net and the Stripe emulator.</summary>
public sealed class CardBillingTests(ClinicFixture fixture) : IClassFixture<ClinicFixture>
{
    private readonly HttpClient _admin = fixture.Silo.AdminClient();
    private Clinic Clinic => fixture.Clinic;

    [Fact]
    public async Task Enrolling_with_a_card_on_file_charges_the_first_month_once_and_allocates_its_credits()
    {
        var id = await Clinic.RegisterAsync("Cara", "Visa");
        (await _admin.PostAsJsonAsync($"/api/v1/members/{id}/payment-method", new { paymentMethodId = "pm_card_visa" })).EnsureSuccessStatusCode();

        var membership = await Enrol(id, "Cara Visa");

        Assert.Equal("active", membership.GetProperty("status").GetString());
        Assert.Equal("4242", membership.GetProperty("card").GetProperty("last4").GetString());
        var attempt = Assert.Single((await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{id}/charge-attempts"))!);
        Assert.Equal("succeeded", attempt.GetProperty("result").GetString());
        var paymentIntent = attempt.GetProperty("paymentIntentId").GetString();
        var payment = Assert.Single((await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{id}/payments"))!);
        Assert.Equal("card_on_file", payment.GetProperty("method").GetString());
        Assert.Equal(paymentIntent, payment.GetProperty("reference").GetString());
        Assert.Single(await PaymentIntentsFor(id), pi => pi.GetProperty("status").GetString() == "succeeded");
        var credits = await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/members/{id}/credits");
        Assert.Contains(credits.GetProperty("balances").EnumerateArray(), b => b.GetProperty("benefitKey").GetString() == Clinic.NeurotoxinKey && b.GetProperty("balance").GetInt64() == 1);
    }

    [Fact]
    public async Task A_declined_first_charge_waits_and_a_new_card_is_charged_at_once()
    {
        var id = await Clinic.RegisterAsync("Dana", "Decline");
        (await _admin.PostAsJsonAsync($"/api/v1/members/{id}/payment-method", new { paymentMethodId = "pm_card_chargeCustomerFail" })).EnsureSuccessStatusCode();

        var declined = await Enrol(id, "Dana Decline");

        Assert.Equal("pending_payment", declined.GetProperty("status").GetString());
        var attempt = Assert.Single((await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{id}/charge-attempts"))!);
        Assert.Equal("soft_decline", attempt.GetProperty("result").GetString());
        Assert.False(string.IsNullOrEmpty(attempt.GetProperty("declineCode").GetString()));

        var updated = await (await _admin.PostAsJsonAsync($"/api/v1/members/{id}/payment-method", new { paymentMethodId = "pm_card_visa" }))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal("active", updated.GetProperty("status").GetString());
        var attempts = (await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{id}/charge-attempts"))!;
        Assert.Equal(["soft_decline", "succeeded"], attempts.Select(a => a.GetProperty("result").GetString()));
        Assert.Equal([1, 2], attempts.Select(a => a.GetProperty("attempt").GetInt32()));
        Assert.Single(await PaymentIntentsFor(id), pi => pi.GetProperty("status").GetString() == "succeeded");
    }

    [Fact]
    public async Task A_payment_method_the_processor_does_not_know_is_refused_and_saves_nothing()
    {
        var id = await Clinic.RegisterAsync("Nico", "Nocard");

        var response = await _admin.PostAsJsonAsync($"/api/v1/members/{id}/payment-method", new { paymentMethodId = "pm_does_not_exist" });

        await ProblemAssert.IsProblem(response, System.Net.HttpStatusCode.BadRequest, "payment_method_rejected");
        Assert.False((await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/members/{id}/membership")).TryGetProperty("card", out var card) && card.ValueKind != JsonValueKind.Null);
    }

    [Fact]
    public async Task An_unreachable_card_processor_is_a_503_that_saves_nothing_and_a_retry_works()
    {
        var id = await Clinic.RegisterAsync("Una", "Reachable");
        using var emulator = StripeAccount.ControlClient(fixture.Silo.StripeEmulator);
        (await emulator.PostAsJsonAsync("/_emulator/faults", new { kind = "500_before", path = "/v1/customers", method = "POST", count = 1 })).EnsureSuccessStatusCode();

        var refused = await _admin.PostAsJsonAsync($"/api/v1/members/{id}/payment-method", new { paymentMethodId = "pm_card_visa" });

        await ProblemAssert.IsProblem(refused, System.Net.HttpStatusCode.ServiceUnavailable, "payment_processor_unavailable");
        var events = (await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{id}/events"))!;
        Assert.DoesNotContain(events, e => e.GetProperty("type").GetString() == "card_on_file_saved");
        (await _admin.PostAsJsonAsync($"/api/v1/members/{id}/payment-method", new { paymentMethodId = "pm_card_visa" })).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task A_card_the_member_confirms_on_a_setup_intent_becomes_their_default_and_pays_the_first_month()
    {
        var id = await Clinic.RegisterAsync("Sete", "Intent");
        var other = await Clinic.RegisterAsync("Otto", "Other");
        var setup = await (await _admin.PostAsync($"/api/v1/members/{id}/card-setup", null)).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
        var setupIntentId = setup.GetProperty("setupIntentId").GetString()!;
        Assert.StartsWith($"{setupIntentId}_secret", setup.GetProperty("clientSecret").GetString(), StringComparison.Ordinal);

        var early = await _admin.PostAsJsonAsync($"/api/v1/members/{id}/payment-method", new { setupIntentId });
        await ProblemAssert.IsProblem(early, System.Net.HttpStatusCode.BadRequest, "card_setup_incomplete");

        // What Stripe.js does in the member's browser.
        using var stripe = StripeAccount.ControlClient(fixture.Silo.StripeEmulator);
        stripe.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "sk_test_emulator");
        (await stripe.PostAsync($"/v1/setup_intents/{setupIntentId}/confirm",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["payment_method"] = "pm_card_visa" }))).EnsureSuccessStatusCode();

        await (await _admin.PostAsync($"/api/v1/members/{other}/card-setup", null)).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
        var stolen = await _admin.PostAsJsonAsync($"/api/v1/members/{other}/payment-method", new { setupIntentId });
        await ProblemAssert.IsProblem(stolen, System.Net.HttpStatusCode.NotFound, "card_setup_not_found");

        var saved = await (await _admin.PostAsJsonAsync($"/api/v1/members/{id}/payment-method", new { setupIntentId }))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("4242", saved.GetProperty("card").GetProperty("last4").GetString());
        Assert.Equal("active", (await Enrol(id, "Sete Intent")).GetProperty("status").GetString());

        var both = await _admin.PostAsJsonAsync($"/api/v1/members/{id}/payment-method", new { setupIntentId, paymentMethodId = "pm_card_visa" });
        await ProblemAssert.IsProblem(both, System.Net.HttpStatusCode.BadRequest, "invalid_payment_method_request");
    }

    [Fact]
    public async Task Staff_refund_part_of_a_card_payment_once_and_cannot_refund_more_than_was_paid()
    {
        var id = await Clinic.RegisterAsync("Rene", "Refund");
        (await _admin.PostAsJsonAsync($"/api/v1/members/{id}/payment-method", new { paymentMethodId = "pm_card_visa" })).EnsureSuccessStatusCode();
        await Enrol(id, "Rene Refund");
        var paymentId = Assert.Single((await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{id}/payments"))!).GetProperty("paymentId").GetString();

        foreach (var _ in new[] { 1, 2 })
        {
            (await _admin.PostAsJsonAsync($"/api/v1/members/{id}/refunds", new { refundId = "ref_goodwill", paymentId, amount = Clinic.Usd(5_000) })).EnsureSuccessStatusCode();
        }

        var payments = (await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{id}/payments"))!;
        var refund = Assert.Single(payments, p => p.GetProperty("status").GetString() == "refunded");
        Assert.Equal(5_000, refund.GetProperty("amount").GetProperty("amount").GetInt64());
        var tooMuch = await _admin.PostAsJsonAsync($"/api/v1/members/{id}/refunds", new { refundId = "ref_more", paymentId, amount = Clinic.Usd(Clinic.PremiumPrice) });
        await ProblemAssert.IsProblem(tooMuch, System.Net.HttpStatusCode.Conflict, "refund_exceeds_payment");
        (await _admin.PostAsJsonAsync($"/api/v1/members/{id}/refunds", new { refundId = "ref_rest", paymentId })).EnsureSuccessStatusCode();
        payments = (await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{id}/payments"))!;
        Assert.Equal(Clinic.PremiumPrice, payments.Where(p => p.GetProperty("status").GetString() == "refunded").Sum(p => p.GetProperty("amount").GetProperty("amount").GetInt64()));

        var desk = await Clinic.ActiveMemberAsync("Dora", "Desk");
        var deskPayment = Assert.Single((await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{desk}/payments"))!).GetProperty("paymentId").GetString();
        await ProblemAssert.IsProblem(
            await _admin.PostAsJsonAsync($"/api/v1/members/{desk}/refunds", new { refundId = "ref_desk", paymentId = deskPayment }),
            System.Net.HttpStatusCode.Conflict, "not_a_card_payment");
    }

    [Fact]
    public async Task A_refund_the_processor_never_answered_is_a_503_and_the_same_refund_id_later_refunds_once()
    {
        var id = await Clinic.RegisterAsync("Ulla", "Unanswered");
        (await _admin.PostAsJsonAsync($"/api/v1/members/{id}/payment-method", new { paymentMethodId = "pm_card_visa" })).EnsureSuccessStatusCode();
        await Enrol(id, "Ulla Unanswered");
        var paymentId = Assert.Single((await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{id}/payments"))!).GetProperty("paymentId").GetString();
        using var emulator = StripeAccount.ControlClient(fixture.Silo.StripeEmulator);
        (await emulator.PostAsJsonAsync("/_emulator/faults", new { kind = "500_after", path = "/v1/refunds", method = "POST", count = 1 })).EnsureSuccessStatusCode();

        var lost = await _admin.PostAsJsonAsync($"/api/v1/members/{id}/refunds", new { refundId = "ref_lost", paymentId, amount = Clinic.Usd(1_000) });

        await ProblemAssert.IsProblem(lost, System.Net.HttpStatusCode.ServiceUnavailable, "payment_processor_unavailable");
        (await _admin.PostAsJsonAsync($"/api/v1/members/{id}/refunds", new { refundId = "ref_lost", paymentId, amount = Clinic.Usd(1_000) })).EnsureSuccessStatusCode();
        var refunds = (await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{id}/payments"))!.Where(p => p.GetProperty("status").GetString() == "refunded").ToList();
        Assert.Equal(1_000, Assert.Single(refunds).GetProperty("amount").GetProperty("amount").GetInt64());
    }

    private async Task<JsonElement> Enrol(string id, string name) =>
        await (await _admin.PostAsJsonAsync($"/api/v1/members/{id}/enrolment",
            new { planId = Clinic.PremiumPlanId, agreement = new { signedName = name, accepted = true } }))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();

    /// <summary>The emulator's own record of every PaymentIntent it created for this member.</summary>
    private async Task<List<JsonElement>> PaymentIntentsFor(string memberId)
    {
        using var emulator = StripeAccount.ControlClient(fixture.Silo.StripeEmulator);
        var all = await emulator.GetFromJsonAsync<JsonElement>("/_emulator/payment_intents");
        var list = all.ValueKind == JsonValueKind.Array ? all.EnumerateArray() : all.GetProperty("data").EnumerateArray();
        return list.Where(pi => pi.TryGetProperty("metadata", out var metadata)
            && metadata.TryGetProperty("member_id", out var member) && member.GetString() == memberId).ToList();
    }
}
