using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using MedSpa.Tests;

namespace MedSpa.Cluster.Tests;

/// <summary>What the cluster tests ask of any silo over HTTP, as staff (the administrator key) would.</summary>
internal static class ClusterApi
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    /// <summary><paramref name="count"/> members enrolled on Premium and paid at the desk, one after the other.</summary>
    public static async Task<IReadOnlyList<string>> ActiveMembersAsync(Clinic clinic, int count, string lastName)
    {
        var members = new List<string>();
        for (var i = 0; i < count; i++)
        {
            members.Add(await clinic.ActiveMemberAsync($"Client{i}", lastName));
        }

        return members;
    }

    public static Task<JsonElement> SaveCardAsync(HttpClient admin, string id, string paymentMethodId) =>
        PostOkAsync(admin, $"/api/v1/members/{id}/payment-method", new { paymentMethodId });

    public static async Task<JsonElement> PostOkAsync(HttpClient admin, string path, object body) =>
        await ReadOkAsync(await admin.PostAsJsonAsync(path, body));

    /// <summary>The answer's JSON, failing the test with its status and body unless it is 2xx. Disposes the answer.</summary>
    public static async Task<JsonElement> ReadOkAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {text}");
            return JsonDocument.Parse(text).RootElement.Clone();
        }
    }

    public static async Task<DateOnly> NextBillingDateAsync(HttpClient admin, string id) =>
        DateOnly.Parse((await admin.GetFromJsonAsync<JsonElement>($"/api/v1/members/{id}/membership")).GetProperty("nextBillingDate").GetString()!, CultureInfo.InvariantCulture);

    /// <summary>Renewals are charged at 9:00 in the clinic's time zone on the billing date.</summary>
    public static DateTimeOffset ChargeInstant(DateOnly billingDate) => At(billingDate, new TimeOnly(9, 0));

    /// <summary>A wall-clock time in the clinic's time zone.</summary>
    public static DateTimeOffset At(DateOnly day, TimeOnly time)
    {
        var local = day.ToDateTime(time);
        return new DateTimeOffset(local, NewYork.GetUtcOffset(local));
    }

    public static async Task<DateTimeOffset> NowAsync(HttpClient admin) =>
        (await admin.GetFromJsonAsync<JsonElement>("/api/v1/admin/clock")).GetProperty("now").GetDateTimeOffset();

    /// <summary>The clinic's date now, in its time zone.</summary>
    public static async Task<DateOnly> TodayAsync(HttpClient admin) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(await NowAsync(admin), NewYork).DateTime);

    public static async Task<TimeSpan> OffsetAsync(HttpClient admin) =>
        TimeSpan.Parse((await admin.GetFromJsonAsync<JsonElement>("/api/v1/admin/clock")).GetProperty("offset").GetString()!, CultureInfo.InvariantCulture);

    /// <summary>Moves the simulated clock to <paramref name="to"/> (if it is still ahead), which runs the billing due on the way.</summary>
    public static async Task AdvanceClockToAsync(HttpClient admin, DateTimeOffset to)
    {
        if (to <= await NowAsync(admin))
        {
            return;
        }

        using var response = await admin.PostAsJsonAsync("/api/v1/admin/clock/advance", new { to });
        Assert.True(response.IsSuccessStatusCode, $"advance to {to:O}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>What is left of a member's facial credit, in cents.</summary>
    public static async Task<long> FacialBalanceAsync(HttpClient admin, string member) =>
        (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/members/{member}/credits")).GetProperty("balances").EnumerateArray()
            .Single(b => b.GetProperty("benefitKey").GetString() == Clinic.FacialCreditKey).GetProperty("balance").GetInt64();

    /// <summary>Charge attempts recorded in <c>member_events</c> that no resolution followed: money whose fate is unknown.</summary>
    public static async Task<long> UnresolvedChargeAttemptsAsync(TestDatabase database) =>
        await database.ScalarAsync<long>("""
            SELECT count(*) FROM member_events a
            WHERE a.event_type = 'charge_attempted'
              AND NOT EXISTS (SELECT 1 FROM member_events r
                              WHERE r.member_id = a.member_id AND r.event_type = 'charge_resolved'
                                AND r.payload->>'attemptId' = a.payload->>'attemptId')
            """);
}
