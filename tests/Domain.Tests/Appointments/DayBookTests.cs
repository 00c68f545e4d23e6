using MedSpa.Appointments;
using MedSpa.Domain.Appointments;
using MedSpa.Practice;

using static MedSpa.Domain.Tests.Appointments.AppointmentExamples;

namespace MedSpa.Domain.Tests.Appointments;

public sealed class DayBookTests
{
    [Fact]
    public void A_booking_inside_hours_on_a_slot_ends_after_the_service_and_falls_on_the_local_date()
    {
        var booking = Booking("apt_1", At(10));

        var (book, placed) = DayBook.Empty.Place(booking, Admission.Booking, Calendar(NewYork), Now);

        Assert.Equal(At(10, 30), placed.End);
        Assert.Equal(Monday, placed.Date);
        Assert.Equal(AppointmentStatus.Booked, placed.Status);
        Assert.Same(placed, Assert.Single(book.Appointments));
    }

    [Theory]
    [InlineData(8, 45)]
    [InlineData(17, 45)]
    [InlineData(10, 5)]
    public void A_booking_outside_hours_or_off_the_slots_is_refused(int hour, int minute) =>
        Assert.Equal("outside_opening_hours", Refusal(() => DayBook.Empty.Place(Booking("apt_1", At(hour, minute)))));

    [Fact]
    public void A_booking_in_the_past_is_refused() =>
        Assert.Equal("in_the_past", Refusal(() =>
            DayBook.Empty.Place(Booking("apt_1", At(10)), Admission.Booking, Calendar(NewYork), At(10, 1))));

    [Fact]
    public void No_more_than_capacity_overlap_and_the_third_place_opens_when_one_ends()
    {
        // A 10:00–10:30 and B 10:15–10:45: at 10:15 both places are taken.
        var book = DayBook.Empty.Place(Booking("apt_a", At(10))).Place(Booking("apt_b", At(10, 15)));

        Assert.Equal("slot_full", Refusal(() => book.Place(Booking("apt_c", At(10)))));
        Assert.Equal("slot_full", Refusal(() => book.Place(Booking("apt_c", At(10, 15)))));
        // 09:45–10:15 meets only A (B starts as it ends), 10:30–11:00 only B.
        Assert.Equal(3, book.Place(Booking("apt_c", At(9, 45))).Appointments.Count);
        Assert.Equal(3, book.Place(Booking("apt_c", At(10, 30))).Appointments.Count);
    }

    [Fact]
    public void A_longer_service_needs_a_place_for_its_whole_length()
    {
        var hour = Botox with { Id = "svc_long", DurationMinutes = 60 };
        var book = DayBook.Empty.Place(Booking("apt_a", At(10, 30))).Place(Booking("apt_b", At(10, 30)));

        Assert.Equal("slot_full", Refusal(() => book.Place(Booking("apt_c", At(10), hour))));
        Assert.Equal(3, book.Place(Booking("apt_c", At(10), Botox)).Appointments.Count);
    }

    [Fact]
    public void A_cancelled_appointment_frees_its_place()
    {
        var full = DayBook.Empty.Place(Booking("apt_a", At(10))).Place(Booking("apt_b", At(10)));

        var (book, _) = full.Cancel("apt_a", Now);

        Assert.Equal(3, book.Place(Booking("apt_c", At(10))).Appointments.Count);
    }

    [Fact]
    public void Placing_the_same_booking_again_changes_nothing_even_once_full()
    {
        var full = DayBook.Empty.Place(Booking("apt_a", At(10))).Place(Booking("apt_b", At(10)));

        var (again, placed) = full.Place(Booking("apt_b", At(10)), Admission.Booking, Calendar(NewYork), Now.AddMinutes(5));

        Assert.Same(full, again);
        Assert.Equal(Now, placed.BookedAt);
    }

    [Fact]
    public void A_move_within_the_day_does_not_count_the_appointment_against_itself()
    {
        var full = DayBook.Empty.Place(Booking("apt_a", At(10))).Place(Booking("apt_b", At(10)));

        var moved = full.Place(Visits.Move(full.Find("apt_a")!, NewYork, Botox, At(10, 15)));

        Assert.Equal(At(10, 15), moved.Find("apt_a")!.Start);
        Assert.Equal(2, moved.Appointments.Count);
        Assert.Equal("slot_full", Refusal(() => moved.Place(Visits.Move(moved.Find("apt_b")!, NewYork, Botox, At(10, 15)) with { Id = "apt_c" })));
    }

    [Fact]
    public void Cancel_and_check_in_are_idempotent_and_exclude_each_other()
    {
        var book = DayBook.Empty.Place(Booking("apt_a", At(10))).Place(Booking("apt_b", At(11)));

        var (cancelled, a) = book.Cancel("apt_a", Now);
        Assert.Equal((AppointmentStatus.Cancelled, Now), (a.Status, a.CancelledAt));
        Assert.Same(cancelled, cancelled.Cancel("apt_a", Now.AddHours(1)).Book);
        Assert.Equal("appointment_cancelled", Refusal(() => cancelled.CheckIn("apt_a", Now)));

        var (checkedIn, b) = cancelled.CheckIn("apt_b", At(10, 55));
        Assert.Equal((AppointmentStatus.CheckedIn, At(10, 55)), (b.Status, b.CheckedInAt));
        Assert.Same(checkedIn, checkedIn.CheckIn("apt_b", At(11)).Book);
        Assert.Equal("already_checked_in", Refusal(() => checkedIn.Cancel("apt_b", Now)));
        Assert.Equal("appointment_not_found", Refusal(() => checkedIn.Cancel("apt_zzz", Now)));
    }

    [Fact]
    public void A_walk_in_starts_now_checked_in_and_may_exceed_capacity()
    {
        var full = DayBook.Empty.Place(Booking("apt_a", At(10))).Place(Booking("apt_b", At(10)));
        var walkIn = Visits.WalkIn("apt_w", "mem_zoe", NewYork, Botox, At(10, 7));

        var (book, placed) = full.Place(walkIn, Admission.WalkIn, Calendar(NewYork), At(10, 7));

        Assert.Equal((At(10, 7), AppointmentStatus.CheckedIn, true), (placed.Start, placed.Status, placed.WalkIn));
        Assert.Equal(3, book.Appointments.Count);
    }

    [Fact]
    public void Another_systems_appointment_is_taken_as_sent_over_capacity_and_out_of_hours()
    {
        var full = DayBook.Empty.Place(Booking("apt_a", At(10))).Place(Booking("apt_b", At(10)));
        var pushed = Visits.External(null, "apt-ext:emr:1", "emr", "1", "mem_zoe", NewYork, Botox, At(10), Now);
        var late = Visits.External(null, "apt-ext:emr:2", "emr", "2", "mem_zoe", NewYork, Botox, At(19, 5), Now);

        var book = full.Place(pushed, Admission.External).Place(late, Admission.External);

        Assert.Equal(4, book.Appointments.Count);
        Assert.Equal(new AppointmentSource(BookingChannel.External, "emr", "1"), book.Find("apt-ext:emr:1")!.Source);
    }

    [Fact]
    public void A_pushed_appointment_pushed_again_keeps_its_check_in_and_one_cancelled_is_booked_again()
    {
        var pushed = Visits.External(null, "apt-ext:emr:1", "emr", "1", "mem_zoe", NewYork, Botox, At(10), Now);
        var checkedIn = pushed with { Status = AppointmentStatus.CheckedIn, CheckedInAt = At(9, 58) };
        var cancelled = pushed with { Status = AppointmentStatus.Cancelled, CancelledAt = Now };

        Assert.Equal(checkedIn, Visits.External(checkedIn, "apt-ext:emr:1", "emr", "1", "mem_zoe", NewYork, Botox, At(10), Now.AddHours(1)));
        Assert.Equal(AppointmentStatus.Booked, Visits.External(cancelled, "apt-ext:emr:1", "emr", "1", "mem_zoe", NewYork, Botox, At(10), Now).Status);
    }

    [Fact]
    public void Only_a_booked_appointment_moves()
    {
        var booked = Booking("apt_a", At(10));

        Assert.Equal("appointment_cancelled", Refusal(() => Visits.Move(booked with { Status = AppointmentStatus.Cancelled }, NewYork, Botox, At(11))));
        Assert.Equal("already_checked_in", Refusal(() => Visits.Move(booked with { Status = AppointmentStatus.CheckedIn }, NewYork, Botox, At(11))));
    }

    [Fact]
    public void Availability_lists_the_free_starts_with_the_places_left_and_none_in_the_past()
    {
        var book = DayBook.Empty.Place(Booking("apt_a", At(10))).Place(Booking("apt_b", At(10)));

        var slots = book.Availability(Monday, TimeSpan.FromMinutes(30), Calendar(NewYork), At(9, 20));

        Assert.Equal(At(9, 30), slots[0].Start);
        Assert.Equal(2, slots[0].Remaining);
        Assert.DoesNotContain(slots, s => s.Start is var t && t > At(9, 30) && t < At(10, 30));
        Assert.Equal(At(10, 30), slots[1].Start);
        Assert.Equal(At(17, 30), slots[^1].Start);
    }

    [Fact]
    public void External_ids_and_systems_must_be_plain()
    {
        Assert.Equal("invalid_external_system", Refusal(() => Visits.RequireExternal("My EMR", "1")));
        Assert.Equal("invalid_external_id", Refusal(() => Visits.RequireExternal("emr", "a/b")));
        Visits.RequireExternal("my-emr", "A-12.3_x");
    }

    [Theory]
    [InlineData("apt_01hx", true)]
    [InlineData("apt_", false)]
    [InlineData("0123456789abcdef", false)]
    [InlineData("apt_a-b", false)]
    public void A_callers_appointment_id_is_prefixed(string id, bool wellFormed) =>
        Assert.Equal(wellFormed, IAppointmentGrain.IsWellFormedId(id));
}

public sealed class OpeningHoursRulesTests
{
    private static OpeningHours Hours(int slot = 15, int capacity = 2, params OpeningDay[] days) => new(days, slot, capacity);

    private static OpeningDay Day(DayOfWeek day, int opens, int closes) => new(day, new TimeOnly(opens, 0), new TimeOnly(closes, 0));

    [Fact]
    public void Days_come_back_monday_first()
    {
        var hours = OpeningHoursRules.Require(Hours(30, 3, Day(DayOfWeek.Sunday, 10, 14), Day(DayOfWeek.Monday, 9, 17)));

        Assert.Equal(new[] { DayOfWeek.Monday, DayOfWeek.Sunday }, hours.Days.Select(d => d.Day));
        Assert.Equal((30, 3), (hours.SlotMinutes, hours.Capacity));
    }

    [Fact]
    public void A_location_closes_after_it_opens_and_each_weekday_appears_once()
    {
        Assert.Equal("invalid_opening_hours", Refusal(() => OpeningHoursRules.Require(Hours(days: Day(DayOfWeek.Monday, 18, 9)))));
        Assert.Equal("invalid_opening_hours", Refusal(() => OpeningHoursRules.Require(Hours(days: [Day(DayOfWeek.Monday, 9, 12), Day(DayOfWeek.Monday, 13, 17)]))));
        Assert.Equal("invalid_opening_hours", Refusal(() => OpeningHoursRules.Require(Hours(days: Day((DayOfWeek)9, 9, 12)))));
    }

    [Theory]
    [InlineData(7, 2, "invalid_slot_length")]
    [InlineData(0, 2, "invalid_slot_length")]
    [InlineData(15, 0, "invalid_capacity")]
    [InlineData(15, 101, "invalid_capacity")]
    public void Slots_divide_the_day_and_capacity_is_sensible(int slot, int capacity, string code) =>
        Assert.Equal(code, Refusal(() => OpeningHoursRules.Require(Hours(slot, capacity, Day(DayOfWeek.Monday, 9, 17)))));
}
