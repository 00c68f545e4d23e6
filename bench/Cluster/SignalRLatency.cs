using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MedSpa.Tests;
using Microsoft.AspNetCore.SignalR.Client;

namespace MedSpa.Bench.Cluster;

/// <summary>
/// Checkout-to-dashboard latency: a dashboard connected to the live hub watching the clinic's location (as the desk's
/// page does), redemptions sent at a steady rate through the API, and for each the time from sending it (and from its
/// HTTP answer) until the dashboard holds the member's new balance.
/// </summary>
public static class SignalRLatency
{
    private const double LimitMs = 100;

    public static async Task<Figure> RunAsync(BenchOptions options)
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var silo = await SiloProcess.StartAsync(database);
        using var admin = Api.PatientAdmin(silo);
        var clinic = await Clinic.OpenAsync(admin);
        // Enough members that each is redeemed about every two seconds: one redemption in flight per member, so the
        // n-th push of a member's balance answers its n-th redemption.
        var members = await RedeemingMembers.SeedAsync(admin, clinic, options.PacedRate * 2, "signalr");
        var index = members.Select((m, i) => (m.Id, i)).ToDictionary(m => m.Id, m => m.i, StringComparer.Ordinal);

        await using var dashboard = await LiveClient.ConnectAsync(silo.BaseAddress, TestSilo.AdminKey);
        var pushed = new ConcurrentDictionary<(int Member, long Remaining), long>();
        dashboard.Connection.On<JsonElement>("memberChanged", snapshot =>
        {
            var at = Stopwatch.GetTimestamp();
            if (index.TryGetValue(snapshot.GetProperty("memberId").GetString() ?? "", out var member))
            {
                pushed.TryAdd((member, LiveClient.Remaining(snapshot, Clinic.NeurotoxinKey)), at);
            }
        });
        await dashboard.WatchLocationAsync(clinic.LocationId);

        var total = (int)(options.PacedRate * options.Duration.TotalSeconds);
        BenchOptions.Progress($"signalr: {total:N0} redemptions at {options.PacedRate}/s");
        var sent = new long[total];
        var answered = new long[total];
        var failed = 0;
        var loadBefore = Reports.Machine.LoadAverage();
        var start = Stopwatch.GetTimestamp();
        var inFlight = new List<Task>(total);
        for (var i = 0; i < total; i++)
        {
            // Paced from the start, not from the previous send, so a slow moment is not made up for by a burst.
            var due = start + (long)(i * Stopwatch.Frequency / (double)options.PacedRate);
            while (Stopwatch.GetTimestamp() < due)
            {
                await Task.Delay(1);
            }

            var n = i;
            inFlight.Add(Task.Run(async () =>
            {
                var member = members[n % members.Count];
                sent[n] = Stopwatch.GetTimestamp();
                using var response = await admin.PostAsJsonAsync($"/api/v1/members/{member.Id}/redemptions",
                    new { redemptionId = $"red_live_{n}", benefitKey = Clinic.NeurotoxinKey, quantity = 1 });
                answered[n] = Stopwatch.GetTimestamp();
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref failed);
                }
            }));
        }

        var sending = Stopwatch.GetElapsedTime(start);
        await Task.WhenAll(inFlight);
        await Task.Delay(TimeSpan.FromSeconds(2));
        var loadAfter = Reports.Machine.LoadAverage();

        var fromSend = new List<double>();
        var fromAnswer = new List<double>();
        var missing = 0;
        for (var i = 0; i < total; i++)
        {
            var member = i % members.Count;
            var expected = members[member].Balance - ((i / members.Count) + 1);
            if (pushed.TryGetValue((member, expected), out var at))
            {
                fromSend.Add(Stats.Ms(sent[i], at));
                fromAnswer.Add(Stats.Ms(answered[i], at));
            }
            else
            {
                missing++;
            }
        }

        fromSend.Sort();
        fromAnswer.Sort();
        var p99 = Stats.Percentile(fromSend, 99);
        var pass = p99 < LimitMs && missing == 0 && failed == 0;

        var s = new StringBuilder();
        void Line(FormattableString text) => s.AppendLine(text.ToString(CultureInfo.InvariantCulture));
        Line($"### Checkout-to-dashboard latency over SignalR at {options.PacedRate} redemptions/s");
        Line($"");
        Line($"One dashboard (`LiveClient`, WebSockets) watching the clinic's location; {total:N0} redemptions sent at a paced {options.PacedRate}/s (sending took {sending.TotalSeconds:F1} s) over {members.Count} members through the API, one silo process on loopback. The time is until the `memberChanged` push carrying the member's new balance arrives.");
        Line($"");
        Line($"| from | pushes matched | p50 ms | p90 ms | p99 ms | max ms |");
        Line($"|---|---:|---:|---:|---:|---:|");
        Line($"| sending the redemption | {fromSend.Count:N0} | {Stats.Percentile(fromSend, 50):F1} | {Stats.Percentile(fromSend, 90):F1} | {Stats.Percentile(fromSend, 99):F1} | {fromSend.LastOrDefault():F1} |");
        Line($"| its HTTP answer | {fromAnswer.Count:N0} | {Stats.Percentile(fromAnswer, 50):F1} | {Stats.Percentile(fromAnswer, 90):F1} | {Stats.Percentile(fromAnswer, 99):F1} | {fromAnswer.LastOrDefault():F1} |");
        Line($"");
        Line($"**p99 from sending: {p99:F1} ms, ratio {p99 / LimitMs:F2}** of the {LimitMs:F0} ms limit: {(pass ? "pass" : "**FAIL**")}. Failed requests: {failed}; redemptions whose push never arrived: {missing}. Load average (1, 5, 15 min): {loadBefore} before, {loadAfter} after.");
        return new Figure("signalr", s.ToString(), pass);
    }
}
