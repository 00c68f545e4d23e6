using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MedSpa.Access;
using MedSpa.Tests;
using MedSpa.Web.Access;

namespace MedSpa.Web.Tests;

/// <summary>
/// The schedule over HTTP on PostgreSQL: opening hours, capacity under concurrent bookings, idempotent retries, moves,
/// cancellations, check-ins, walk-ins, other systems' pushes, and the checkout preview each appointment carries.
/// Each test books at a location of its own, so capacity is never shared between tests.
/// </summary>
public sealed class AppointmentTests(ClinicFixture fixture) : IClassFixture<ClinicFixture>, IDisposable
{
    private static readonly string[] Weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
    private readonly HttpClient _admin = fixture.Silo.AdminClient();
    private Clinic Clinic => fixture.Clinic;

    public void Dispose() => _admin.Dispose();

    [Fact]
    public async Task A_location_opens_at_the_default_hours_until_an_administrator_sets_its_own()
    {
        var location = await LocationAsync();
        var listed = (await _admin.GetFromJsonAsync<JsonElement[]>("/api/v1/locations"))!.Single(l => l.GetProperty("id").GetString() == location);
        var hours = listed.GetProperty("hours");
        Assert.Equal((15, 2, 6), (hours.GetProperty("slotMinutes").GetInt32(), hours.GetProperty("capacity").GetInt32(), hours.GetProperty("days").GetArrayLength()));
        Assert.Equal("monday", hours.GetProperty("days")[0].GetProperty("day").GetString());
        Assert.Equal("09:00:00", hours.GetProperty("days")[0].GetProperty("opens").GetString());

        var set = await PutAsync($"/api/v1/locations/{location}/hours", new
        {
            days = new[] { new { day = "tuesday", opens = "10:00", closes = "14:00" } },
            slotMinutes = 30,
            capacity = 1,
        });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        var tuesday = NextDay(DayOfWeek.Tuesday);
        var slots = await AvailabilityAsync(location, Clinic.NeurotoxinId, tuesday);
        Assert.Equal(8, slots.Length);
        Assert.Equal(Local(tuesday, 10), slots[0].GetProperty("start").GetDateTimeOffset());
        Assert.Empty(await AvailabilityAsync(location, Clinic.NeurotoxinId, tuesday.AddDays(1)));

        await ProblemAssert.IsProblem(await PutAsync($"/api/v1/locations/{location}/hours", new
        {
            days = new[] { new { day = "monday", opens = "18:00", closes = "09:00" } },
        }), HttpStatusCode.BadRequest, "invalid_opening_hours");
        await ProblemAssert.IsProblem(await PutAsync("/api/v1/locations/loc_nowhere/hours", new { days = Array.Empty<object>() }), HttpStatusCode.NotFound, "location_not_found");
    }

    [Fact]
    public async Task Bookings_outside_opening_hours_off_the_slots_or_on_a_closed_day_are_refused()
    {
        var location = await LocationAsync();
        var client = await Clinic.RegisterAsync("Otto", "Hours");
        var wednesday = NextDay(DayOfWeek.Wednesday);

        foreach (var start in new[] { Local(wednesday, 8, 45), Local(wednesday, 17, 45), Local(wednesday, 10, 5), Local(NextDay(DayOfWeek.Sunday), 10) })
        {
            await ProblemAssert.IsProblem(await BookAsync(NewId(), client, location, start), HttpStatusCode.Conflict, "outside_opening_hours");
        }

        await ProblemAssert.IsProblem(await BookAsync("not-an-id", client, location, Local(wednesday, 10)), HttpStatusCode.BadRequest, "invalid_appointment_id");
        await ProblemAssert.IsProblem(await BookAsync(NewId(), "mem_nobody", location, Local(wednesday, 10)), HttpStatusCode.NotFound, "member_not_found");
        Assert.Empty((await ScheduleAsync(location, wednesday)).GetProperty("appointments").EnumerateArray());
    }

    [Fact]
    public async Task Of_many_concurrent_bookings_of_the_last_place_exactly_one_wins()
    {
        var location = await LocationAsync(capacity: 1);
        var thursday = NextDay(DayOfWeek.Thursday);
        var clients = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Clinic.RegisterAsync("Race", $"Client{i}")));

        var answers = await Task.WhenAll(clients.Select(c => BookAsync(NewId(), c, location, Local(thursday, 11))));

        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Created);
        foreach (var refused in answers.Where(a => a.StatusCode != HttpStatusCode.Created))
        {
            await ProblemAssert.IsProblem(refused, HttpStatusCode.Conflict, "slot_full");
        }

        Assert.Single((await ScheduleAsync(location, thursday)).GetProperty("appointments").EnumerateArray());
        Assert.DoesNotContain(await AvailabilityAsync(location, Clinic.NeurotoxinId, thursday), s => s.GetProperty("start").GetDateTimeOffset() == Local(thursday, 11));
    }

    [Fact]
    public async Task A_retried_booking_books_once_and_an_id_reused_for_another_booking_is_refused()
    {
        var location = await LocationAsync();
        var client = await Clinic.RegisterAsync("Rita", "Retry");
        var friday = NextDay(DayOfWeek.Friday);
        var id = NewId();

        var first = await BookAsync(id, client, location, Local(friday, 9));
        var again = await BookAsync(id, client, location, Local(friday, 9));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
        Assert.Single((await ScheduleAsync(location, friday)).GetProperty("appointments").EnumerateArray());
        Assert.Single(await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{client}/appointments") ?? []);
        await ProblemAssert.IsProblem(await BookAsync(id, client, location, Local(friday, 10)), HttpStatusCode.Conflict, "appointment_id_reused");
    }

    [Fact]
    public async Task A_move_follows_the_booking_rules_and_can_change_the_day()
    {
        var location = await LocationAsync(capacity: 1);
        var (ann, bea) = (await Clinic.RegisterAsync("Ann", "Mover"), await Clinic.RegisterAsync("Bea", "Mover"));
        var monday = NextDay(DayOfWeek.Monday);
        var id = NewId();
        Assert.Equal(HttpStatusCode.Created, (await BookAsync(id, ann, location, Local(monday, 10))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await BookAsync(NewId(), bea, location, Local(monday, 11))).StatusCode);

        await ProblemAssert.IsProblem(await MoveAsync(id, Local(monday, 11)), HttpStatusCode.Conflict, "slot_full");
        await ProblemAssert.IsProblem(await MoveAsync(id, Local(monday, 19)), HttpStatusCode.Conflict, "outside_opening_hours");
        var sameDay = await MoveAsync(id, Local(monday, 10, 15));
        Assert.Equal(Local(monday, 10, 15), (await sameDay.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("start").GetDateTimeOffset());

        var nextDay = await (await MoveAsync(id, Local(monday.AddDays(1), 14))).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(monday.AddDays(1), DateOnly.Parse(nextDay.GetProperty("date").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal([bea], Clients(await ScheduleAsync(location, monday)));
        Assert.Equal([ann], Clients(await ScheduleAsync(location, monday.AddDays(1))));
        var mine = Assert.Single(await _admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{ann}/appointments") ?? []);
        Assert.Equal(Local(monday.AddDays(1), 14), mine.GetProperty("start").GetDateTimeOffset());
        Assert.Equal(Local(monday.AddDays(1), 14), (await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/appointments/{id}")).GetProperty("start").GetDateTimeOffset());
    }

    [Fact]
    public async Task Cancel_and_check_in_are_idempotent_and_a_cancelled_place_is_free_again()
    {
        var location = await LocationAsync(capacity: 1);
        var client = await Clinic.RegisterAsync("Cal", "Cancel");
        var tuesday = NextDay(DayOfWeek.Tuesday);
        var (cancelled, kept) = (NewId(), NewId());
        await BookAsync(cancelled, client, location, Local(tuesday, 9));

        var once = await PostAsync($"/api/v1/appointments/{cancelled}/cancel");
        var twice = await PostAsync($"/api/v1/appointments/{cancelled}/cancel");
        Assert.Equal("cancelled", (await once.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal(await once.Content.ReadAsStringAsync(), await twice.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Created, (await BookAsync(kept, client, location, Local(tuesday, 9))).StatusCode);

        var checkedIn = await (await PostAsync($"/api/v1/appointments/{kept}/check-in")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("checked_in", checkedIn.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await PostAsync($"/api/v1/appointments/{kept}/check-in")).StatusCode);
        await ProblemAssert.IsProblem(await PostAsync($"/api/v1/appointments/{kept}/cancel"), HttpStatusCode.Conflict, "already_checked_in");
        await ProblemAssert.IsProblem(await PostAsync($"/api/v1/appointments/{cancelled}/check-in"), HttpStatusCode.Conflict, "appointment_cancelled");
        await ProblemAssert.IsProblem(await PostAsync("/api/v1/appointments/apt_nothing/cancel"), HttpStatusCode.NotFound, "appointment_not_found");
    }

    [Fact]
    public async Task A_walk_in_is_checked_in_now_in_todays_book_even_over_capacity()
    {
        var location = await LocationAsync(capacity: 1);
        var client = await Clinic.RegisterAsync("Walt", "Walkin");
        var now = (await _admin.GetFromJsonAsync<JsonElement>("/api/v1/admin/clock")).GetProperty("now").GetDateTimeOffset();
        await _admin.PutAsJsonAsync($"/api/v1/external-appointments/emr/walk-{Guid.NewGuid():N}", new { clientId = client, locationId = location, serviceId = Clinic.NeurotoxinId, start = now });
        var id = NewId();

        var walkIn = await _admin.PostAsJsonAsync($"/api/v1/locations/{location}/walk-ins", new { appointmentId = id, clientId = client, serviceId = Clinic.FacialId });
        var again = await _admin.PostAsJsonAsync($"/api/v1/locations/{location}/walk-ins", new { appointmentId = id, clientId = client, serviceId = Clinic.FacialId });

        var body = await walkIn.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(walkIn.IsSuccessStatusCode, await walkIn.Content.ReadAsStringAsync());
        Assert.Equal(("checked_in", true), (body.GetProperty("status").GetString(), body.GetProperty("walkIn").GetBoolean()));
        // The practice clock runs on between reading it and the walk-in.
        Assert.InRange(body.GetProperty("start").GetDateTimeOffset(), now, now.AddMinutes(1));
        Assert.Equal(await walkIn.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
        var today = await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/locations/{location}/schedule");
        Assert.Equal(2, today.GetProperty("appointments").GetArrayLength());
        Assert.Contains(today.GetProperty("appointments").EnumerateArray(), v => v.GetProperty("appointment").GetProperty("id").GetString() == id);
    }

    [Fact]
    public async Task An_external_system_upserts_its_appointment_once_over_capacity_and_cancels_it_by_delete()
    {
        var location = await LocationAsync(capacity: 1);
        var client = await Clinic.RegisterAsync("Ext", "Pushed");
        var wednesday = NextDay(DayOfWeek.Wednesday);
        await BookAsync(NewId(), await Clinic.RegisterAsync("Full", "Slot"), location, Local(wednesday, 10));
        var path = $"/api/v1/external-appointments/acuity/A-{Guid.NewGuid():N}";
        var body = new { clientId = client, locationId = location, serviceId = Clinic.NeurotoxinId, start = Local(wednesday, 10) };

        var first = await PutAsync(path, body);
        var second = await PutAsync(path, body);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var pushed = await second.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal(("external", "acuity"), (pushed.GetProperty("source").GetProperty("channel").GetString(), pushed.GetProperty("source").GetProperty("system").GetString()));
        Assert.Equal(2, (await ScheduleAsync(location, wednesday)).GetProperty("appointments").GetArrayLength());
        var id = pushed.GetProperty("id").GetString()!;
        await ProblemAssert.IsProblem(await MoveAsync(id, Local(wednesday, 11)), HttpStatusCode.Conflict, "managed_externally");
        await ProblemAssert.IsProblem(await PostAsync($"/api/v1/appointments/{id}/cancel"), HttpStatusCode.Conflict, "managed_externally");

        var moved = await (await PutAsync(path, body with { start = Local(wednesday, 16) })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(Local(wednesday, 16), moved.GetProperty("start").GetDateTimeOffset());
        var deleted = await _admin.DeleteAsync(path);
        Assert.Equal("cancelled", (await deleted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await _admin.DeleteAsync(path)).StatusCode);
        Assert.Equal(2, (await ScheduleAsync(location, wednesday)).GetProperty("appointments").GetArrayLength());
        await ProblemAssert.IsProblem(await PutAsync("/api/v1/external-appointments/My%20EMR/1", body), HttpStatusCode.BadRequest, "invalid_external_system");
    }

    [Fact]
    public async Task The_schedule_carries_each_visits_checkout_preview_a_credit_for_a_member_the_price_for_a_client()
    {
        var location = await LocationAsync();
        var member = await Clinic.ActiveMemberAsync("Pia", "Premium");
        var client = await Clinic.RegisterAsync("Nico", "Nonmember");
        var friday = NextDay(DayOfWeek.Friday);
        await BookAsync(NewId(), member, location, Local(friday, 9));
        await BookAsync(NewId(), client, location, Local(friday, 9, 30));

        var visits = (await ScheduleAsync(location, friday)).GetProperty("appointments").EnumerateArray().ToList();

        Assert.Equal(("Pia Premium", "Botox"), (visits[0].GetProperty("clientName").GetString(), visits[0].GetProperty("serviceName").GetString()));
        var credit = visits[0].GetProperty("preview");
        Assert.Equal(0, credit.GetProperty("amountDue").GetProperty("amount").GetInt64());
        var use = Assert.Single(credit.GetProperty("lines")[0].GetProperty("credits").EnumerateArray());
        Assert.Equal((Clinic.NeurotoxinKey, 1L), (use.GetProperty("benefitKey").GetString(), use.GetProperty("quantity").GetInt64()));
        Assert.Equal("Nico Nonmember", visits[1].GetProperty("clientName").GetString());
        Assert.Equal(Clinic.NeurotoxinPrice, visits[1].GetProperty("preview").GetProperty("amountDue").GetProperty("amount").GetInt64());
    }

    [Fact]
    public async Task Providers_read_the_schedule_but_booking_is_desk_work_and_other_systems_push_with_a_desk_key()
    {
        var location = await LocationAsync();
        var client = await Clinic.RegisterAsync("Rob", "Roles");
        using var provider = await KeyClientAsync(StaffRole.Provider);
        using var emr = await KeyClientAsync(StaffRole.FrontDesk);
        var tuesday = NextDay(DayOfWeek.Tuesday);

        Assert.Equal(HttpStatusCode.OK, (await provider.GetAsync($"/api/v1/locations/{location}/schedule?date={tuesday:yyyy-MM-dd}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await provider.PostAsJsonAsync("/api/v1/appointments",
            new { appointmentId = NewId(), clientId = client, locationId = location, serviceId = Clinic.NeurotoxinId, start = Local(tuesday, 9) })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await provider.PutAsJsonAsync("/api/v1/external-appointments/emr/1",
            new { clientId = client, locationId = location, serviceId = Clinic.NeurotoxinId, start = Local(tuesday, 9) })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await emr.PutAsJsonAsync($"/api/v1/external-appointments/emr/{Guid.NewGuid():N}",
            new { clientId = client, locationId = location, serviceId = Clinic.NeurotoxinId, start = Local(tuesday, 9) })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.Silo.AnonymousClient().GetAsync($"/api/v1/locations/{location}/schedule")).StatusCode);
    }

    private async Task<HttpClient> KeyClientAsync(StaffRole role)
    {
        var key = $"test-{role}-{Guid.NewGuid():N}";
        await fixture.Silo.Grains.GetGrain<IApiKeyGrain>(IApiKeyGrain.Key).EnsureAsync(new ApiKeyRegistration(ApiKeyAuthentication.Hash(key), $"{role} key", role));
        var client = fixture.Silo.AnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>A location of the test's own at the default hours, or with <paramref name="capacity"/>.</summary>
    private async Task<string> LocationAsync(int? capacity = null)
    {
        var location = (await _admin.PostOkAsync("/api/v1/locations", new { name = $"Room {Guid.NewGuid():N}", timeZone = "America/New_York" })).GetProperty("id").GetString()!;
        if (capacity is { } places)
        {
            var days = Weekdays.Select(day => new { day, opens = "09:00", closes = "18:00" });
            (await PutAsync($"/api/v1/locations/{location}/hours", new { days, slotMinutes = 15, capacity = places })).EnsureSuccessStatusCode();
        }

        return location;
    }

    /// <summary>The next <paramref name="day"/> at least two days after the practice clock's today, so nothing booked is in the past.</summary>
    private static DateOnly NextDay(DayOfWeek day)
    {
        var date = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, NewYork).DateTime).AddDays(2);
        while (date.DayOfWeek != day)
        {
            date = date.AddDays(1);
        }

        return date;
    }

    private static DateTimeOffset Local(DateOnly date, int hour, int minute = 0)
    {
        var local = date.ToDateTime(new TimeOnly(hour, minute));
        return new DateTimeOffset(local, NewYork.GetUtcOffset(local));
    }

    private static string NewId() => $"apt_{Guid.NewGuid():N}";

    private Task<HttpResponseMessage> BookAsync(string appointmentId, string clientId, string locationId, DateTimeOffset start) =>
        _admin.PostAsJsonAsync("/api/v1/appointments", new { appointmentId, clientId, locationId, serviceId = Clinic.NeurotoxinId, start });

    private Task<HttpResponseMessage> MoveAsync(string id, DateTimeOffset start) => _admin.PostAsJsonAsync($"/api/v1/appointments/{id}/move", new { start });

    private Task<HttpResponseMessage> PostAsync(string path) => _admin.PostAsync(path, null);

    private Task<HttpResponseMessage> PutAsync(string path, object body) => _admin.PutAsJsonAsync(path, body);

    private async Task<JsonElement> ScheduleAsync(string location, DateOnly date) =>
        await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/locations/{location}/schedule?date={date:yyyy-MM-dd}");

    private async Task<JsonElement[]> AvailabilityAsync(string location, string service, DateOnly date) =>
        (await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/locations/{location}/availability?serviceId={service}&date={date:yyyy-MM-dd}")).GetProperty("slots").EnumerateArray().ToArray();

    private static string[] Clients(JsonElement schedule) =>
        schedule.GetProperty("appointments").EnumerateArray()
            .Where(v => v.GetProperty("appointment").GetProperty("status").GetString() != "cancelled")
            .Select(v => v.GetProperty("appointment").GetProperty("clientId").GetString()!).ToArray();
}
