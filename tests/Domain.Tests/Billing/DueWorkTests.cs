using System.Globalization;
using MedSpa.Domain.Billing;
using MedSpa.Members;

namespace MedSpa.Domain.Tests.Billing;

public sealed class DueWorkTests
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
    private static readonly DunningPolicy Policy = DunningPolicy.Default;

    private static readonly BillingState Active = new(MembershipStatus.Active, 15, NewYork, Day("2026-01-15"));

    [Fact]
    public void Before_09_00_on_the_billing_date_nothing_is_due_and_the_charge_is_the_next_wake_up()
    {
        var work = DueWork.At(Active, Instant("2026-01-15T13:59:59Z"), Policy);

        Assert.Empty(work.Items);
        Assert.Equal(Instant("2026-01-15T14:00:00Z"), work.NextDueAt);
    }

    [Fact]
    public void At_09_00_the_period_is_charged_and_a_duplicate_tick_finds_nothing_left()
    {
        var now = Instant("2026-01-15T14:00:00Z");

        var work = DueWork.At(Active, now, Policy);
        Assert.Equal([new DueItem.ChargePeriod(Day("2026-01-15"), now)], work.Items);

        var paid = Active with { NextPeriodStart = Day("2026-02-15") };
        var again = DueWork.At(paid, now, Policy);
        Assert.Empty(again.Items);
        Assert.Equal(Instant("2026-02-15T14:00:00Z"), again.NextDueAt);
    }

    [Fact]
    public void A_tick_after_a_long_gap_catches_up_every_missed_billing_date_once_in_order()
    {
        var work = DueWork.At(Active, Instant("2026-04-20T12:00:00Z"), Policy);

        Assert.Equal(
            [
                new DueItem.ChargePeriod(Day("2026-01-15"), Instant("2026-01-15T14:00:00Z")),
                new DueItem.ChargePeriod(Day("2026-02-15"), Instant("2026-02-15T14:00:00Z")),
                // Daylight saving began on 8 March: 09:00 is now 13:00 UTC.
                new DueItem.ChargePeriod(Day("2026-03-15"), Instant("2026-03-15T13:00:00Z")),
                new DueItem.ChargePeriod(Day("2026-04-15"), Instant("2026-04-15T13:00:00Z")),
            ],
            work.Items);
        Assert.Equal(Instant("2026-05-15T13:00:00Z"), work.NextDueAt);
    }

    [Fact]
    public void Anchored_on_the_31st_a_gap_across_february_charges_on_the_months_last_days()
    {
        var state = new BillingState(MembershipStatus.Active, 31, NewYork, Day("2028-01-31"));

        var work = DueWork.At(state, Instant("2028-04-01T00:00:00Z"), Policy);

        Assert.Equal(["2028-01-31", "2028-02-29", "2028-03-31"], work.Items.Cast<DueItem.ChargePeriod>().Select(c => c.PeriodStart.ToString("O", CultureInfo.InvariantCulture)));
        Assert.Equal(Instant("2028-04-30T13:00:00Z"), work.NextDueAt);
    }

    [Fact]
    public void The_whole_dunning_path_one_tick_at_a_time()
    {
        var firstFailure = Instant("2026-01-15T14:00:00Z");
        var state = AfterFailure(Active, firstFailure, firstFailure, DeclineKind.Soft);
        Assert.Equal(MembershipStatus.PastDue, state.Status);

        Assert.Empty(DueWork.At(state, firstFailure.AddHours(1), Policy).Items);
        Assert.Equal(firstFailure.AddHours(24), DueWork.At(state, firstFailure.AddHours(1), Policy).NextDueAt);

        var retry = Assert.Single(DueWork.At(state, firstFailure.AddHours(24), Policy).Items);
        Assert.Equal(new DueItem.RetryCharge(Day("2026-01-15"), 2, firstFailure.AddHours(24)), retry);
        state = AfterFailure(state, firstFailure, retry.DueAt, DeclineKind.Soft);
        Assert.Empty(DueWork.At(state, firstFailure.AddHours(24), Policy).Items);

        retry = Assert.Single(DueWork.At(state, firstFailure.AddHours(72), Policy).Items);
        Assert.Equal(new DueItem.RetryCharge(Day("2026-01-15"), 3, firstFailure.AddHours(72)), retry);
        state = AfterFailure(state, firstFailure, retry.DueAt, DeclineKind.Soft);
        Assert.Equal(MembershipStatus.Suspended, state.Status);

        var suspendedWork = DueWork.At(state, firstFailure.AddDays(10), Policy);
        Assert.Empty(suspendedWork.Items);
        Assert.Equal(firstFailure.AddHours(72).AddDays(30), suspendedWork.NextDueAt);

        Assert.Equal(
            [new DueItem.CancelForNonPayment("payment_failed", firstFailure.AddHours(72).AddDays(30))],
            DueWork.At(state, firstFailure.AddDays(60), Policy).Items);
    }

    [Fact]
    public void A_long_gap_while_past_due_runs_only_the_next_retry_because_what_follows_depends_on_its_outcome()
    {
        var firstFailure = Instant("2026-01-15T14:00:00Z");
        var state = AfterFailure(Active, firstFailure, firstFailure, DeclineKind.Soft);

        var work = DueWork.At(state, firstFailure.AddDays(40), Policy);

        Assert.Equal([new DueItem.RetryCharge(Day("2026-01-15"), 2, firstFailure.AddHours(24))], work.Items);
        Assert.Null(work.NextDueAt);
    }

    [Fact]
    public void After_a_hard_decline_nothing_is_retried_and_the_membership_is_suspended_when_the_window_closes()
    {
        var firstFailure = Instant("2026-01-15T14:00:00Z");
        var state = AfterFailure(Active, firstFailure, firstFailure, DeclineKind.Hard);

        var waiting = DueWork.At(state, firstFailure.AddHours(48), Policy);
        Assert.Empty(waiting.Items);
        Assert.Equal(firstFailure.AddHours(72), waiting.NextDueAt);

        Assert.Equal([new DueItem.SuspendForNonPayment(firstFailure.AddHours(72))], DueWork.At(state, firstFailure.AddHours(72), Policy).Items);
    }

    [Theory]
    [InlineData(MembershipStatus.None)]
    [InlineData(MembershipStatus.Paused)]
    [InlineData(MembershipStatus.Cancelled)]
    public void Members_not_in_a_billing_cycle_have_nothing_due_and_no_wake_up(MembershipStatus status)
    {
        var work = DueWork.At(Active with { Status = status }, Instant("2027-01-01T00:00:00Z"), Policy);

        Assert.Empty(work.Items);
        Assert.Null(work.NextDueAt);
    }

    [Fact]
    public void A_pending_enrolment_never_charged_is_chased_from_09_00_the_morning_after_it_was_signed()
    {
        var pending = Active with { Status = MembershipStatus.PendingPayment };

        var sameDay = DueWork.At(pending, Instant("2026-01-15T20:00:00Z"), Policy);
        Assert.Empty(sameDay.Items);
        Assert.Equal(Instant("2026-01-16T14:00:00Z"), sameDay.NextDueAt);

        // However late the tick, the chase starts once: what follows depends on its outcome.
        Assert.Equal([new DueItem.ChargePeriod(Day("2026-01-15"), Instant("2026-01-16T14:00:00Z"))], DueWork.At(pending, Instant("2026-03-01T00:00:00Z"), Policy).Items);
    }

    [Fact]
    public void A_chased_pending_enrolment_is_retried_at_the_offsets_then_lapses_after_the_practice_days_from_the_first_failure()
    {
        var firstFailure = Instant("2026-01-15T16:00:00Z");
        var chased = Active with { Status = MembershipStatus.PendingPayment, FailedAttempts = 1, ChasedSince = firstFailure, NextRetryAt = firstFailure.AddHours(24) };

        Assert.Equal([new DueItem.RetryCharge(Day("2026-01-15"), 2, firstFailure.AddHours(24))], DueWork.At(chased, firstFailure.AddHours(24), Policy).Items);
        Assert.Equal(firstFailure.AddHours(24), DueWork.At(chased, firstFailure.AddHours(1), Policy).NextDueAt);

        var waiting = chased with { FailedAttempts = 3, NextRetryAt = null };
        Assert.Empty(DueWork.At(waiting, firstFailure.AddDays(6), Policy).Items);
        Assert.Equal(firstFailure.AddDays(7), DueWork.At(waiting, firstFailure.AddDays(6), Policy).NextDueAt);
        Assert.Equal([new DueItem.LapseUnpaidEnrolment(firstFailure.AddDays(7))], DueWork.At(waiting, firstFailure.AddDays(7), Policy).Items);

        // A retry the lapse has overtaken is not run: the enrolment has ended by then.
        var shortLapse = DunningPolicy.Create([TimeSpan.FromHours(24)], TimeSpan.FromDays(30), TimeSpan.FromDays(1));
        Assert.Equal([new DueItem.LapseUnpaidEnrolment(firstFailure.AddDays(1))], DueWork.At(chased, firstFailure.AddDays(2), shortLapse).Items);
    }

    [Fact]
    public void A_cancelled_member_wakes_only_for_the_automatic_reactivation_offer_while_the_lapse_can_still_be_won_back()
    {
        var offerAt = Instant("2026-03-15T13:00:00Z");
        var cancelled = Active with { Status = MembershipStatus.Cancelled, ReactivationOfferAt = offerAt, ReactivationOfferUntil = Day("2026-05-30") };

        Assert.Equal(offerAt, DueWork.At(cancelled, Instant("2026-03-01T00:00:00Z"), Policy).NextDueAt);
        Assert.Equal([new DueItem.SendReactivationOffer(offerAt)], DueWork.At(cancelled, Instant("2026-05-31T03:59:59Z"), Policy).Items);
        var tooLate = DueWork.At(cancelled, Instant("2026-05-31T04:00:00Z"), Policy);
        Assert.Empty(tooLate.Items);
        Assert.Null(tooLate.NextDueAt);
        Assert.Null(DueWork.At(cancelled with { ReactivationOfferAt = null }, Instant("2026-03-01T00:00:00Z"), Policy).NextDueAt);
    }

    [Fact]
    public void A_confirmed_cancellation_stops_charges_from_its_effective_date_and_ends_the_membership_at_local_midnight()
    {
        var state = Active with { NextPeriodStart = Day("2026-02-15"), EndsOn = Day("2026-03-15") };

        var beforeEnd = DueWork.At(state, Instant("2026-03-01T00:00:00Z"), Policy);
        Assert.Equal([new DueItem.ChargePeriod(Day("2026-02-15"), Instant("2026-02-15T14:00:00Z"))], beforeEnd.Items);
        Assert.Equal(Instant("2026-03-15T04:00:00Z"), beforeEnd.NextDueAt);

        var paidToEnd = state with { NextPeriodStart = Day("2026-03-15") };
        Assert.Equal(
            [new DueItem.EndMembership(Day("2026-03-15"), Instant("2026-03-15T04:00:00Z"))],
            DueWork.At(paidToEnd, Instant("2026-04-20T00:00:00Z"), Policy).Items);
    }

    [Fact]
    public void A_membership_that_has_ended_is_not_chased_for_a_retry_due_after_the_end()
    {
        var state = new BillingState(
            MembershipStatus.PastDue, 15, NewYork, Day("2026-03-15"), 1, NextRetryAt: Instant("2026-03-16T13:00:00Z"), EndsOn: Day("2026-03-16"));

        var work = DueWork.At(state, Instant("2026-03-20T00:00:00Z"), Policy);

        Assert.Equal([new DueItem.EndMembership(Day("2026-03-16"), Instant("2026-03-16T04:00:00Z"))], work.Items);
        Assert.Null(work.NextDueAt);
    }

    [Fact]
    public void Courtesy_notices_are_due_in_time_order_with_the_charges_and_the_next_wake_is_the_earliest_instant_of_all()
    {
        // Card expiring in January: told from 1 Jan 09:00. Facial credit lapsing at the 15 Jan charge: told from 8 Jan;
        // an add-on lapsing on 27 Jan: told from 20 Jan.
        var card = new NoticeWindow(Instant("2026-01-01T14:00:00Z"), Instant("2026-02-01T05:00:00Z"));
        var facial = new NoticeWindow(Instant("2026-01-08T14:00:00Z"), Instant("2026-01-15T14:00:00Z"));
        var addOn = new NoticeWindow(Instant("2026-01-20T14:00:00Z"), Instant("2026-01-27T14:00:00Z"));
        var state = Active with { CreditsExpiring = [addOn, facial], CardExpiring = card };

        var early = DueWork.At(state, Instant("2026-01-05T00:00:00Z"), Policy);
        Assert.Equal([new DueItem.CardExpiringNotice(card.From)], early.Items);
        Assert.Equal(facial.From, early.NextDueAt);

        var late = DueWork.At(state, Instant("2026-01-16T00:00:00Z"), Policy);
        Assert.Equal(
            [new DueItem.CardExpiringNotice(card.From), new DueItem.ChargePeriod(Day("2026-01-15"), Instant("2026-01-15T14:00:00Z"))],
            late.Items);
        // The facial credit has lapsed: too late to tell. The add-on is next, before the February charge.
        Assert.Equal(addOn.From, late.NextDueAt);

        // Lots whose windows are both open are one notice.
        var both = DueWork.At(state with { CreditsExpiring = [facial, addOn with { From = facial.From }] }, Instant("2026-01-10T00:00:00Z"), Policy);
        Assert.Single(both.Items, i => i is DueItem.CreditsExpiringNotice);
    }

    [Fact]
    public void A_paused_or_suspended_members_card_notice_is_kept_but_credits_are_only_told_while_usable()
    {
        var card = new NoticeWindow(Instant("2026-01-01T14:00:00Z"), Instant("2026-02-01T05:00:00Z"));
        var credits = new NoticeWindow(Instant("2026-01-08T14:00:00Z"), Instant("2026-01-15T14:00:00Z"));
        var now = Instant("2026-01-10T00:00:00Z");

        var paused = Active with { Status = MembershipStatus.Paused, ResumeAt = Instant("2026-02-20T14:00:00Z"), CreditsExpiring = [credits], CardExpiring = card };
        var work = DueWork.At(paused, now, Policy);
        Assert.Equal([new DueItem.CardExpiringNotice(card.From)], work.Items);
        Assert.Equal(Instant("2026-02-20T14:00:00Z"), work.NextDueAt);

        var suspended = Active with { Status = MembershipStatus.Suspended, SuspendedAt = Instant("2026-01-05T14:00:00Z"), CreditsExpiring = [credits], CardExpiring = card };
        Assert.Equal([new DueItem.CardExpiringNotice(card.From)], DueWork.At(suspended, now, Policy).Items);

        foreach (var status in new[] { MembershipStatus.Cancelled, MembershipStatus.None })
        {
            var idle = DueWork.At(Active with { Status = status, CreditsExpiring = [credits], CardExpiring = card }, now, Policy);
            Assert.Empty(idle.Items);
            Assert.Null(idle.NextDueAt);
        }

        // Waiting for its first payment, an enrolment is woken only to chase it (the morning after it was signed).
        var pending = DueWork.At(Active with { Status = MembershipStatus.PendingPayment, CreditsExpiring = [credits], CardExpiring = card }, now, Policy);
        Assert.Empty(pending.Items);
        Assert.Equal(Instant("2026-01-16T14:00:00Z"), pending.NextDueAt);
    }

    [Fact]
    public void A_notice_whose_window_has_closed_is_neither_due_nor_woken_for()
    {
        var card = new NoticeWindow(Instant("2026-01-01T14:00:00Z"), Instant("2026-02-01T05:00:00Z"));
        var state = new BillingState(MembershipStatus.Paused, 15, NewYork, Day("2026-03-15"), ResumeAt: Instant("2026-03-15T13:00:00Z"), CardExpiring: card);

        var work = DueWork.At(state, Instant("2026-02-01T05:00:00Z"), Policy);

        Assert.Empty(work.Items);
        Assert.Equal(Instant("2026-03-15T13:00:00Z"), work.NextDueAt);
    }

    [Fact]
    public void Notices_falling_after_a_confirmed_end_are_dropped_with_the_rest()
    {
        var card = new NoticeWindow(Instant("2026-03-01T14:00:00Z"), Instant("2026-05-01T04:00:00Z"));
        // Paid to the end of the last period; the wake only comes in March, after the end and after the card's window opened.
        var state = Active with { NextPeriodStart = Day("2026-02-15"), EndsOn = Day("2026-02-15"), CardExpiring = card };

        var work = DueWork.At(state, Instant("2026-03-10T00:00:00Z"), Policy);

        Assert.Equal([new DueItem.EndMembership(Day("2026-02-15"), Instant("2026-02-15T05:00:00Z"))], work.Items);
        Assert.Null(work.NextDueAt);
    }

    /// <summary>What the member grain would record after a failed attempt, by the dunning policy.</summary>
    private static BillingState AfterFailure(BillingState state, DateTimeOffset firstFailure, DateTimeOffset at, DeclineKind kind)
    {
        var failed = state.FailedAttempts + 1;
        return Policy.AfterFailure(firstFailure, failed, kind) switch
        {
            DunningStep.Retry retry => state with { Status = MembershipStatus.PastDue, FailedAttempts = failed, NextRetryAt = retry.At },
            DunningStep.WaitForMember wait => state with { Status = MembershipStatus.PastDue, FailedAttempts = failed, NextRetryAt = null, SuspendAt = wait.SuspendAt },
            _ => state with { Status = MembershipStatus.Suspended, FailedAttempts = failed, NextRetryAt = null, SuspendedAt = at },
        };
    }

    private static DateOnly Day(string text) => DateOnly.Parse(text, CultureInfo.InvariantCulture);

    private static DateTimeOffset Instant(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);
}
