using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using MedSpa.Grains.Billing;
using MedSpa.Tests;
using Microsoft.Extensions.DependencyInjection;
using MedSpa.Tests.Probes;

namespace MedSpa.Cluster.Tests;

/// <summary>Silo processes that share a PostgreSQL database form one cluster.</summary>
public sealed class TwoSiloTests(TwoSilos silos) : IClassFixture<TwoSilos>
{
    private readonly TestSilo _first = silos.First;
    private readonly TestSilo _second = silos.Second;

    [Fact]
    public async Task Both_silos_are_active_members_and_a_grain_is_one_activation_whichever_silo_is_asked()
    {
        foreach (var silo in new[] { _first, _second })
        {
            await Eventually.Until(() => silo.Grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true),
                hosts => hosts.Count == 2, TimeSpan.FromSeconds(30), "both silos to see two active members");
        }

        for (var i = 0; i < 10; i++)
        {
            var key = $"probe-{i}";
            var viaFirst = await _first.Grains.GetGrain<IProbeGrain>(key).IdentifyAsync();
            var viaSecond = await _second.Grains.GetGrain<IProbeGrain>(key).IdentifyAsync();
            Assert.Equal(viaFirst, viaSecond);
        }
    }

    [Fact]
    public async Task Two_silos_split_the_clusters_stripe_budget_between_them()
    {
        foreach (var silo in new[] { _first, _second })
        {
            var throttle = silo.Services.GetRequiredService<StripeThrottle>();
            await Eventually.Until(() => Task.FromResult(throttle.Silos), silos => silos == 2, TimeSpan.FromSeconds(30), "each silo to take half the Stripe budget");
        }
    }

    [Fact]
    public async Task A_clock_advance_through_one_silo_is_the_time_on_every_silo()
    {
        // Real time flows under the simulated offset, so each reading may be ahead by the real time since the first.
        var sinceBefore = Stopwatch.StartNew();
        var before = await NowAsync(_second);

        var response = await _first.AdminClient().PostAsJsonAsync("/api/v1/admin/clock/advance", new { by = "P10D" });
        response.EnsureSuccessStatusCode();

        var onSecond = await NowAsync(_second);
        Assert.InRange(onSecond, before.AddDays(10), before.AddDays(10) + sinceBefore.Elapsed);
        var onFirst = await NowAsync(_first);
        Assert.InRange(onFirst, before.AddDays(10), before.AddDays(10) + sinceBefore.Elapsed);
    }

    private static async Task<DateTimeOffset> NowAsync(TestSilo silo) =>
        (await silo.AdminClient().GetFromJsonAsync<JsonElement>("/api/v1/admin/clock")).GetProperty("now").GetDateTimeOffset();
}
