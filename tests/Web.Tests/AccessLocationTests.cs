using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MedSpa.Access;
using MedSpa.Tests;

namespace MedSpa.Web.Tests;

/// <summary>Staff limited to some locations see only those locations' members (every member route and the search) and their own locations' routes.</summary>
public sealed class AccessLocationTests(ClinicFixture fixture) : IClassFixture<ClinicFixture>
{
    [Fact]
    public async Task Front_desk_limited_to_one_location_gets_404_for_another_locations_member_and_search_omits_them()
    {
        var silo = fixture.Silo;
        var admin = silo.AdminClient();
        var elsewhere = (await admin.PostOkAsync("/api/v1/locations", new { name = $"Elsewhere {Guid.NewGuid():N}", timeZone = "America/Los_Angeles" })).GetProperty("id").GetString()!;
        var here = await fixture.Clinic.RegisterAsync("Hera", "Limitedsearch");
        var there = (await admin.PostOkAsync("/api/v1/members", new
        {
            firstName = "Thea",
            lastName = "Limitedsearch",
            email = $"thea.{Guid.NewGuid():N}@example.com",
            homeLocationId = elsewhere,
        })).GetProperty("id").GetString()!;
        var desk = await silo.SignedInClientAsync(await silo.StaffAccountAsync(StaffRole.FrontDesk, fixture.Clinic.LocationId));

        Assert.Equal(HttpStatusCode.OK, (await desk.GetAsync($"/api/v1/members/{here}")).StatusCode);
        await ProblemAssert.IsProblem(await desk.GetAsync($"/api/v1/members/{there}"), HttpStatusCode.NotFound, "member_not_found");
        await ProblemAssert.IsProblem(await desk.GetAsync($"/api/v1/members/{there}/credits"), HttpStatusCode.NotFound, "member_not_found");
        await ProblemAssert.IsProblem(await desk.PostAsJsonAsync($"/api/v1/members/{there}/pause", new { days = 30 }), HttpStatusCode.NotFound, "member_not_found");
        await ProblemAssert.IsProblem(await desk.GetAsync($"/api/v1/members/{there}/disputes"), HttpStatusCode.NotFound, "member_not_found");

        // Nor that location's own routes: its day, its free times, its walk-ins.
        Assert.Equal(HttpStatusCode.OK, (await desk.GetAsync($"/api/v1/locations/{fixture.Clinic.LocationId}/schedule")).StatusCode);
        await ProblemAssert.IsProblem(await desk.GetAsync($"/api/v1/locations/{elsewhere}/schedule"), HttpStatusCode.NotFound, "location_not_found");
        await ProblemAssert.IsProblem(await desk.PostAsJsonAsync($"/api/v1/locations/{elsewhere}/walk-ins", new { appointmentId = $"apt_{Guid.NewGuid():N}", clientId = here, serviceId = fixture.Clinic.NeurotoxinId }), HttpStatusCode.NotFound, "location_not_found");

        // Nor that location's appointments: looked up, moved, or booked there.
        var walkIn = await admin.PostOkAsync($"/api/v1/locations/{elsewhere}/walk-ins", new { appointmentId = $"apt_{Guid.NewGuid():N}", clientId = there, serviceId = fixture.Clinic.NeurotoxinId });
        var appointment = walkIn.GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/api/v1/appointments/{appointment}")).StatusCode);
        await ProblemAssert.IsProblem(await desk.GetAsync($"/api/v1/appointments/{appointment}"), HttpStatusCode.NotFound, "appointment_not_found");
        await ProblemAssert.IsProblem(await desk.PostAsync($"/api/v1/appointments/{appointment}/check-in", null), HttpStatusCode.NotFound, "appointment_not_found");
        await ProblemAssert.IsProblem(await desk.PostAsJsonAsync("/api/v1/appointments", new
        {
            appointmentId = $"apt_{Guid.NewGuid():N}",
            clientId = here,
            locationId = elsewhere,
            serviceId = fixture.Clinic.NeurotoxinId,
            start = DateTimeOffset.UtcNow.AddDays(30),
        }), HttpStatusCode.NotFound, "appointment_not_found");

        var found = await desk.GetFromJsonAsync<JsonElement[]>("/api/v1/members?q=limitedsearch");
        Assert.Equal([here], found!.Select(m => m.GetProperty("id").GetString()));

        // Unlimited staff and API keys see everyone.
        var everyone = await admin.GetFromJsonAsync<JsonElement[]>("/api/v1/members?q=limitedsearch");
        Assert.Equal(2, everyone!.Length);
        var provider = await silo.SignedInClientAsync(await silo.StaffAccountAsync(StaffRole.Provider));
        Assert.Equal(HttpStatusCode.OK, (await provider.GetAsync($"/api/v1/members/{there}")).StatusCode);
    }

    [Fact]
    public async Task Front_desk_limited_to_one_location_can_neither_see_nor_book_nor_walk_in_another_locations_client()
    {
        var silo = fixture.Silo;
        var admin = silo.AdminClient();
        var home = fixture.Clinic.LocationId;
        var elsewhere = (await admin.PostOkAsync("/api/v1/locations", new { name = $"Elsewhere {Guid.NewGuid():N}", timeZone = "America/Los_Angeles" })).GetProperty("id").GetString()!;
        var here = await fixture.Clinic.RegisterAsync("Hana", "Homeclient");
        var there = (await admin.PostOkAsync("/api/v1/members", new
        {
            firstName = "Tess",
            lastName = "Awayclient",
            email = $"tess.{Guid.NewGuid():N}@example.com",
            homeLocationId = elsewhere,
        })).GetProperty("id").GetString()!;
        var desk = await silo.SignedInClientAsync(await silo.StaffAccountAsync(StaffRole.FrontDesk, home));
        var (date, starts) = await FreeStartsAsync(admin, home);

        // The live card of another location's client says no more than the API does.
        Assert.Equal(HttpStatusCode.OK, (await desk.GetAsync($"/live/member/{here}")).StatusCode);
        var card = await desk.GetAsync($"/live/member/{there}");
        Assert.Equal(HttpStatusCode.NotFound, card.StatusCode);
        Assert.DoesNotContain("Awayclient", await card.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // Nor the enrolment page.
        Assert.Equal(HttpStatusCode.NotFound, (await desk.GetAsync($"/enrol?member={there}")).StatusCode);

        // Booked or walked in at the desk's own location: refused as no client, nothing recorded.
        await ProblemAssert.IsProblem(await desk.PostAsJsonAsync("/api/v1/appointments", new
        {
            appointmentId = $"apt_{Guid.NewGuid():N}",
            clientId = there,
            locationId = home,
            serviceId = fixture.Clinic.NeurotoxinId,
            start = starts[0],
        }), HttpStatusCode.NotFound, "member_not_found");
        await ProblemAssert.IsProblem(await desk.PostAsJsonAsync($"/api/v1/locations/{home}/walk-ins", new { appointmentId = $"apt_{Guid.NewGuid():N}", clientId = there, serviceId = fixture.Clinic.NeurotoxinId }), HttpStatusCode.NotFound, "member_not_found");
        Assert.Empty((await admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{there}/appointments"))!);
        Assert.DoesNotContain(there, await ScheduledClientsAsync(desk, home, date));

        // An appointment at the desk's location that someone unlimited booked for that client is not theirs either.
        var booked = (await admin.PostOkAsync("/api/v1/appointments", new
        {
            appointmentId = $"apt_{Guid.NewGuid():N}",
            clientId = there,
            locationId = home,
            serviceId = fixture.Clinic.NeurotoxinId,
            start = starts[1],
        })).GetProperty("id").GetString()!;
        await ProblemAssert.IsProblem(await desk.GetAsync($"/api/v1/appointments/{booked}"), HttpStatusCode.NotFound, "appointment_not_found");
        await ProblemAssert.IsProblem(await desk.PostAsJsonAsync($"/api/v1/appointments/{booked}/move", new { start = starts[2] }), HttpStatusCode.NotFound, "appointment_not_found");
        await ProblemAssert.IsProblem(await desk.PostAsync($"/api/v1/appointments/{booked}/cancel", null), HttpStatusCode.NotFound, "appointment_not_found");
        Assert.Equal("booked", (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/appointments/{booked}")).GetProperty("status").GetString());

        // The desk's own clients still book and walk in.
        Assert.Equal(HttpStatusCode.Created, (await desk.PostAsJsonAsync("/api/v1/appointments", new
        {
            appointmentId = $"apt_{Guid.NewGuid():N}",
            clientId = here,
            locationId = home,
            serviceId = fixture.Clinic.NeurotoxinId,
            start = starts[0],
        })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await desk.PostAsJsonAsync($"/api/v1/locations/{home}/walk-ins", new { appointmentId = $"apt_{Guid.NewGuid():N}", clientId = here, serviceId = fixture.Clinic.NeurotoxinId })).StatusCode);
        Assert.Equal(2, (await admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{here}/appointments"))!.Length);
    }

    /// <summary>A day with at least three free starts at <paramref name="location"/>, and those starts.</summary>
    private async Task<(DateOnly Date, DateTimeOffset[] Starts)> FreeStartsAsync(HttpClient admin, string location)
    {
        for (var date = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(7); ; date = date.AddDays(1))
        {
            var slots = (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/locations/{location}/availability?serviceId={fixture.Clinic.NeurotoxinId}&date={date:yyyy-MM-dd}"))
                .GetProperty("slots").EnumerateArray().Select(s => s.GetProperty("start").GetDateTimeOffset()).ToArray();
            if (slots.Length >= 3)
            {
                return (date, slots);
            }
        }
    }

    private static async Task<string[]> ScheduledClientsAsync(HttpClient client, string location, DateOnly date) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/v1/locations/{location}/schedule?date={date:yyyy-MM-dd}"))
            .GetProperty("appointments").EnumerateArray().Select(v => v.GetProperty("appointment").GetProperty("clientId").GetString()!).ToArray();

    [Fact]
    public async Task The_last_active_administrator_account_can_be_neither_demoted_nor_disabled()
    {
        // This class makes no other administrator accounts, so the first is the only one.
        var silo = fixture.Silo;
        var admin = silo.AdminClient();
        var first = await silo.StaffAccountAsync(StaffRole.Admin);

        await ProblemAssert.IsProblem(await admin.PutAsJsonAsync($"/api/v1/staff/{first.Id}", new { displayName = "Owner", role = "provider", active = true }), HttpStatusCode.Conflict, "last_administrator");
        await ProblemAssert.IsProblem(await admin.PutAsJsonAsync($"/api/v1/staff/{first.Id}", new { displayName = "Owner", role = "admin", active = false }), HttpStatusCode.Conflict, "last_administrator");

        await silo.StaffAccountAsync(StaffRole.Admin);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/v1/staff/{first.Id}", new { displayName = "Owner", role = "provider", active = true })).StatusCode);
    }
}
