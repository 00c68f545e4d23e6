using MedSpa.Billing;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MedSpa.Grains.Billing;
using Stripe;

namespace MedSpa.Stripe.Tests;

/// <summary>
/// Every resource the emulator returns has exactly the top-level fields of Stripe's published fixture for it, so
/// code written against the emulator reads real Stripe objects the same way.
/// </summary>
public sealed class FixtureParityTests
{
    private static readonly string FixturesPath =
        Environment.GetEnvironmentVariable("STRIPE_FIXTURES") ?? "/work/shared/stripe/fixtures3.json";

    private static readonly Lazy<JsonObject> Fixtures = new(() => JsonNode.Parse(System.IO.File.ReadAllText(FixturesPath))!["resources"]!.AsObject());

    private static void AssertSameFields(string resource, JsonObject emulated)
    {
        var expected = Fixtures.Value[resource]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal).ToList();
        var actual = emulated.Select(p => p.Key).Order(StringComparer.Ordinal).ToList();
        Assert.True(expected.SequenceEqual(actual),
            $"{resource}: missing [{string.Join(", ", expected.Except(actual))}], extra [{string.Join(", ", actual.Except(expected))}]");
    }

    private static JsonObject Raw(StripeEntity entity) => JsonNode.Parse(entity.StripeResponse.Content)!.AsObject();

    [Fact]
    public async Task Every_resource_has_the_fixture_fields()
    {
        await using var emulator = await Emulator.StartAsync();
        var client = emulator.Client();

        var customer = await client.V1.Customers.CreateAsync(new CustomerCreateOptions { Email = "ada@example.com" });
        var paymentMethod = await client.V1.PaymentMethods.AttachAsync("pm_card_visa", new PaymentMethodAttachOptions { Customer = customer.Id });
        var setup = await client.V1.SetupIntents.CreateAsync(new SetupIntentCreateOptions { Customer = customer.Id });
        var intent = await client.V1.PaymentIntents.CreateAsync(new PaymentIntentCreateOptions
        {
            Amount = 12_900, Currency = "usd", Customer = customer.Id, PaymentMethod = paymentMethod.Id, Confirm = true, OffSession = true,
            Expand = ["latest_charge"],
        });
        var refund = await client.V1.Refunds.CreateAsync(new RefundCreateOptions { PaymentIntent = intent.Id, Amount = 100 });
        var listed = await client.V1.Events.ListAsync(new EventListOptions { Type = "charge.refunded" });
        var stripeEvent = await client.V1.Events.GetAsync(Assert.Single(listed.Data).Id);

        using var disputed = await emulator.Admin.PostAsJsonAsync("/_emulator/disputes", new { payment_intent = intent.Id });
        disputed.EnsureSuccessStatusCode();
        var dispute = await client.V1.Disputes.GetAsync(JsonNode.Parse(await disputed.Content.ReadAsStringAsync())!["id"]!.GetValue<string>());
        var disputeEvent = Assert.Single((await client.V1.Events.ListAsync(new EventListOptions { Type = "charge.dispute.created" })).Data);

        AssertSameFields("customer", Raw(customer));
        AssertSameFields("payment_method", Raw(paymentMethod));
        AssertSameFields("setup_intent", Raw(setup));
        AssertSameFields("payment_intent", Raw(intent));
        AssertSameFields("charge", Raw(intent)["latest_charge"]!.AsObject());
        AssertSameFields("refund", Raw(refund));
        AssertSameFields("event", Raw(stripeEvent));
        AssertSameFields("charge", Raw(stripeEvent)["data"]!["object"]!.AsObject());
        AssertSameFields("dispute", Raw(dispute));
        Assert.Equal(intent.Id, dispute.PaymentIntentId);
        Assert.Equal(dispute.Id, ((Dispute)disputeEvent.Data.Object).Id);
    }

    [Fact]
    public async Task A_decline_carries_the_intent_in_Stripe_s_error_envelope()
    {
        await using var emulator = await Emulator.StartAsync();
        var client = emulator.Client();
        var customer = await client.V1.Customers.CreateAsync(new CustomerCreateOptions());
        var card = await client.V1.PaymentMethods.AttachAsync("pm_card_visa_chargeDeclinedLostCard", new PaymentMethodAttachOptions { Customer = customer.Id });

        var error = await Assert.ThrowsAsync<StripeException>(() => client.V1.PaymentIntents.CreateAsync(new PaymentIntentCreateOptions
        {
            Amount = 12_900, Currency = "usd", Customer = customer.Id, PaymentMethod = card.Id, Confirm = true, OffSession = true,
        }));

        Assert.Equal(System.Net.HttpStatusCode.PaymentRequired, error.HttpStatusCode);
        Assert.Equal(("card_error", "card_declined", "lost_card"), (error.StripeError.Type, error.StripeError.Code, error.StripeError.DeclineCode));
        Assert.Equal("requires_payment_method", error.StripeError.PaymentIntent.Status);
        AssertSameFields("payment_intent", JsonNode.Parse(error.StripeResponse.Content)!["error"]!["payment_intent"]!.AsObject());
        Assert.Equal(ChargeResult.HardDecline, StripeErrors.ToOutcome(error).Result);
    }
}
