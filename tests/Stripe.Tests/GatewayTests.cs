using MedSpa.Billing;
using System.Diagnostics;
using MedSpa.Grains.Billing;
using MedSpa.StripeEmulator;
using Stripe;

namespace MedSpa.Stripe.Tests;

public sealed class GatewayTests
{
    private static readonly Money Fee = new(12_900, "usd");

    private static async Task<(string Customer, string Card)> MemberWithCardAsync(StripePaymentGateway gateway, string token = "pm_card_visa")
    {
        var customer = await gateway.EnsureCustomerAsync("mem_1", "ada@example.com", "Ada Lovelace");
        var card = await gateway.AttachCardAsync(customer, token);
        return (customer, card.PaymentMethodId);
    }

    private static ChargeRequest Charge(string customer, string card, string attempt = "att_1", Money? amount = null) =>
        new(customer, card, amount ?? Fee, $"charge:mem_1:2026-01-31:{attempt}", attempt, "mem_1", "Glow membership, January");

    [Fact]
    public async Task A_saved_card_is_charged_off_session_once()
    {
        await using var emulator = await Emulator.StartAsync();
        var gateway = emulator.Gateway();

        var customer = await gateway.EnsureCustomerAsync("mem_1", "ada@example.com", "Ada Lovelace");
        var card = await gateway.AttachCardAsync(customer, "pm_card_visa");
        var outcome = await gateway.ChargeAsync(Charge(customer, card.PaymentMethodId));

        Assert.StartsWith("pm_", card.PaymentMethodId, StringComparison.Ordinal);
        Assert.NotEqual("pm_card_visa", card.PaymentMethodId);
        Assert.Equal(("visa", "4242"), (card.Brand, card.Last4));
        var saved = await emulator.Client().V1.Customers.GetAsync(customer);
        Assert.Equal(card.PaymentMethodId, saved.InvoiceSettings.DefaultPaymentMethodId);
        Assert.Equal(ChargeResult.Succeeded, outcome.Result);
        var intents = await emulator.PaymentIntentsAsync();
        var intent = Assert.Single(intents)!;
        Assert.Equal(outcome.PaymentIntentId, (string?)intent["id"]);
        Assert.Equal("succeeded", (string?)intent["status"]);
        Assert.Equal(12_900, (long)intent["amount_received"]!);
        Assert.Equal("att_1", (string?)intent["metadata"]!["attempt_id"]);
    }

    [Fact]
    public async Task The_same_member_gets_the_same_customer()
    {
        await using var emulator = await Emulator.StartAsync();
        var gateway = emulator.Gateway();

        var first = await gateway.EnsureCustomerAsync("mem_1", "ada@example.com", "Ada Lovelace");
        var again = await gateway.EnsureCustomerAsync("mem_1", "ada@example.com", "Ada Lovelace");

        Assert.Equal(first, again);
    }

    [Theory]
    [InlineData("pm_card_visa", ChargeResult.Succeeded, null)]
    [InlineData("pm_card_chargeCustomerFail", ChargeResult.SoftDecline, "generic_decline")]
    [InlineData("pm_card_visa_chargeDeclinedInsufficientFunds", ChargeResult.SoftDecline, "insufficient_funds")]
    [InlineData("pm_card_visa_chargeDeclinedLostCard", ChargeResult.HardDecline, "lost_card")]
    [InlineData("pm_card_visa_chargeDeclinedStolenCard", ChargeResult.HardDecline, "stolen_card")]
    [InlineData("pm_card_authenticationRequired", ChargeResult.AuthenticationRequired, "authentication_required")]
    public async Task Each_test_card_gives_its_outcome(string token, ChargeResult expected, string? declineCode)
    {
        await using var emulator = await Emulator.StartAsync();
        var gateway = emulator.Gateway();
        var (customer, card) = await MemberWithCardAsync(gateway, token);

        var outcome = await gateway.ChargeAsync(Charge(customer, card));

        Assert.Equal(expected, outcome.Result);
        Assert.Equal(declineCode, outcome.DeclineCode);
        Assert.NotNull(outcome.PaymentIntentId);
        Assert.Equal(outcome.PaymentIntentId, (string?)Assert.Single(await emulator.PaymentIntentsAsync())!["id"]);
        Assert.Equal(expected, (await gateway.FindChargeAsync("att_1"))?.Result);
    }

    [Fact]
    public async Task A_replayed_key_returns_the_same_intent_and_charges_once()
    {
        await using var emulator = await Emulator.StartAsync();
        var gateway = emulator.Gateway();
        var (customer, card) = await MemberWithCardAsync(gateway);

        var first = await gateway.ChargeAsync(Charge(customer, card));
        var second = await gateway.ChargeAsync(Charge(customer, card));

        Assert.Equal(ChargeResult.Succeeded, second.Result);
        Assert.Equal(first.PaymentIntentId, second.PaymentIntentId);
        Assert.Single(await emulator.PaymentIntentsAsync());
    }

    [Fact]
    public async Task A_replayed_decline_is_the_same_decline()
    {
        await using var emulator = await Emulator.StartAsync();
        var gateway = emulator.Gateway();
        var (customer, card) = await MemberWithCardAsync(gateway, "pm_card_visa_chargeDeclinedInsufficientFunds");

        var first = await gateway.ChargeAsync(Charge(customer, card));
        var second = await gateway.ChargeAsync(Charge(customer, card));

        Assert.Equal(first, second);
        Assert.Single(await emulator.PaymentIntentsAsync());
    }

    [Fact]
    public async Task The_same_key_with_another_amount_is_an_idempotency_error()
    {
        await using var emulator = await Emulator.StartAsync();
        var gateway = emulator.Gateway();
        var (customer, card) = await MemberWithCardAsync(gateway);
        await gateway.ChargeAsync(Charge(customer, card));

        var client = emulator.Client();
        var error = await Assert.ThrowsAsync<StripeException>(() => client.V1.PaymentIntents.CreateAsync(
            new PaymentIntentCreateOptions
            {
                Amount = 13_900, Currency = "usd", Customer = customer, PaymentMethod = card, Confirm = true, OffSession = true,
                Description = "Glow membership, January",
                Metadata = new Dictionary<string, string> { ["attempt_id"] = "att_1", ["member_id"] = "mem_1" },
            },
            new RequestOptions { IdempotencyKey = "charge:mem_1:2026-01-31:att_1" }));

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, error.HttpStatusCode);
        Assert.Equal("idempotency_error", error.StripeError.Type);
        Assert.Equal(ChargeResult.Unknown, (await gateway.ChargeAsync(Charge(customer, card, amount: new Money(13_900, "usd")))).Result);
        Assert.Single(await emulator.PaymentIntentsAsync());
    }

    [Fact]
    public async Task A_concurrent_request_under_the_same_key_is_a_conflict_not_a_second_charge()
    {
        await using var emulator = await Emulator.StartAsync();
        var gateway = emulator.Gateway();
        var (customer, card) = await MemberWithCardAsync(gateway);
        await emulator.FaultAsync(new FaultRequest("delay", "/v1/payment_intents", "POST", Count: 1, DelayMs: 1_000));

        var slow = gateway.ChargeAsync(Charge(customer, card));
        await Task.Delay(300);
        var concurrent = await gateway.ChargeAsync(Charge(customer, card));

        Assert.Equal(ChargeResult.Unknown, concurrent.Result);
        Assert.Equal(ChargeResult.Succeeded, (await slow).Result);
        Assert.Single(await emulator.PaymentIntentsAsync());
    }

    [Fact]
    public async Task A_500_after_the_charge_is_unknown_then_found_and_never_charged_twice()
    {
        await using var emulator = await Emulator.StartAsync();
        var gateway = emulator.Gateway();
        var (customer, card) = await MemberWithCardAsync(gateway);
        await emulator.FaultAsync(new FaultRequest("500_after", "/v1/payment_intents", "POST", Count: 1));

        var lost = await gateway.ChargeAsync(Charge(customer, card));
        var found = await gateway.FindChargeAsync("att_1");
        var retried = await gateway.ChargeAsync(Charge(customer, card));

        Assert.Equal(ChargeResult.Unknown, lost.Result);
        Assert.Equal(ChargeResult.Succeeded, found?.Result);
        Assert.Equal(ChargeResult.Succeeded, retried.Result);
        Assert.Equal(found!.PaymentIntentId, retried.PaymentIntentId);
        var intent = Assert.Single(await emulator.PaymentIntentsAsync())!;
        Assert.Equal("succeeded", (string?)intent["status"]);
    }

    [Fact]
    public async Task A_500_before_the_charge_leaves_nothing_to_find_and_the_retry_charges_once()
    {
        await using var emulator = await Emulator.StartAsync();
        var gateway = emulator.Gateway();
        var (customer, card) = await MemberWithCardAsync(gateway);
        await emulator.FaultAsync(new FaultRequest("500_before", "/v1/payment_intents", "POST", Count: 1));

        var failed = await gateway.ChargeAsync(Charge(customer, card));
        var found = await gateway.FindChargeAsync("att_1");
        var retried = await gateway.ChargeAsync(Charge(customer, card));

        Assert.Equal(ChargeResult.Unknown, failed.Result);
        Assert.Null(found);
        Assert.Equal(ChargeResult.Succeeded, retried.Result);
        Assert.Single(await emulator.PaymentIntentsAsync());
    }

    [Fact]
    public async Task Persistent_429s_back_off_then_report_rate_limited_with_nothing_charged()
    {
        await using var emulator = await Emulator.StartAsync();
        var gateway = emulator.Gateway();
        var (customer, card) = await MemberWithCardAsync(gateway);
        await emulator.FaultAsync(new FaultRequest("429", "/v1/payment_intents", "POST", Count: 5));

        var clock = Stopwatch.StartNew();
        var outcome = await gateway.ChargeAsync(Charge(customer, card));

        Assert.Equal(ChargeResult.RateLimited, outcome.Result);
        // Two backoffs of at least 100 ms and 200 ms (200·2^n, -50 %) before giving up on the third try.
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(290), $"gave up after {clock.Elapsed}");
        Assert.Empty(await emulator.PaymentIntentsAsync());
    }

    [Fact]
    public async Task A_brief_429_is_absorbed_by_the_backoff()
    {
        await using var emulator = await Emulator.StartAsync();
        var gateway = emulator.Gateway();
        var (customer, card) = await MemberWithCardAsync(gateway);
        await emulator.FaultAsync(new FaultRequest("429", "/v1/payment_intents", "POST", Count: 2));

        var outcome = await gateway.ChargeAsync(Charge(customer, card));

        Assert.Equal(ChargeResult.Succeeded, outcome.Result);
        Assert.Single(await emulator.PaymentIntentsAsync());
    }

    [Fact]
    public async Task The_emulator_rate_limit_is_absorbed_by_the_gateway_throttle()
    {
        await using var emulator = await Emulator.StartAsync(ratePerSecond: 25);
        var gateway = emulator.Gateway(ratePerSecond: 20);
        var (customer, card) = await MemberWithCardAsync(gateway);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => gateway.ChargeAsync(Charge(customer, card, $"att_{i}"))));

        Assert.All(outcomes, o => Assert.Equal(ChargeResult.Succeeded, o.Result));
        Assert.Equal(40, (await emulator.PaymentIntentsAsync()).Count);
    }

    [Fact]
    public async Task Refunds_partial_then_the_rest()
    {
        await using var emulator = await Emulator.StartAsync();
        var gateway = emulator.Gateway();
        var (customer, card) = await MemberWithCardAsync(gateway);
        var charge = await gateway.ChargeAsync(Charge(customer, card));

        var partial = await gateway.RefundAsync(charge.PaymentIntentId!, new Money(2_500, "usd"), "refund:att_1:1");
        var partialAgain = await gateway.RefundAsync(charge.PaymentIntentId!, new Money(2_500, "usd"), "refund:att_1:1");
        var rest = await gateway.RefundAsync(charge.PaymentIntentId!, null, "refund:att_1:2");
        var beyond = await gateway.RefundAsync(charge.PaymentIntentId!, null, "refund:att_1:3");

        Assert.True(partial.Succeeded);
        Assert.Equal(partial.RefundId, partialAgain.RefundId);
        Assert.True(rest.Succeeded);
        Assert.False(beyond.Succeeded);
        var client = emulator.Client();
        var intent = await client.V1.PaymentIntents.GetAsync(charge.PaymentIntentId);
        var refunded = await client.V1.Charges.GetAsync(intent.LatestChargeId);
        Assert.Equal(12_900, refunded.AmountRefunded);
        Assert.True(refunded.Refunded);
        Assert.Equal(10_400, (await client.V1.Refunds.GetAsync(rest.RefundId)).Amount);
    }

    [Fact]
    public async Task A_card_setup_starts_with_a_client_secret_and_saves_the_card_when_confirmed()
    {
        await using var emulator = await Emulator.StartAsync();
        var gateway = emulator.Gateway();
        var customer = await gateway.EnsureCustomerAsync("mem_1", "ada@example.com", "Ada Lovelace");

        var setup = await gateway.StartCardSetupAsync(customer);
        var confirmed = await emulator.Client().V1.SetupIntents.ConfirmAsync(setup.SetupIntentId, new SetupIntentConfirmOptions { PaymentMethod = "pm_card_visa" });

        Assert.StartsWith(setup.SetupIntentId + "_secret_", setup.ClientSecret, StringComparison.Ordinal);
        Assert.Equal("succeeded", confirmed.Status);
        var saved = await emulator.Client().V1.PaymentMethods.GetAsync(confirmed.PaymentMethodId);
        Assert.Equal(customer, saved.CustomerId);
    }
}
