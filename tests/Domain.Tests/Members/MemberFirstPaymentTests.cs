using MedSpa.Billing;
using MedSpa.Domain.Billing;
using MedSpa.Domain.Members;
using MedSpa.Domain.Tests.Plans;
using MedSpa.Members;
using static MedSpa.Domain.Tests.Members.LifecycleExamples;

namespace MedSpa.Domain.Tests.Members;

/// <summary>
/// A first payment that never arrives (issue 19, finding 7): the enrolment is chased like a renewal, from its first
/// decline (or, with no card, from the morning after enrolling), at the practice's retry offsets, and lapses after the
/// practice's days without payment. It never becomes past due or suspended, and nothing is allocated before it is paid.
/// Driven the way the grain drives it: ask <see cref="DueWork"/> what is due, do the first item, fold, ask again.
/// </summary>
public sealed class MemberFirstPaymentTests
{
    private static readonly DateOnly FirstPeriod = new(2027, 3, 10);

    [Fact]
    public void A_declined_first_charge_is_chased_at_the_retry_offsets_without_starting_the_membership_then_lapses_after_seven_days()
    {
        var member = Decline(WithCard(), EnrolledAt, "insufficient_funds");

        Assert.Equal(MembershipStatus.PendingPayment, member.Status);
        Assert.Equal((EnrolledAt, (DateTimeOffset?)EnrolledAt.AddHours(24), 1), (member.Dunning!.FirstFailedAt, member.Dunning.NextRetryAt, member.Dunning.FailedAttempts));
        var notice = member.Notices[^1];
        Assert.Equal(NoticeKind.PaymentFailed, notice.Kind);
        Assert.Contains("17 March 2027", notice.Summary, StringComparison.Ordinal);
        Assert.Empty(member.Credits.Lots);

        var retry = Assert.IsType<DueItem.RetryCharge>(Assert.Single(DueWork.At(member.Billing!, EnrolledAt.AddHours(24), Policy).Items));
        Assert.Equal((FirstPeriod, 2), (retry.PeriodStart, retry.Attempt));
        member = Decline(member, EnrolledAt.AddHours(24), "insufficient_funds");
        Assert.Equal(EnrolledAt.AddHours(72), member.Dunning!.NextRetryAt);
        member = Decline(member, EnrolledAt.AddHours(72), "insufficient_funds");

        // The retries have run out: no suspension (there is no membership to suspend), only the lapse left to wait for.
        Assert.Equal(MembershipStatus.PendingPayment, member.Status);
        Assert.Null(member.Dunning!.NextRetryAt);
        Assert.Null(member.Credits.FrozenSince);
        Assert.DoesNotContain(member.Notices, n => n.Kind == NoticeKind.FinalNoticeSuspended);
        Assert.Equal(3, member.Notices.Count(n => n.Kind == NoticeKind.PaymentFailed));
        var waiting = DueWork.At(member.Billing!, EnrolledAt.AddDays(6), Policy);
        Assert.Empty(waiting.Items);
        Assert.Equal(EnrolledAt.AddDays(7), waiting.NextDueAt);

        var lapse = Assert.Single(DueWork.At(member.Billing!, EnrolledAt.AddDays(7), Policy).Items);
        Assert.Equal(new DueItem.LapseUnpaidEnrolment(EnrolledAt.AddDays(7)), lapse);
        var events = member.LapseUnpaidEnrolment(EnrolledAt.AddDays(7), Policy);
        member = Fold(member, events);

        var ended = Assert.Single(events.OfType<MembershipCancelled>());
        Assert.Equal((DunningPolicy.FirstPaymentNotMadeReason, true, new DateOnly(2027, 3, 17)), (ended.Reason, ended.Involuntary, ended.EffectiveOn));
        Assert.Equal(NoticeKind.EnrolmentLapsed, Assert.Single(events.OfType<NoticeIssued>()).Kind);
        Assert.Equal(MembershipStatus.Cancelled, member.Status);
        Assert.Null(member.Dunning);
        Assert.Empty(member.Credits.Lots);
        Assert.Empty(member.Payments);
        // Never a member: nobody to win back, so no reactivation offer is due and none can be sent.
        Assert.Null(member.Lapse("mem_1", EnrolledAt.AddDays(8)));
        Assert.Null(DueWork.At(member.Billing!, EnrolledAt.AddDays(8), Policy).NextDueAt);
        Assert.Empty(member.LapseUnpaidEnrolment(EnrolledAt.AddDays(9), Policy));
    }

    [Fact]
    public void A_pending_enrolment_with_no_card_is_reminded_from_the_next_morning_at_the_offsets_and_lapses_the_same_way()
    {
        var member = PendingPayment();
        // Enrolled at 10:00 in New York: the desk may still take the payment today, so the chase starts at 09:00 tomorrow
        // (standard time until 14 March).
        var morning = new DateTimeOffset(2027, 3, 11, 14, 0, 0, TimeSpan.Zero);
        var today = DueWork.At(member.Billing!, EnrolledAt.AddMinutes(5), Policy);
        Assert.Empty(today.Items);
        Assert.Equal(morning, today.NextDueAt);
        Assert.Equal(new DueItem.ChargePeriod(FirstPeriod, morning), Assert.Single(DueWork.At(member.Billing!, morning, Policy).Items));

        member = Fold(member, member.ChaseWithoutCard(morning, Policy));

        Assert.Equal(MembershipStatus.PendingPayment, member.Status);
        Assert.Equal(("no_card_on_file", (DateTimeOffset?)morning.AddHours(24)), (member.Dunning!.LastDeclineCode, member.Dunning.NextRetryAt));
        Assert.Equal(NoticeKind.PaymentFailed, member.Notices[^1].Kind);
        Assert.Contains("no card on file", member.Notices[^1].Summary, StringComparison.Ordinal);

        // Each offset is a reminder to add a card (nothing to charge), then only the lapse is left.
        foreach (var hours in new[] { 24, 72 })
        {
            Assert.IsType<DueItem.RetryCharge>(Assert.Single(DueWork.At(member.Billing!, morning.AddHours(hours), Policy).Items));
            member = Fold(member, member.ChaseWithoutCard(morning.AddHours(hours), Policy));
        }

        Assert.Equal(3, member.Notices.Count(n => n.Kind == NoticeKind.PaymentFailed));
        Assert.Empty(member.ChargeAttempts);
        Assert.Equal([new DueItem.LapseUnpaidEnrolment(morning.AddDays(7))], DueWork.At(member.Billing!, morning.AddDays(30), Policy).Items);
        member = Fold(member, member.LapseUnpaidEnrolment(morning.AddDays(7), Policy));
        Assert.Equal(MembershipStatus.Cancelled, member.Status);
    }

    [Fact]
    public void A_first_payment_taken_inside_the_window_starts_the_membership_with_one_allocation_and_ends_the_chase()
    {
        var member = Decline(WithCard(), EnrolledAt, "insufficient_funds");
        member = Fold(member, member.SaveCard("cus_1", new CardOnFile("pm_2", "visa", "4242", 12, 2031), EnrolledAt.AddDays(2)));

        member = Charge(member, EnrolledAt.AddDays(2), ChargeResult.Succeeded, null);

        Assert.Equal(MembershipStatus.Active, member.Status);
        Assert.Null(member.Dunning);
        Assert.Equal(1, member.Credits.Available("units:svc_tox", EnrolledAt.AddDays(2)));
        Assert.Single(member.Credits.Lots, l => l.BenefitKey == "units:svc_tox");
        Assert.Empty(member.LapseUnpaidEnrolment(EnrolledAt.AddDays(8), Policy));
        Assert.DoesNotContain(DueWork.At(member.Billing!, EnrolledAt.AddDays(8), Policy).Items, i => i is DueItem.LapseUnpaidEnrolment);
    }

    [Fact]
    public void A_hard_declined_first_charge_is_not_retried_and_the_member_is_asked_for_a_new_card_before_the_lapse()
    {
        var member = Decline(WithCard(), EnrolledAt, "stolen_card");

        Assert.Equal(MembershipStatus.PendingPayment, member.Status);
        Assert.Null(member.Dunning!.NextRetryAt);
        Assert.Null(member.Dunning.SuspendAt);
        Assert.Contains("17 March 2027", member.Notices[^1].Summary, StringComparison.Ordinal);
        var work = DueWork.At(member.Billing!, EnrolledAt.AddHours(80), Policy);
        Assert.Empty(work.Items);
        Assert.Equal(EnrolledAt.AddDays(7), work.NextDueAt);
    }

    [Fact]
    public void The_practice_sets_the_days_a_first_payment_is_chased_and_a_retry_after_the_lapse_is_never_scheduled()
    {
        var policy = DunningPolicy.Create([TimeSpan.FromHours(24), TimeSpan.FromHours(96)], TimeSpan.FromDays(30), TimeSpan.FromDays(3));
        var member = WithCard();
        member = Fold(member, member.StartCharge("mem_1", EnrolledAt));
        member = Fold(member, member.ResolveCharge(member.UnresolvedAttempt!.AttemptId, ChargeResult.SoftDecline, "pi_x", "insufficient_funds", null, EnrolledAt, policy));
        member = Fold(member, member.StartCharge("mem_1", EnrolledAt.AddHours(24)));
        member = Fold(member, member.ResolveCharge(member.UnresolvedAttempt!.AttemptId, ChargeResult.SoftDecline, "pi_x", "insufficient_funds", null, EnrolledAt.AddHours(24), policy));

        Assert.Null(member.Dunning!.NextRetryAt);
        Assert.Equal([new DueItem.LapseUnpaidEnrolment(EnrolledAt.AddDays(3))], DueWork.At(member.Billing!, EnrolledAt.AddDays(5), policy).Items);
        Assert.Empty(member.LapseUnpaidEnrolment(EnrolledAt.AddDays(3).AddMinutes(-1), policy));
        Assert.NotEmpty(member.LapseUnpaidEnrolment(EnrolledAt.AddDays(3), policy));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(91)]
    public void A_lapse_of_no_days_or_beyond_ninety_is_refused(int days)
    {
        var e = Assert.Throws<CommandRejectedException>(() => DunningPolicy.Create([TimeSpan.FromHours(24)], TimeSpan.FromDays(30), TimeSpan.FromDays(days)));
        Assert.Equal("invalid_first_payment_lapse", e.Code);
    }

    [Fact]
    public void By_default_a_first_payment_lapses_after_seven_days() =>
        Assert.Equal(TimeSpan.FromDays(7), DunningPolicy.Default.FirstPaymentLapse);

    [Fact]
    public void The_board_line_of_a_pending_enrolment_counts_its_charge_attempts_and_says_when_it_lapses()
    {
        var member = Decline(WithCard(), EnrolledAt, "insufficient_funds");
        member = Decline(member, EnrolledAt.AddHours(24), "insufficient_funds");

        var line = member.FailedPaymentLine("mem_1", Policy)!;

        Assert.Equal((MembershipStatus.PendingPayment, FirstPeriod, 2, EnrolledAt.AddDays(7)), (line.Status, line.PeriodStart, line.FailedAttempts, line.LapseAt));
        Assert.Equal(PlanExamples.Usd(19_900), line.Amount);
        Assert.Null(line.SuspendAt);
        Assert.Equal(EnrolledAt.AddHours(72), line.NextRetryAt);
    }

    private static Member WithCard()
    {
        var member = PendingPayment();
        return Fold(member, member.SaveCard("cus_1", new CardOnFile("pm_1", "visa", "4242", 12, 2030), EnrolledAt));
    }

    private static Member Decline(Member member, DateTimeOffset at, string code) => Charge(member, at, ChargeResult.SoftDecline, code);
}
