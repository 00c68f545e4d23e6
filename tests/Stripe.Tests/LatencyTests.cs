using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;

namespace MedSpa.Stripe.Tests;

/// <summary><c>Emulator:Latency</c>: every API call is answered after it, as a real account's calls take their time.</summary>
public sealed class LatencyTests
{
    private static readonly TimeSpan Latency = TimeSpan.FromMilliseconds(1_500);

    [Fact]
    public async Task Every_call_is_answered_after_the_configured_latency_until_it_is_set_back_to_zero()
    {
        await using var emulator = await Emulator.StartAsync(latency: Latency);
        var gateway = emulator.Gateway();

        var slow = Stopwatch.StartNew();
        var customer = await gateway.EnsureCustomerAsync("mem_1", "ada@example.com", "Ada Lovelace");
        slow.Stop();

        using var reset = await emulator.Admin.PostAsJsonAsync("/_emulator/latency", new { milliseconds = 0 });
        reset.EnsureSuccessStatusCode();
        var fast = Stopwatch.StartNew();
        await gateway.AttachCardAsync(customer, "pm_card_visa");
        fast.Stop();

        Assert.True(slow.Elapsed >= Latency, $"answered after {slow.Elapsed}");
        // Attaching is two calls (attach, then make it the default): at the old latency it would take twice as long.
        Assert.True(fast.Elapsed < Latency, $"answered after {fast.Elapsed} with no latency");
    }

    [Fact]
    public async Task A_negative_latency_is_refused_and_the_old_one_kept()
    {
        await using var emulator = await Emulator.StartAsync(latency: Latency);

        using var refused = await emulator.Admin.PostAsJsonAsync("/_emulator/latency", new { milliseconds = -1 });
        var slow = Stopwatch.StartNew();
        await emulator.Gateway().EnsureCustomerAsync("mem_1", "ada@example.com", "Ada Lovelace");

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.True(slow.Elapsed >= Latency, $"answered after {slow.Elapsed}");
    }
}
