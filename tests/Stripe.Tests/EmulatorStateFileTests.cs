using System.Net.Http.Json;
using System.Text.Json;
using MedSpa.Billing;
using MedSpa.Grains.Billing;

namespace MedSpa.Stripe.Tests;

/// <summary>A development run keeps its database between runs; the emulated account must keep up with it.</summary>
public sealed class EmulatorStateFileTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"medspa-emulator-{Guid.NewGuid():N}.json");

    [Fact]
    public async Task Customers_cards_and_charges_survive_a_restart_and_keep_their_behaviour()
    {
        string customer;
        SavedCard declining;
        ChargeOutcome paid;
        await using (var first = await Emulator.StartAsync(stateFile: _file))
        {
            var gateway = first.Gateway();
            customer = await gateway.EnsureCustomerAsync("mem_keep", "keep@example.com", "Kim Keep");
            var visa = await gateway.AttachCardAsync(customer, "pm_card_visa");
            paid = await gateway.ChargeAsync(new ChargeRequest(customer, visa.PaymentMethodId, new Money(19_900, "usd"), "charge:mem_keep:1", "charge:mem_keep:1", "mem_keep", "first month"));
            declining = await gateway.AttachCardAsync(customer, "pm_card_chargeCustomerFail");
        }

        await using var second = await Emulator.StartAsync(stateFile: _file);
        var again = second.Gateway();

        Assert.Equal(paid.PaymentIntentId, (await again.FindChargeAsync("charge:mem_keep:1"))?.PaymentIntentId);
        var renewal = await again.ChargeAsync(new ChargeRequest(customer, declining.PaymentMethodId, new Money(19_900, "usd"), "charge:mem_keep:2", "charge:mem_keep:2", "mem_keep", "renewal"));
        Assert.Equal(ChargeResult.SoftDecline, renewal.Result);
        Assert.Equal(2, (await second.PaymentIntentsAsync()).Count);
        Assert.Equal(2, (await second.Admin.GetFromJsonAsync<JsonElement>("/_emulator/payment_intents/count")).GetProperty("count").GetInt32());
    }

    public void Dispose()
    {
        File.Delete(_file);
    }
}
