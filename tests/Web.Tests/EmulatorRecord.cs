using System.Net.Http.Json;
using System.Text.Json;
using MedSpa.Tests;

namespace MedSpa.Web.Tests;

/// <summary>The Stripe emulator's own record: what the bank's side says was charged, to check a page's promise against.</summary>
public static class EmulatorRecord
{
    /// <summary>Every PaymentIntent the emulator created for <paramref name="memberId"/>, oldest first.</summary>
    public static async Task<List<JsonElement>> PaymentIntentsForAsync(Uri emulator, string memberId)
    {
        using var client = StripeAccount.ControlClient(emulator);
        var all = await client.GetFromJsonAsync<JsonElement>("/_emulator/payment_intents");
        var list = all.ValueKind == JsonValueKind.Array ? all.EnumerateArray() : all.GetProperty("data").EnumerateArray();
        return [.. list.Where(pi => pi.TryGetProperty("metadata", out var metadata)
            && metadata.TryGetProperty("member_id", out var member) && member.GetString() == memberId)];
    }

    /// <summary>The succeeded PaymentIntents whose attempt key starts with <paramref name="prefix"/> (buy-out:, plan-change:, charge:).</summary>
    public static async Task<List<long>> SucceededAmountsAsync(Uri emulator, string memberId, string prefix) =>
        [.. (await PaymentIntentsForAsync(emulator, memberId))
            .Where(pi => pi.GetProperty("status").GetString() == "succeeded"
                && pi.GetProperty("metadata").GetProperty("attempt_id").GetString()!.StartsWith(prefix, StringComparison.Ordinal))
            .Select(pi => pi.GetProperty("amount").GetInt64())];
}
