using System.Globalization;
using MedSpa.Appointments;
using MedSpa.Members;
using MedSpa.Practice;
using MedSpa.Web.Appointments;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace MedSpa.Web.Portal;

/// <summary>
/// The member books a visit: location, service, date, a free time; before confirming, the checkout preview says
/// whether it uses a credit or what it will cost. Below, their upcoming appointments, each cancellable. The member is
/// always the signed-in one: no form field can name another, and another's appointment is "not found".
/// </summary>
public sealed class BookModel(IGrainFactory grains, TimeProvider clock) : PageModel
{
    public IReadOnlyList<Location> Locations { get; private set; } = [];

    public IReadOnlyList<Service> Services { get; private set; } = [];

    public Location? Location { get; private set; }

    public Service? Service { get; private set; }

    public DateOnly Date { get; private set; }

    public IReadOnlyList<AvailableSlot> Slots { get; private set; } = [];

    /// <summary>The chosen time's preview, shown before the member confirms.</summary>
    public CheckoutQuote? Preview { get; private set; }

    public IReadOnlyList<Appointment> Upcoming { get; private set; } = [];

    [BindProperty(SupportsGet = true, Name = "location")]
    public string? LocationId { get; set; }

    [BindProperty(SupportsGet = true, Name = "serviceId")]
    public string? ServiceId { get; set; }

    [BindProperty(SupportsGet = true, Name = "date")]
    public DateOnly? RequestedDate { get; set; }

    [BindProperty(SupportsGet = true, Name = "start")]
    public DateTimeOffset? Start { get; set; }

    [TempData]
    public string? Notice { get; set; }

    public string? Error { get; private set; }

    private string MemberId => User.MemberId()!;

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostBookAsync(string appointmentId)
    {
        await LoadCatalogueAsync();
        try
        {
            var booked = await Schedule.NewAppointment(grains, appointmentId)
                .BookAsync(new BookingRequest(appointmentId, MemberId, LocationId ?? "", ServiceId ?? "", Start ?? default), AppointmentSource.Portal);
            Notice = $"Booked: {ServiceName(booked.ServiceId)} on {LocalDateTime(booked.LocationId, booked.Start)}.";
            return RedirectToPage();
        }
        catch (CommandRejectedException refusal)
        {
            return await RefusedAsync(refusal);
        }
    }

    public async Task<IActionResult> OnPostCancelAsync(string appointmentId)
    {
        await LoadCatalogueAsync();
        try
        {
            var appointment = Schedule.Appointment(grains, appointmentId);
            // Someone else's appointment is answered exactly as one that does not exist.
            if ((await appointment.GetAsync()).ClientId != MemberId)
            {
                throw new CommandRejectedException(RejectionKind.NotFound, "appointment_not_found", "There is no appointment with this id.");
            }

            var cancelled = await appointment.CancelAsync(BookingChannel.Portal);
            Notice = $"Cancelled: {ServiceName(cancelled.ServiceId)} on {LocalDateTime(cancelled.LocationId, cancelled.Start)}.";
            return RedirectToPage();
        }
        catch (CommandRejectedException refusal)
        {
            return await RefusedAsync(refusal);
        }
    }

    public string NewAppointmentId() => Identifiers.New("apt", clock.GetUtcNow());

    public string LocalTime(DateTimeOffset instant) => Schedule.LocalTime(Location!, instant).ToString("HH:mm", CultureInfo.InvariantCulture);

    public string LocalDateTime(string locationId, DateTimeOffset instant) =>
        Locations.FirstOrDefault(l => l.Id == locationId) is { } location
            ? Schedule.LocalTime(location, instant).ToString("ddd d MMM, HH:mm", CultureInfo.InvariantCulture) + $" at {location.Name}"
            : instant.ToString("u", CultureInfo.InvariantCulture);

    public string ServiceName(string serviceId) => Services.FirstOrDefault(s => s.Id == serviceId)?.Name ?? serviceId;

    public string Describe(CheckoutQuote quote) => VisitPreview.Describe(quote, Services);

    private async Task<IActionResult> RefusedAsync(CommandRejectedException refusal)
    {
        Error = refusal.Message;
        Start = null;
        await LoadAsync();
        Response.StatusCode = Problems.Problems.StatusFor(refusal.Kind);
        return Page();
    }

    private async Task LoadCatalogueAsync()
    {
        var catalogue = await grains.GetGrain<IPracticeGrain>(IPracticeGrain.Key).GetCatalogueAsync();
        Locations = catalogue.Locations;
        Services = catalogue.Services;
    }

    private async Task LoadAsync()
    {
        await LoadCatalogueAsync();
        var member = grains.GetGrain<IMemberGrain>(MemberId);
        var home = (await member.GetProfileAsync()).HomeLocationId;
        Location = Locations.FirstOrDefault(l => l.Id == LocationId) ?? Locations.FirstOrDefault(l => l.Id == home) ?? (Locations.Count > 0 ? Locations[0] : null);
        Service = Services.FirstOrDefault(s => s.Id == ServiceId);
        var now = clock.GetUtcNow();
        Upcoming = (await grains.GetGrain<IClientAppointmentsGrain>(MemberId).GetAsync())
            .Where(a => a.End >= now && a.Status != AppointmentStatus.Cancelled)
            .ToList();
        if (Location is null)
        {
            return;
        }

        var today = Schedule.Today(Location, clock);
        Date = RequestedDate is { } wanted && wanted >= today ? wanted : today;
        if (Service is null)
        {
            return;
        }

        Slots = await Schedule.Day(grains, Location.Id, Date).GetAvailabilityAsync(Service.Id);
        if (Start is { } start && Slots.Any(s => s.Start == start))
        {
            Preview = await member.PreviewCheckoutAsync(new Basket(new[] { new BasketItem(Service.Id) }));
        }
    }
}
