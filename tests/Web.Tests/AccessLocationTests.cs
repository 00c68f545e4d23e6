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
