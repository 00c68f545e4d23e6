using System.Net.Http.Json;
using System.Text.Json;
using MedSpa.Tests;
using static MedSpa.Cluster.Tests.ClusterApi;

namespace MedSpa.Cluster.Tests;

/// <summary>
/// The whole system stopped and started again on the same database (issue 8): every member's state, credit ledger,
/// payments and charge attempts, the failed-payments board and the simulated clock read the same afterwards, and
/// the work that was only scheduled (a pending dunning retry, a renewal) still happens, exactly once, on the new
/// process.
/// </summary>
/// <remarks>
/// After a crash (SIGKILL) of the only silo, its entry in Orleans' membership table still says "active", and a new
/// silo waits for it until the entry's I-am-alive is stale: minutes with Orleans' defaults, about 20 s with MedSpa's
/// (README, "Several silos, one cluster").
/// </remarks>
public sealed class WholeSystemRestartTests : IAsyncLifetime
{
    private readonly string _stripeState = Path.Combine(Path.GetTempPath(), $"medspa-restart-stripe-{Guid.NewGuid():N}.json");
    private TestDatabase _database = null!;
    private SiloProcess? _silo;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public async Task DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }

        await _database.DisposeAsync();
        File.Delete(_stripeState);
        File.Delete(_stripeState + ".tmp");
    }

    [Fact]
    public async Task State_ledger_clock_and_a_pending_retry_and_renewal_survive_a_stop_and_start_of_the_whole_system()
    {
        _silo = await StartAsync();
        var admin = _silo.AdminClient();
        var clinic = await Clinic.OpenAsync(admin);

        // Bo: enrolled on a good card, then a card that declines every charge: his renewal fails and a retry waits.
        var bo = await clinic.CardMemberAsync("Bo", "Retry");
        await SaveCardAsync(admin, bo, "pm_card_chargeCustomerFail");
        var boRenewal = ChargeInstant(await NextBillingDateAsync(admin, bo));

        // Ava joins five days later (her own anniversary, after Bo's retries) and redeems: a ledger entry.
        await AdvanceClockToAsync(admin, (await NowAsync(admin)).AddDays(5));
        var ava = await clinic.CardMemberAsync("Ava", "Steady");
        (await admin.PostAsJsonAsync($"/api/v1/members/{ava}/redemptions",
            new { redemptionId = "red_before_restart", benefitKey = Clinic.NeurotoxinKey, quantity = 1 })).EnsureSuccessStatusCode();
        var avaRenewal = ChargeInstant(await NextBillingDateAsync(admin, ava));

        await AdvanceClockToAsync(admin, boRenewal.AddMinutes(1));
        var chased = await BoardLineAsync(admin, bo);
        Assert.Equal(("past_due", 1), (chased.GetProperty("status").GetString(), chased.GetProperty("failedAttempts").GetInt32()));
        var retryAt = chased.GetProperty("nextRetryAt").GetDateTimeOffset();
        Assert.True(retryAt < avaRenewal, $"the retry {retryAt:O} should come before Ava's renewal {avaRenewal:O}");

        var before = await SnapshotAsync(admin, ava, bo);
        var offset = await OffsetAsync(admin);
        admin.Dispose();

        // Graceful stop, a new process on the same database.
        await _silo.StopAsync();
        await _silo.DisposeAsync();
        _silo = await StartAsync();
        admin = _silo.AdminClient();
        Assert.True(await OffsetAsync(admin) >= offset, "the simulated clock went back");
        Assert.Equal(before, await SnapshotAsync(admin, ava, bo));

        // The pending retry happens on the new process: a second decline, the next retry 72 h after the first failure.
        await AdvanceClockToAsync(admin, retryAt.AddMinutes(1));
        var boAttempts = await AttemptsAsync(admin, bo);
        Assert.Equal(["succeeded", "soft_decline", "soft_decline"], boAttempts.Select(a => a.GetProperty("result").GetString()));
        chased = await BoardLineAsync(admin, bo);
        Assert.Equal(2, chased.GetProperty("failedAttempts").GetInt32());
        var since = chased.GetProperty("since").GetDateTimeOffset();
        Assert.Equal(since.AddHours(72), chased.GetProperty("nextRetryAt").GetDateTimeOffset());
        Assert.Single(await AttemptsAsync(admin, ava));

        // Past the last retry and Ava's renewal: Bo is suspended, Ava renewed on her card exactly once.
        await AdvanceClockToAsync(admin, avaRenewal.AddMinutes(5));
        Assert.Equal("suspended", (await BoardLineAsync(admin, bo)).GetProperty("status").GetString());
        Assert.Equal(["succeeded", "soft_decline", "soft_decline", "soft_decline"],
            (await AttemptsAsync(admin, bo)).Select(a => a.GetProperty("result").GetString()));
        var avaAttempts = await AttemptsAsync(admin, ava);
        Assert.Equal(["succeeded", "succeeded"], avaAttempts.Select(a => a.GetProperty("result").GetString()));
        Assert.Equal(2, (await admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{ava}/payments"))!.Length);
        Assert.Equal("active", (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/members/{ava}/membership")).GetProperty("status").GetString());
        Assert.False(_silo.HasExited, _silo.Output);
        admin.Dispose();
    }

    [Fact]
    public async Task After_the_only_silo_is_killed_a_new_process_is_ready_within_a_minute_and_reads_the_same()
    {
        _silo = await StartAsync();
        var admin = _silo.AdminClient();
        var clinic = await Clinic.OpenAsync(admin);
        var ava = await clinic.CardMemberAsync("Ava", "Crash");
        (await admin.PostAsJsonAsync($"/api/v1/members/{ava}/redemptions",
            new { redemptionId = "red_before_crash", benefitKey = Clinic.NeurotoxinKey, quantity = 1 })).EnsureSuccessStatusCode();
        var before = await SnapshotAsync(admin, ava);
        admin.Dispose();

        _silo.Kill();
        await _silo.DisposeAsync();
        _silo = await SiloProcess.StartAsync(_database, StripeState, readyWithin: TimeSpan.FromMinutes(1));
        admin = _silo.AdminClient();
        Assert.Equal(before, await SnapshotAsync(admin, ava));
        var again = await admin.PostAsJsonAsync($"/api/v1/members/{ava}/redemptions",
            new { redemptionId = "red_before_crash", benefitKey = Clinic.NeurotoxinKey, quantity = 1 });
        Assert.True(again.IsSuccessStatusCode, await again.Content.ReadAsStringAsync());
        Assert.Equal(before, await SnapshotAsync(admin, ava));
        admin.Dispose();
    }

    /// <summary>A silo whose embedded Stripe emulator keeps its account in a file the next process reads back.</summary>
    private Task<SiloProcess> StartAsync() => SiloProcess.StartAsync(_database, StripeState);

    private Dictionary<string, string?> StripeState => new() { ["Stripe:EmulatorStateFile"] = _stripeState };

    /// <summary>Everything staff can read about the two members and the board, as the API answers it.</summary>
    private static async Task<string> SnapshotAsync(HttpClient admin, params string[] members)
    {
        var parts = new List<string> { "board: " + await admin.GetStringAsync("/api/v1/billing/failed-payments") };
        foreach (var id in members)
        {
            foreach (var what in new[] { "", "/membership", "/credits", "/ledger", "/payments", "/charge-attempts", "/events" })
            {
                parts.Add($"{id}{what}: {await admin.GetStringAsync($"/api/v1/members/{id}{what}")}");
            }
        }

        return string.Join('\n', parts);
    }

    private static async Task<JsonElement[]> AttemptsAsync(HttpClient admin, string id) =>
        (await admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{id}/charge-attempts"))!;

    private static async Task<JsonElement> BoardLineAsync(HttpClient admin, string id) =>
        (await admin.GetFromJsonAsync<JsonElement[]>("/api/v1/billing/failed-payments"))!.Single(line => line.GetProperty("memberId").GetString() == id);
}
