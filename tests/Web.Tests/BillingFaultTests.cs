using System.Net.Http.Json;
using System.Text.Json;
using MedSpa.Billing;
using MedSpa.Members;
using MedSpa.Tests;

namespace MedSpa.Web.Tests;

/// <summary>A silo whose Stripe calls outrun the emulator's rate limit, so 429s happen for real as well as injected.</summary>
public sealed class FaultyProcessorFixture : SiloFixture
{
    public Clinic Clinic { get; private set; } = null!;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Stripe:RatePerSecond"] = "120" };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Clinic = await Clinic.OpenAsync(Silo);
    }
}

/// <summary>
/// A thousand members billed twice (the first month at enrolment, the renewal by the clock) while the processor
/// loses one charge answer in ten after making the charge, and throttles. The emulator's own record of PaymentIntents
/// is the judge: one succeeded charge per member per period, and no attempt left unresolved.
/// </summary>
public sealed class BillingFaultTests(FaultyProcessorFixture fixture) : IClassFixture<FaultyProcessorFixture>
{
    private const int Members = 1_000;
    private const int InFlight = 16;

    [Fact]
    public async Task A_thousand_members_billed_through_lost_answers_and_429s_are_charged_exactly_once_per_period()
    {
        using var emulator = StripeAccount.ControlClient(fixture.Silo.StripeEmulator, TimeSpan.FromMinutes(2));
        (await emulator.PostAsJsonAsync("/_emulator/rate_limit", new { per_second = 80 })).EnsureSuccessStatusCode();
        (await emulator.PostAsJsonAsync("/_emulator/faults", new { kind = "500_after", path = "/v1/payment_intents", method = "POST", rate = 0.10 })).EnsureSuccessStatusCode();
        (await emulator.PostAsJsonAsync("/_emulator/faults", new { kind = "429", path = "/v1/", rate = 0.03 })).EnsureSuccessStatusCode();

        var grains = fixture.Silo.Grains;
        var clock = grains.GetGrain<MedSpa.Clock.IClockGrain>(MedSpa.Clock.IClockGrain.Key);
        var enrolledAt = (await clock.GetAsync()).Now;
        var ids = Enumerable.Range(0, Members).Select(i => Identifiers.New("mem", enrolledAt.AddTicks(i))).ToArray();
        await ForEachAsync(ids, async (id, i) =>
        {
            var member = grains.GetGrain<IMemberGrain>(id);
            await member.RegisterAsync(new NewClient("Load", $"Member{i}", $"load.{i}.{Guid.NewGuid():N}@example.com", null, fixture.Clinic.LocationId), Registrar.Staff);
            await Eventually(() => member.SavePaymentMethodAsync("pm_card_visa"));
            try
            {
                await member.EnrolAsync(new EnrolmentRequest(fixture.Clinic.PremiumPlanId, new AgreementAcceptance($"Load Member{i}", true)), new SignatureContext("desk:test", null, null));
            }
            catch (CommandRejectedException unavailable) when (unavailable.Kind == RejectionKind.Unavailable)
            {
                // The charge's answer was lost and looking it up failed too: the open attempt is the billing run's to settle.
            }
        });

        // The renewal date of those whose first period is paid: a member whose enrolment answer was lost still shows
        // the first period as next, and a run up to it would settle that and renew nobody.
        var nextDates = new List<DateOnly>();
        await ForEachAsync(ids, async (id, _) =>
        {
            var next = (await grains.GetGrain<IMemberGrain>(id).GetMembershipAsync()).NextBillingDate!.Value;
            lock (nextDates)
            {
                nextDates.Add(next);
            }
        });
        var firstRenewal = nextDates.Max();
        var target = new DateTimeOffset(firstRenewal.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero).AddDays(1);
        var run = await grains.GetGrain<IBillingRunGrain>(IBillingRunGrain.Key).AdvanceClockToAsync(target);
        Assert.Equal(0, run.Failed);
        // Either the run or a member's own reminder may make the renewal (the reminder can fire first on a loaded machine,
        // leaving the run nothing to wake), so the judge is each member's schedule, not who woke it.
        await ForEachAsync(ids, async (id, _) =>
        {
            var membership = await grains.GetGrain<IMemberGrain>(id).GetMembershipAsync();
            Assert.True(membership.NextBillingDate > firstRenewal, $"{id} was not renewed: next billing {membership.NextBillingDate}");
        });

        var attempts = new Dictionary<string, ChargeAttemptView[]>();
        await ForEachAsync(ids, async (id, _) =>
        {
            var mine = (await grains.GetGrain<IMemberGrain>(id).GetChargeAttemptsAsync()).ToArray();
            lock (attempts)
            {
                attempts[id] = mine;
            }
        });
        Assert.All(attempts.Values.SelectMany(a => a), a => Assert.NotNull(a.Result));
        // Exactly two attempts each, both paid: a lost answer was settled by finding its charge, never by a new attempt.
        Assert.All(attempts.Values, a => Assert.Equal([ChargeResult.Succeeded, ChargeResult.Succeeded], a.Select(x => x.Result)));

        var succeeded = (await emulator.GetFromJsonAsync<JsonElement>("/_emulator/payment_intents")) is var all && all.ValueKind == JsonValueKind.Array
            ? all.EnumerateArray().ToList()
            : all.GetProperty("data").EnumerateArray().ToList();
        var charged = succeeded
            .Where(pi => pi.GetProperty("status").GetString() == "succeeded")
            .Select(pi => pi.GetProperty("metadata"))
            .Where(m => m.TryGetProperty("member_id", out var member) && attempts.ContainsKey(member.GetString()!))
            .GroupBy(m => (Member: m.GetProperty("member_id").GetString()!, Period: PeriodOf(m.GetProperty("attempt_id").GetString()!)))
            .ToList();
        Assert.Equal(Members * 2, charged.Count);
        Assert.All(charged, period => Assert.Single(period));
    }

    /// <summary>The period in an attempt id <c>charge:{member}:{periodStart}:{attempt}</c>.</summary>
    private static string PeriodOf(string attemptId) => attemptId.Split(':')[2];

    private static async Task Eventually(Func<Task> action)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await action();
                return;
            }
            catch (CommandRejectedException unavailable) when (unavailable.Kind == RejectionKind.Unavailable && attempt < 10)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt));
            }
        }
    }

    private static async Task ForEachAsync(string[] ids, Func<string, int, Task> action)
    {
        using var gate = new SemaphoreSlim(InFlight);
        await Task.WhenAll(ids.Select(async (id, i) =>
        {
            await gate.WaitAsync();
            try
            {
                await action(id, i);
            }
            finally
            {
                gate.Release();
            }
        }));
    }
}
