using System.Net.Http.Json;
using System.Threading.Channels;
using MedSpa.Grains.Billing;
using MedSpa.StripeEmulator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Stripe;

namespace MedSpa.Stripe.Tests;

public sealed class WebhookTests
{
    private const string Secret = "whsec_test_medspa";

    private sealed record Delivery(string Payload, string Signature);

    /// <summary>A stand-in for the silo's webhook endpoint: records each raw body and signature header.</summary>
    private static async Task<(WebApplication App, Uri Url, Channel<Delivery> Deliveries)> ReceiverAsync()
    {
        var url = new Uri($"http://127.0.0.1:{Emulator.FreePort()}/webhooks/stripe");
        var deliveries = Channel.CreateUnbounded<Delivery>();
        var builder = WebApplication.CreateBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls(url.GetLeftPart(UriPartial.Authority));
        var app = builder.Build();
        app.MapPost("/webhooks/stripe", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            await deliveries.Writer.WriteAsync(new Delivery(await reader.ReadToEndAsync(), request.Headers["Stripe-Signature"].ToString()));
            return Results.Ok();
        });
        await app.StartAsync();
        return (app, url, deliveries);
    }

    private static async Task<List<Event>> ReceiveAsync(Channel<Delivery> deliveries, Func<List<Event>, bool> enough)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var events = new List<Event>();
        while (!enough(events))
        {
            var delivery = await deliveries.Reader.ReadAsync(timeout.Token);
            events.Add(EventUtility.ConstructEvent(delivery.Payload, delivery.Signature, Secret));
        }

        return events;
    }

    [Fact]
    public async Task Events_are_signed_so_Stripe_net_verifies_them_and_a_forged_secret_fails()
    {
        await using var emulator = await Emulator.StartAsync();
        var (receiver, url, deliveries) = await ReceiverAsync();
        await using var _ = receiver;
        (await emulator.Admin.PostAsJsonAsync("/_emulator/webhooks", new WebhookRequest(url, Secret))).EnsureSuccessStatusCode();
        var gateway = emulator.Gateway();
        var customer = await gateway.EnsureCustomerAsync("mem_1", "ada@example.com", "Ada Lovelace");
        var card = await gateway.AttachCardAsync(customer, "pm_card_visa");

        var charge = await gateway.ChargeAsync(new ChargeRequest(customer, card.PaymentMethodId, new Money(12_900, "usd"), "k1", "att_1", "mem_1", "Glow"));
        await gateway.RefundAsync(charge.PaymentIntentId!, new Money(100, "usd"), "r1");

        var events = await ReceiveAsync(deliveries, e => e.Any(x => x.Type == "charge.refunded") && e.Any(x => x.Type == "payment_intent.succeeded"));
        var succeeded = events.First(e => e.Type == "payment_intent.succeeded");
        Assert.Equal(charge.PaymentIntentId, ((PaymentIntent)succeeded.Data.Object).Id);
        var refunded = (Charge)events.First(e => e.Type == "charge.refunded").Data.Object;
        Assert.Equal(100, refunded.AmountRefunded);

        var raw = succeeded.ToJson();
        var header = WebhookDispatcher.Sign(raw, "whsec_forged", DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        Assert.Throws<StripeException>(() => EventUtility.ConstructEvent(raw, header, Secret));
    }

    [Fact]
    public async Task Declines_and_detaches_are_announced()
    {
        await using var emulator = await Emulator.StartAsync();
        var (receiver, url, deliveries) = await ReceiverAsync();
        await using var _ = receiver;
        (await emulator.Admin.PostAsJsonAsync("/_emulator/webhooks", new WebhookRequest(url, Secret))).EnsureSuccessStatusCode();
        var gateway = emulator.Gateway();
        var customer = await gateway.EnsureCustomerAsync("mem_1", "ada@example.com", "Ada Lovelace");
        var card = await gateway.AttachCardAsync(customer, "pm_card_chargeCustomerFail");

        await gateway.ChargeAsync(new ChargeRequest(customer, card.PaymentMethodId, new Money(12_900, "usd"), "k1", "att_1", "mem_1", "Glow"));
        await emulator.Client().V1.PaymentMethods.DetachAsync(card.PaymentMethodId);

        var events = await ReceiveAsync(deliveries, e => e.Any(x => x.Type == "payment_intent.payment_failed") && e.Any(x => x.Type == "payment_method.detached"));
        var failed = (PaymentIntent)events.First(e => e.Type == "payment_intent.payment_failed").Data.Object;
        Assert.Equal("generic_decline", failed.LastPaymentError.DeclineCode);
        Assert.Equal("k1", events.First(e => e.Type == "payment_intent.payment_failed").Request.IdempotencyKey);
    }

    [Fact]
    public async Task Deliveries_can_be_duplicated()
    {
        await using var emulator = await Emulator.StartAsync();
        var (receiver, url, deliveries) = await ReceiverAsync();
        await using var _ = receiver;
        (await emulator.Admin.PostAsJsonAsync("/_emulator/webhooks", new WebhookRequest(url, Secret, DuplicateRate: 1, MaxDelayMs: 200))).EnsureSuccessStatusCode();

        await emulator.Gateway().EnsureCustomerAsync("mem_1", "ada@example.com", "Ada Lovelace");
        var setup = await emulator.Gateway().StartCardSetupAsync(await emulator.Gateway().EnsureCustomerAsync("mem_1", "ada@example.com", "Ada Lovelace"));
        await emulator.Client().V1.SetupIntents.ConfirmAsync(setup.SetupIntentId, new SetupIntentConfirmOptions { PaymentMethod = "pm_card_visa" });

        var events = await ReceiveAsync(deliveries, e => e.Count(x => x.Type == "setup_intent.succeeded") == 2);
        Assert.Single(events.Where(e => e.Type == "setup_intent.succeeded").Select(e => e.Id).Distinct());
    }

    [Fact]
    public async Task Card_updates_from_the_network_and_detaches_say_what_changed()
    {
        await using var emulator = await Emulator.StartAsync();
        var (receiver, url, deliveries) = await ReceiverAsync();
        await using var _ = receiver;
        (await emulator.Admin.PostAsJsonAsync("/_emulator/webhooks", new WebhookRequest(url, Secret))).EnsureSuccessStatusCode();
        var gateway = emulator.Gateway();
        var customer = await gateway.EnsureCustomerAsync("mem_1", "ada@example.com", "Ada Lovelace");
        var card = await gateway.AttachCardAsync(customer, "pm_card_visa");

        (await emulator.Admin.PostAsJsonAsync($"/_emulator/payment_methods/{card.PaymentMethodId}/automatically_update",
            new { exp_month = 3, exp_year = 2031, last4 = "1881" })).EnsureSuccessStatusCode();
        await emulator.Client().V1.PaymentMethods.DetachAsync(card.PaymentMethodId);

        var events = await ReceiveAsync(deliveries, e => e.Any(x => x.Type == "payment_method.automatically_updated") && e.Any(x => x.Type == "payment_method.detached"));
        var updated = (PaymentMethod)events.First(e => e.Type == "payment_method.automatically_updated").Data.Object;
        Assert.Equal((3L, 2031L, "1881"), (updated.Card.ExpMonth, updated.Card.ExpYear, updated.Card.Last4));
        var detached = events.First(e => e.Type == "payment_method.detached");
        Assert.Null(((PaymentMethod)detached.Data.Object).CustomerId);
        Assert.Contains(customer, Convert.ToString(detached.Data.PreviousAttributes, System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }
}
