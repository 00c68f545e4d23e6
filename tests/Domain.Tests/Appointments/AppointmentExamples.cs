using MedSpa.Appointments;
using MedSpa.Domain.Appointments;
using MedSpa.Practice;

namespace MedSpa.Domain.Tests.Appointments;

/// <summary>A New York clinic at the default hours (Mon–Sat 09:00–18:00, 15-minute slots, two at a time) and a 30-minute service.</summary>
internal static class AppointmentExamples
{
    public static readonly Location NewYork = new("loc_ny", "Downtown", "America/New_York", null) { Hours = OpeningHours.Default };

    public static readonly Location LosAngeles = new("loc_la", "Bayside", "America/Los_Angeles", null) { Hours = OpeningHours.Default };

    public static readonly Service Botox = new("svc_botox", "Botox", "neurotoxin", new Money(30_000, "usd"), 30);

    /// <summary>Monday 1 March 2027.</summary>
    public static readonly DateOnly Monday = new(2027, 3, 1);

    /// <summary>Early that Monday, before the clinic opens.</summary>
    public static readonly DateTimeOffset Now = new(2027, 3, 1, 6, 0, 0, TimeSpan.Zero);

    public static LocationCalendar Calendar(Location location) => LocationCalendar.Of(location);

    /// <summary>The instant of a New York wall-clock time on <see cref="Monday"/> (EST, UTC−5).</summary>
    public static DateTimeOffset At(int hour, int minute = 0) => new(2027, 3, 1, hour, minute, 0, TimeSpan.FromHours(-5));

    public static Appointment Booking(string id, DateTimeOffset start, Service? service = null, string client = "mem_ava") =>
        Visits.Book(id, client, NewYork, service ?? Botox, start, AppointmentSource.Staff, Now);

    public static DayBook Place(this DayBook book, Appointment appointment, Admission admission = Admission.Booking) =>
        book.Place(appointment, admission, Calendar(NewYork), Now).Book;

    public static string Refusal(Action action) => Assert.Throws<CommandRejectedException>(action).Code;
}
