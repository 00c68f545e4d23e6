using System.Globalization;
using MedSpa.Appointments;
using MedSpa.Members;
using MedSpa.Practice;
using MedSpa.Web.Access;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace MedSpa.Web.Appointments;

/// <summary>
/// A location's day at the desk: appointments and walk-ins in time order with each client's balances and the visit's
/// checkout preview; the desk books, moves, cancels and checks in here. The location last looked at is remembered.
/// </summary>
public sealed class TodayModel(IGrainFactory grains, TimeProvider clock) : PageModel
{
    private const string LocationCookie = "medspa.today.location";

    public IReadOnlyList<Location> Locations { get; private set; } = [];

    public IReadOnlyList<Service> Services { get; private set; } = [];

    public Location? Location { get; private set; }

    public DateOnly Date { get; private set; }

    public DaySchedule? Day { get; private set; }

    /// <summary>Each client on the day: their membership status and balances (null for a client with none).</summary>
    public Dictionary<string, (MembershipStatus Status, CreditsView? Credits)> Clients { get; } = new(StringComparer.Ordinal);

    /// <summary>Clients found by the book form's search.</summary>
    public IReadOnlyList<MemberSummary> Found { get; private set; } = [];

    public IReadOnlyList<AvailableSlot> Slots { get; private set; } = [];

    [BindProperty(SupportsGet = true, Name = "location")]
    public string? LocationId { get; set; }

    [BindProperty(SupportsGet = true, Name = "date")]
    public DateOnly? RequestedDate { get; set; }

    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Query { get; set; }

    [BindProperty(SupportsGet = true, Name = "serviceId")]
    public string? ServiceId { get; set; }

    [TempData]
    public string? Notice { get; set; }

    public string? Error { get; private set; }

    public bool Desk => StaffAccess.IsDesk(User);

    public async Task OnGetAsync() => await LoadAsync();

    /// <summary>A fresh id for each form that creates an appointment, so submitting it twice books once.</summary>
    public string NewAppointmentId() => Identifiers.New("apt", clock.GetUtcNow());

    public Task<IActionResult> OnPostBookAsync(string appointmentId, string clientId, string serviceId, DateTimeOffset start) =>
        ActAsync(() => Schedule.NewAppointment(grains, appointmentId)
            .BookAsync(new BookingRequest(appointmentId, clientId, LocationId ?? "", serviceId, start), AppointmentSource.Staff), "Booked.");

    public Task<IActionResult> OnPostWalkInAsync(string appointmentId, string clientId, string serviceId) =>
        ActAsync(() => Schedule.NewAppointment(grains, appointmentId).WalkInAsync(LocationId ?? "", new WalkInRequest(appointmentId, clientId, serviceId)), "Walk-in checked in.");

    public Task<IActionResult> OnPostMoveAsync(string appointmentId, TimeOnly time) => ActAsync(async () =>
    {
        var location = await Schedule.LocationAsync(grains, LocationId ?? "");
        var start = Schedule.Instant(location, RequestedDate ?? Schedule.Today(location, clock), time);
        return await Schedule.Appointment(grains, appointmentId).MoveAsync(new MoveRequest(start));
    }, "Moved.");

    public Task<IActionResult> OnPostCancelAsync(string appointmentId) =>
        ActAsync(() => Schedule.Appointment(grains, appointmentId).CancelAsync(BookingChannel.Staff), "Cancelled.");

    public Task<IActionResult> OnPostCheckInAsync(string appointmentId) =>
        ActAsync(() => Schedule.Appointment(grains, appointmentId).CheckInAsync(), "Checked in.");

    public string LocalTime(DateTimeOffset instant) =>
        Schedule.LocalTime(Location!, instant).ToString("HH:mm", CultureInfo.InvariantCulture);

    public string Describe(CheckoutQuote quote) => VisitPreview.Describe(quote, Services);

    public string ServiceName(string serviceId) => Services.FirstOrDefault(s => s.Id == serviceId)?.Name ?? serviceId;

    /// <summary>Changing the schedule is the desk's; a refusal is shown on the page, and nothing changed.</summary>
    private async Task<IActionResult> ActAsync(Func<Task<Appointment>> act, string done)
    {
        if (!Desk)
        {
            return Forbid();
        }

        try
        {
            await act();
        }
        catch (CommandRejectedException refusal)
        {
            Error = refusal.Message;
            await LoadAsync();
            Response.StatusCode = MedSpa.Web.Problems.Problems.StatusFor(refusal.Kind);
            return Page();
        }

        Notice = done;
        return RedirectToPage(new { location = LocationId, date = RequestedDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) });
    }

    private async Task LoadAsync()
    {
        var catalogue = await grains.GetGrain<IPracticeGrain>(IPracticeGrain.Key).GetCatalogueAsync();
        Locations = catalogue.Locations.Where(l => StaffAccess.MaySee(User, l.Id)).ToList();
        Services = catalogue.Services;
        var wanted = LocationId ?? Request.Cookies[LocationCookie];
        Location = Locations.FirstOrDefault(l => l.Id == wanted) ?? (Locations.Count > 0 ? Locations[0] : null);
        if (Location is null)
        {
            return;
        }

        LocationId = Location.Id;
        Response.Cookies.Append(LocationCookie, Location.Id, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, MaxAge = TimeSpan.FromDays(365) });
        Date = RequestedDate ?? Schedule.Today(Location, clock);
        Day = await Schedule.Day(grains, Location.Id, Date).GetScheduleAsync();
        foreach (var clientId in Day.Appointments.Select(v => v.Appointment.ClientId).Distinct())
        {
            var member = grains.GetGrain<IMemberGrain>(clientId);
            var membership = await member.GetMembershipAsync();
            Clients[clientId] = (membership.Status, await member.GetCreditsAsync());
        }

        if (Desk && !string.IsNullOrWhiteSpace(Query))
        {
            Found = await grains.GetGrain<IMemberDirectoryGrain>(IMemberDirectoryGrain.Key).SearchAsync(Query, 20);
        }

        if (Desk && Services.Any(s => s.Id == ServiceId))
        {
            Slots = await Schedule.Day(grains, Location.Id, Date).GetAvailabilityAsync(ServiceId!);
        }
    }
}
