using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MedSpa.Access;
using MedSpa.Tests;
using MedSpa.Web.Access;

namespace MedSpa.Web.Tests;

/// <summary><c>/api/v1/settings</c>, and billing following a retry schedule the practice changed at run time.</summary>
public sealed class SettingsApiTests(ClinicFixture fixture) : IClassFixture<ClinicFixture>
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
    private readonly HttpClient _admin = fixture.Silo.AdminClient();

    [Fact]
    public async Task Settings_start_as_configured_take_a_new_schedule_refuse_a_bad_one_and_go_back_to_the_configuration()
    {
        Assert.Equal("1.00:00:00 3.00:00:00 then 30.00:00:00", Schedule(await _admin.GetFromJsonAsync<JsonElement>("/api/v1/settings")));

        var put = await _admin.PutAsJsonAsync("/api/v1/settings", new { retrySchedule = new { retryOffsets = Offsets("12:00:00", "2.00:00:00", "5.00:00:00"), suspendedFor = "14.00:00:00" } });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("12:00:00 2.00:00:00 5.00:00:00 then 14.00:00:00", Schedule(await put.Content.ReadFromJsonAsync<JsonElement>()));

        await ProblemAssert.IsProblem(
            await _admin.PutAsJsonAsync("/api/v1/settings", new { retrySchedule = new { retryOffsets = Offsets("2.00:00:00", "1.00:00:00"), suspendedFor = "14.00:00:00" } }),
            HttpStatusCode.BadRequest, "invalid_retry_schedule");
        await ProblemAssert.IsProblem(
            await _admin.PutAsJsonAsync("/api/v1/settings", new { retrySchedule = new { retryOffsets = Offsets("1.00:00:00"), suspendedFor = "00:00:00" } }),
            HttpStatusCode.BadRequest, "invalid_suspension_period");
        var unknownField = await _admin.PutAsync("/api/v1/settings", new StringContent("""{"retrySchedule":null,"dunning":true}""", Encoding.UTF8, "application/json"));
        await ProblemAssert.IsProblem(unknownField, HttpStatusCode.BadRequest, "malformed_request");
        Assert.Equal("12:00:00 2.00:00:00 5.00:00:00 then 14.00:00:00", Schedule(await _admin.GetFromJsonAsync<JsonElement>("/api/v1/settings")));

        var reset = await _admin.PutAsJsonAsync("/api/v1/settings", new { retrySchedule = (object?)null });
        Assert.Equal("1.00:00:00 3.00:00:00 then 30.00:00:00", Schedule(await reset.Content.ReadFromJsonAsync<JsonElement>()));
    }

    [Theory]
    [InlineData(StaffRole.FrontDesk)]
    [InlineData(StaffRole.Provider)]
    public async Task Only_administrators_read_or_change_the_settings(StaffRole role)
    {
        var key = $"settings-{role}-key";
        await fixture.Silo.Grains.GetGrain<IApiKeyGrain>(IApiKeyGrain.Key).EnsureAsync(new ApiKeyRegistration(ApiKeyAuthentication.Hash(key), $"{role} system", role));
        var client = fixture.Silo.AnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);

        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/v1/settings")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PutAsJsonAsync("/api/v1/settings", new { retrySchedule = (object?)null })).StatusCode);
    }

    [Fact]
    public async Task A_renewal_that_fails_after_the_schedule_changed_is_retried_on_the_new_schedule()
    {
        var id = await fixture.Clinic.ActiveMemberAsync("Rita", "Schedule");
        await (await _admin.PostAsJsonAsync($"/api/v1/members/{id}/payment-method", new { paymentMethodId = "pm_card_chargeCustomerFail" })).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
        (await _admin.PutAsJsonAsync("/api/v1/settings", new { retrySchedule = new { retryOffsets = Offsets("06:00:00", "2.00:00:00"), suspendedFor = "10.00:00:00" } })).EnsureSuccessStatusCode();

        var billingDate = DateOnly.Parse((await _admin.MembershipAsync(id)).GetProperty("nextBillingDate").GetString()!, CultureInfo.InvariantCulture);
        var local = billingDate.ToDateTime(new TimeOnly(9, 0));
        await _admin.AdvanceClockToAsync(new DateTimeOffset(local, NewYork.GetUtcOffset(local)).AddMinutes(1));

        var line = (await _admin.GetFromJsonAsync<JsonElement[]>("/api/v1/billing/failed-payments"))!.Single(l => l.GetProperty("memberId").GetString() == id);
        var since = line.GetProperty("since").GetDateTimeOffset();
        Assert.Equal(since.AddHours(6), line.GetProperty("nextRetryAt").GetDateTimeOffset());

        await _admin.AdvanceClockToAsync(since.AddHours(6).AddMinutes(1));
        line = (await _admin.GetFromJsonAsync<JsonElement[]>("/api/v1/billing/failed-payments"))!.Single(l => l.GetProperty("memberId").GetString() == id);
        Assert.Equal((2, since.AddDays(2)), (line.GetProperty("failedAttempts").GetInt32(), line.GetProperty("nextRetryAt").GetDateTimeOffset()));

        await _admin.AdvanceClockToAsync(since.AddDays(2).AddMinutes(1));
        line = (await _admin.GetFromJsonAsync<JsonElement[]>("/api/v1/billing/failed-payments"))!.Single(l => l.GetProperty("memberId").GetString() == id);
        Assert.Equal("suspended", line.GetProperty("status").GetString());
        Assert.Equal(line.GetProperty("suspendedAt").GetDateTimeOffset().AddDays(10), line.GetProperty("cancelAt").GetDateTimeOffset());
        (await _admin.PutAsJsonAsync("/api/v1/settings", new { retrySchedule = (object?)null })).EnsureSuccessStatusCode();
    }

    private static string[] Offsets(params string[] offsets) => offsets;

    /// <summary>The schedule in one line, <c>1.00:00:00 3.00:00:00 then 30.00:00:00</c>, to compare whole.</summary>
    private static string Schedule(JsonElement settings)
    {
        var schedule = settings.GetProperty("retrySchedule");
        return $"{string.Join(' ', schedule.GetProperty("retryOffsets").EnumerateArray().Select(o => o.GetString()))} then {schedule.GetProperty("suspendedFor").GetString()}";
    }
}
