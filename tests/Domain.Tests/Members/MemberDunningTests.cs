using MedSpa.Billing;
using MedSpa.Domain.Billing;
using MedSpa.Domain.Members;
using MedSpa.Domain.Plans;
using MedSpa.Domain.Tests.Plans;
using MedSpa.Members;

namespace MedSpa.Domain.Tests.Members;

/// <summary>
/// The chase after a failed renewal, driven the way the grain drives it: ask <see cref="DueWork"/> what is due, do the
/// first item, fold its events, ask again.
/// </summary>
public sealed class MemberDunningTests
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
    private static readonly DateTimeOffset EnrolledAt = new(2027, 3, 10, 15, 0, 0, TimeSpan.Zero);

    /// <summary>The renewal of the period from 10 April: 09:00 in New York.</summary>
    private static readonly DateTimeOffset Renewal = new(2027, 4, 10, 13, 0, 0, TimeSpan.Zero);

    private static readonly DunningPolicy Policy = DunningPolicy.Default;

    [Fact]
    public void The_renewal_is_due_at_nine_local_on_the_billing_date_and_not_before()
    {
        // The facial credit's week-ahead expiry notice is due before the renewal too (MemberCreditsExpiringTests): billing alone here.
        var billing = Active().Billing! with { CreditsExpiring = null };

        Assert.Empty(DueWork.At(billing, Renewal.AddMinutes(-1), Policy).Items);
        Assert.Equal(Renewal, DueWork.At(billing, Renewal.AddMinutes(-1), Policy).NextDueAt);
        Assert.Equal(new DateOnly(2027, 4, 10), Assert.IsType<DueItem.ChargePeriod>(Assert.Single(DueWork.At(billing, Renewal, Policy).Items)).PeriodStart);
    }

    [Fact]
    public void A_soft_decline_retries_at_24_then_72_hours_from_the_first_failure_telling_the_member_each_time_then_suspends()
    {
        var member = Decline(Active(), Renewal, "insufficient_funds");

        Assert.Equal(MembershipStatus.PastDue, member.Status);
        Assert.Equal(Renewal.AddHours(24), member.Dunning!.NextRetryAt);
        Assert.Equal(NoticeKind.PaymentFailed, LastNotice(member, Renewal).Kind);
        var retry = Assert.IsType<DueItem.RetryCharge>(Assert.Single(DueWork.At(member.Billing!, Renewal.AddHours(24), Policy).Items));
        Assert.Equal(2, retry.Attempt);

        member = Decline(member, Renewal.AddHours(25), "insufficient_funds");
        Assert.Equal(Renewal.AddHours(72), member.Dunning!.NextRetryAt);
        Assert.Equal(2, member.Dunning.FailedAttempts);

        var events = Resolve(member, Renewal.AddHours(72), ChargeResult.SoftDecline, "insufficient_funds", out member);
        Assert.Equal(MembershipStatus.Suspended, member.Status);
        Assert.NotNull(member.Credits.FrozenSince);
        Assert.Contains(events, e => e is NoticeIssued { Kind: NoticeKind.FinalNoticeSuspended });
        Assert.Equal(
            ["charge:mem_1:2027-04-10:1", "charge:mem_1:2027-04-10:2", "charge:mem_1:2027-04-10:3"],
            member.ChargeAttempts.Where(a => a.PeriodStart == new DateOnly(2027, 4, 10)).Select(a => a.AttemptId));
    }

    [Theory]
    [InlineData("lost_card", NoticeKind.PaymentFailed)]
    [InlineData("stolen_card", NoticeKind.PaymentFailed)]
    [InlineData("authentication_required", NoticeKind.AuthenticationRequired)]
    public void A_hard_decline_or_authentication_is_not_retried_and_suspends_when_the_last_retry_would_have(string code, NoticeKind notice)
    {
        var member = Decline(Active(), Renewal, code);

        Assert.Null(member.Dunning!.NextRetryAt);
        Assert.Equal(Renewal.AddHours(72), member.Dunning.SuspendAt);
        Assert.Equal(notice, LastNotice(member, Renewal).Kind);
        Assert.Empty(DueWork.At(member.Billing!, Renewal.AddHours(71), Policy).Items);
        Assert.IsType<DueItem.SuspendForNonPayment>(Assert.Single(DueWork.At(member.Billing!, Renewal.AddHours(72), Policy).Items));

        member = Fold(member, member.SuspendForNonPayment(Renewal.AddHours(72)));
        Assert.Equal(MembershipStatus.Suspended, member.Status);
    }

    [Fact]
    public void Suspended_for_30_days_the_membership_is_cancelled_as_involuntary_churn_and_its_credits_expire()
    {
        var suspended = Suspended(out var suspendedAt);
        Assert.True(suspended.Credits.Balances(suspendedAt, "usd").Sum(b => b.Balance) > 0);

        var cancel = Assert.IsType<DueItem.CancelForNonPayment>(Assert.Single(DueWork.At(suspended.Billing!, suspendedAt.AddDays(30), Policy).Items));
        var events = suspended.CancelForNonPayment(cancel.Reason, cancel.DueAt);
        var member = Fold(suspended, events);

        var cancelled = Assert.Single(events.OfType<MembershipCancelled>());
        Assert.Equal(("payment_failed", true), (cancelled.Reason, cancelled.Involuntary));
        Assert.Equal(MembershipStatus.Cancelled, member.Status);
        Assert.All(member.Credits.Balances(cancel.DueAt, "usd"), b => Assert.Equal(0, b.Balance));
        Assert.Contains(events, e => e is NoticeIssued { Kind: NoticeKind.CancelledForNonPayment });
        Assert.Null(DueWork.At(member.Billing!, cancel.DueAt.AddYears(1), Policy).NextDueAt);
    }

    [Fact]
    public void A_suspended_member_who_pays_is_active_again_for_the_period_they_are_in_without_arrears_and_their_credits_thaw()
    {
        var member = Suspended(out _);
        var paidOn = new DateTimeOffset(2027, 5, 2, 16, 0, 0, TimeSpan.Zero);

        Assert.Equal(new DateOnly(2027, 4, 10), member.PeriodOwed(paidOn));
        var lateMay = new DateTimeOffset(2027, 5, 12, 16, 0, 0, TimeSpan.Zero);
        Assert.Equal(new DateOnly(2027, 5, 10), member.PeriodOwed(lateMay));

        member = Fold(member, member.StartCharge("mem_1", lateMay));
        member = Fold(member, member.ResolveCharge(member.UnresolvedAttempt!.AttemptId, ChargeResult.Succeeded, "pi_back", null, null, lateMay, Policy));

        Assert.Equal(MembershipStatus.Active, member.Status);
        Assert.Null(member.Dunning);
        Assert.Null(member.Credits.FrozenSince);
        Assert.Equal(new DateOnly(2027, 6, 10), member.NextPeriodStart);
        Assert.Equal(2, member.Payments.Count);
        Assert.True(member.Credits.Available("units:svc_tox", lateMay) >= 1);
    }

    [Fact]
    public void A_renewal_with_no_card_on_file_waits_for_the_member_then_suspends()
    {
        var member = Active() with { Card = null };

        member = Fold(member, member.ChaseWithoutCard(Renewal, Policy));

        Assert.Equal(MembershipStatus.PastDue, member.Status);
        Assert.Equal(("no_card_on_file", (DateTimeOffset?)Renewal.AddHours(72)), (member.Dunning!.LastDeclineCode, member.Dunning.SuspendAt));
        Assert.Equal(NoticeKind.PaymentFailed, LastNotice(member, Renewal).Kind);
        Assert.IsType<DueItem.SuspendForNonPayment>(Assert.Single(DueWork.At(member.Billing!, Renewal.AddHours(72), Policy).Items));
    }

    [Fact]
    public void A_desk_payment_while_past_due_ends_the_chase()
    {
        var member = Decline(Active(), Renewal, "insufficient_funds");

        member = Fold(member, member.RecordDeskPayment(new DeskPayment("pay_desk", PaymentMethodKind.Cash, PlanExamples.Usd(19_900)), Renewal.AddHours(2)));

        Assert.Equal(MembershipStatus.Active, member.Status);
        Assert.Null(member.Dunning);
        // Billing alone: the new period's facial credit has its own expiry notice a week before the next renewal.
        Assert.Equal(Renewal.AddMonths(1), DueWork.At(member.Billing! with { CreditsExpiring = null }, Renewal.AddHours(3), Policy).NextDueAt);
    }

    [Fact]
    public void A_declined_first_charge_at_enrolment_is_chased_from_that_decline_without_starting_the_membership()
    {
        var member = Enrolled(out var attemptId);

        var events = member.ResolveCharge(attemptId, ChargeResult.SoftDecline, "pi_1", "insufficient_funds", null, EnrolledAt, Policy);
        member = Fold(member, events);

        Assert.Contains(events, e => e is PaymentPastDue);
        Assert.Equal(MembershipStatus.PendingPayment, member.Status);
        Assert.Equal(EnrolledAt.AddHours(24), DueWork.At(member.Billing!, EnrolledAt.AddHours(1), Policy).NextDueAt);
        Assert.Equal(1, member.FailedPaymentLine("mem_1", Policy)!.FailedAttempts);
    }

    [Fact]
    public void The_attempts_on_the_board_are_the_attempts_listed_for_the_period_through_the_suspension()
    {
        var member = Suspended(out _);

        Assert.Equal(3, member.ChargeAttempts.Count(a => a.PeriodStart == new DateOnly(2027, 4, 10)));
        Assert.Equal(3, member.FailedPaymentLine("mem_1", Policy)!.FailedAttempts);
    }

    private static Member Suspended(out DateTimeOffset suspendedAt)
    {
        var member = Decline(Active(), Renewal, "insufficient_funds");
        member = Decline(member, Renewal.AddHours(24), "insufficient_funds");
        suspendedAt = Renewal.AddHours(72);
        member = Decline(member, suspendedAt, "insufficient_funds");
        Assert.Equal(MembershipStatus.Suspended, member.Status);
        return member;
    }

    private static Member Decline(Member member, DateTimeOffset at, string code)
    {
        Resolve(member, at, code == "authentication_required" ? ChargeResult.AuthenticationRequired : ChargeResult.SoftDecline, code, out var after);
        return after;
    }

    private static IReadOnlyList<MemberEvent> Resolve(Member member, DateTimeOffset at, ChargeResult result, string code, out Member after)
    {
        member = Fold(member, member.StartCharge("mem_1", at));
        var events = member.ResolveCharge(member.UnresolvedAttempt!.AttemptId, result, "pi_x", code, null, at, Policy);
        after = Fold(member, events);
        return events;
    }

    private static NoticeIssued LastNotice(Member member, DateTimeOffset at)
    {
        var notice = member.Notices[^1];
        Assert.Equal((at, "ava@example.com"), (notice.OccurredAt, notice.Email));
        return notice;
    }

    private static Member Active()
    {
        var member = Enrolled(out var attemptId);
        return Fold(member, member.ResolveCharge(attemptId, ChargeResult.Succeeded, "pi_first", null, null, EnrolledAt, Policy));
    }

    private static Member Enrolled(out string attemptId)
    {
        var premium = PlanHistory.Create(null, "plan_premium", PlanExamples.Premium, PlanExamples.Catalogue, EnrolledAt).Current;
        var member = Fold(Member.Unregistered, Member.Unregistered.Register(
            "mem_1", new NewClient("Ava", "Stone", "ava@example.com", null, "loc_downtown"), Registrar.Staff, PlanExamples.Catalogue.Locations, EnrolledAt));
        member = Fold(member, member.SaveCard("cus_1", new CardOnFile("pm_1", "visa", "4242", 12, 2030), EnrolledAt));
        member = Fold(member, member.Enrol(new EnrolmentRequest("plan_premium", new AgreementAcceptance("Ava Stone", true)),
            new SignatureContext("portal", null, null), premium, PlanExamples.Catalogue, EnrolledAt));
        member = Fold(member, member.StartCharge("mem_1", EnrolledAt));
        attemptId = member.UnresolvedAttempt!.AttemptId;
        return member;
    }

    private static Member Fold(Member member, IEnumerable<MemberEvent> events) => events.Aggregate(member, (state, e) => state.Apply(e));
}
