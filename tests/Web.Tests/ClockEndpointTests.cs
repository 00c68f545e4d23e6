using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace MedSpa.Web.Tests;

public sealed class ClockEndpointTests(SiloFixture fixture) : IClassFixture<SiloFixture>
{
    private readonly HttpClient _admin = fixture.Silo.AdminClient();

    private async Task<DateTimeOffset> NowAsync()
    {
        var reading = await _admin.GetFromJsonAsync<JsonElement>("/api/v1/admin/clock");
        Assert.Equal("simulated", reading.GetProperty("mode").GetString());
        return reading.GetProperty("now").GetDateTimeOffset();
    }

    [Fact]
    public async Task Advancing_by_a_duration_moves_simulated_time_a_calendar_step_forward()
    {
        var before = await NowAsync();

        var response = await _admin.PostAsJsonAsync("/api/v1/admin/clock/advance", new { by = "P1M" });

        response.EnsureSuccessStatusCode();
        var moved = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("now").GetDateTimeOffset();
        Assert.InRange(moved, before.AddMonths(1), before.AddMonths(1).AddSeconds(5));
        Assert.True(await NowAsync() >= moved, "the clock keeps the new time");
    }

    [Fact]
    public async Task Advancing_to_an_instant_lands_there()
    {
        var target = (await NowAsync()).AddDays(40);

        var response = await _admin.PostAsJsonAsync("/api/v1/admin/clock/advance", new { to = target });

        response.EnsureSuccessStatusCode();
        Assert.InRange(await NowAsync(), target, target.AddSeconds(5));
    }

    [Fact]
    public async Task Time_never_goes_back()
    {
        var before = await NowAsync();

        var response = await _admin.PostAsJsonAsync("/api/v1/admin/clock/advance", new { to = before.AddDays(-1) });

        await ProblemAssert.IsProblem(response, HttpStatusCode.BadRequest, "clock_cannot_go_back");
        Assert.InRange(await NowAsync(), before, before.AddSeconds(5));
    }

    [Theory]
    [InlineData("""{"by": "one month"}""", "invalid_clock_advance")]
    [InlineData("""{"by": "P1M", "to": "2030-01-01T00:00:00Z"}""", "invalid_clock_advance")]
    [InlineData("""{}""", "invalid_clock_advance")]
    [InlineData("""{"by": "P1M" """, "malformed_request")]
    [InlineData("""{"by": 12}""", "malformed_request")]
    [InlineData("""{"to": "next tuesday"}""", "malformed_request")]
    [InlineData("""{"by": "P1M", "unexpected": true}""", "malformed_request")]
    [InlineData("""not json at all""", "malformed_request")]
    public async Task A_bad_advance_gets_a_problem_400_and_changes_nothing(string body, string code)
    {
        var before = await NowAsync();

        var response = await _admin.PostAsync("/api/v1/admin/clock/advance", new StringContent(body, Encoding.UTF8, "application/json"));

        await ProblemAssert.IsProblem(response, HttpStatusCode.BadRequest, code);
        Assert.InRange(await NowAsync(), before, before.AddSeconds(5));
    }
}

public sealed class RealClockTests(RealClockSiloFixture fixture) : IClassFixture<RealClockSiloFixture>
{
    [Fact]
    public async Task The_clock_endpoints_do_not_exist_when_the_clock_is_real()
    {
        var admin = fixture.Silo.AdminClient();

        await ProblemAssert.IsProblem(await admin.GetAsync("/api/v1/admin/clock"), HttpStatusCode.NotFound, "clock_not_simulated");
        await ProblemAssert.IsProblem(
            await admin.PostAsJsonAsync("/api/v1/admin/clock/advance", new { by = "P1D" }), HttpStatusCode.NotFound, "clock_not_simulated");
    }
}
