using MedSpa.Domain.Billing;
using MedSpa.Domain.Members;
using MedSpa.Domain.Tests.Plans;
using MedSpa.Members;
using MedSpa.Plans;
using static MedSpa.Domain.Tests.Members.LifecycleExamples;

namespace MedSpa.Domain.Tests.Members;

/// <summary>Pause within the plan's rules, automatic and early resume, and the renewal notice before the term end.</summary>
public sealed class MemberPauseTests
{
    private static readonly DateTimeOffset MidApril = Local(2027, 4, 20);

    [Fact]
    public void A_pause_freezes_the_paid_period_and_moves_the_next_charge_by_the_days_paused()
    {
        // Paid 10 March to 10 April; paused on 25 March for 30 days: the period runs to 10 May, billed on the 10th as before.
        var member = Active();
        var pausedAt = Local(2027, 3, 25);
        var lotExpiry = member.Credits.Lots.Single(l => l.BenefitKey == "dollars:facial").ExpiresAt!.Value;
        var events = member.Pause(new PauseRequest(Days: 30), pausedAt);
        member = Fold(member, events);

        Assert.Equal(MembershipStatus.Paused, member.Status);
        Assert.Equal(new DateOnly(2027, 4, 24), member.CurrentPause!.Until);
        Assert.Equal(new DateOnly(2027, 5, 10), member.Membership("mem_1").NextBillingDate);
        Assert.NotNull(member.Credits.FrozenSince);
        Assert.Contains("next payment moves to 10 May 2027", Assert.Single(events.OfType<NoticeIssued>()).Summary, StringComparison.Ordinal);
        var resumeAt = Local(2027, 4, 24, 9);
        Assert.Empty(DueWork.At(member.Billing!, resumeAt.AddMinutes(-1), Policy).Items);
        Assert.IsType<DueItem.ResumeFromPause>(Assert.Single(DueWork.At(member.Billing!, resumeAt, Policy).Items));

        member = Fold(member, member.Resume(resumeAt, automatically: true));

        Assert.Equal(MembershipStatus.Active, member.Status);
        Assert.Equal((10, (DateOnly?)new DateOnly(2027, 5, 10)), (member.Enrolment!.AnchorDay, member.NextPeriodStart));
        Assert.Equal(new BillingPeriod(new DateOnly(2027, 3, 10), new DateOnly(2027, 5, 10), 30), member.PaidPeriod);
        Assert.Null(member.Credits.FrozenSince);
        // The month's credit lapses with the moved period, at the next charge, not at the old instant plus the time frozen.
        Assert.Equal(lotExpiry.AddDays(30), member.Credits.Lots.Single(l => l.BenefitKey == "dollars:facial").ExpiresAt);
        Assert.Equal(Local(2027, 5, 10, 9), member.Credits.Lots.Single(l => l.BenefitKey == "dollars:facial").ExpiresAt);
        Assert.Empty(DueWork.At(member.Billing!, resumeAt, Policy).Items);
        Assert.Null(member.PeriodOwed(Local(2027, 5, 10, 8)));

        var renewal = Local(2027, 5, 10, 9);
        var charge = Assert.IsType<DueItem.ChargePeriod>(Assert.Single(DueWork.At(member.Billing!, renewal, Policy).Items));
        Assert.Equal(new DateOnly(2027, 5, 10), charge.PeriodStart);
        Assert.Equal(19_900, member.StartCharge("mem_1", renewal).OfType<ChargeAttempted>().Single().Amount.Amount);
        member = Charge(member, renewal, MedSpa.Billing.ChargeResult.Succeeded, null);
        Assert.Equal(new DateOnly(2027, 6, 10), member.NextPeriodStart);
        Assert.Equal(new DateOnly(2028, 3, 10), member.Enrolment!.TermEnd);
    }

    [Fact]
    public void A_pause_the_day_after_paying_buys_no_second_period_of_credits()
    {
        // The clinic's finding: paid 10 March, paused the next day for 22 days. Before the freeze rule the first charge
        // after it was the carried-over days' remainder and a second full allocation came with it.
        var member = Active();
        var allocatedBefore = member.Credits.Totals.Values.Sum(t => t.Allocated);
        member = Fold(member, member.Pause(new PauseRequest(Days: 22), Local(2027, 3, 11)));
        member = Fold(member, member.Resume(Local(2027, 4, 2, 9), automatically: true));

        Assert.Equal((MembershipStatus.Active, (DateOnly?)new DateOnly(2027, 5, 2), 2), (member.Status, member.NextPeriodStart, member.Enrolment!.AnchorDay));
        Assert.Null(member.PeriodOwed(Local(2027, 5, 1, 12)));
        Assert.Equal(allocatedBefore, member.Credits.Totals.Values.Sum(t => t.Allocated));

        var renewal = Local(2027, 5, 2, 9);
        Assert.Equal(19_900, member.StartCharge("mem_1", renewal).OfType<ChargeAttempted>().Single().Amount.Amount);
        member = Charge(member, renewal, MedSpa.Billing.ChargeResult.Succeeded, null);
        Assert.Equal(2 * allocatedBefore, member.Credits.Totals.Values.Sum(t => t.Allocated));
        Assert.Equal(2, member.Payments.Count(p => p.Amount.Amount == 19_900));
    }

    [Fact]
    public void Resumed_early_only_the_days_actually_paused_move_the_next_charge()
    {
        var member = Fold(Active(), Active().Pause(new PauseRequest(Until: new DateOnly(2027, 4, 30)), Local(2027, 3, 25)));
        Assert.Equal(new DateOnly(2027, 5, 16), member.Membership("mem_1").NextBillingDate);

        var events = member.Resume(Local(2027, 4, 5, 15));
        member = Fold(member, events);

        // Paused 25 March to 5 April: 11 days, so 10 April's charge moves to 21 April.
        Assert.Equal((21, (DateOnly?)new DateOnly(2027, 4, 21)), (member.Enrolment!.AnchorDay, member.NextPeriodStart));
        Assert.Contains("Your next payment, 199.00 USD, is on 21 April 2027", events.OfType<NoticeIssued>().Single().Summary, StringComparison.Ordinal);
        Assert.Equal(Local(2027, 4, 21, 9), Assert.Single(DueWork.At(member.Billing!, Local(2027, 4, 21, 10), Policy).Items.OfType<DueItem.ChargePeriod>()).DueAt);
    }

    [Fact]
    public void A_pause_on_the_first_day_of_a_paid_period_moves_that_period_whole()
    {
        var member = Active();
        member = Fold(member, member.Pause(new PauseRequest(Days: 10), EnrolledAt));
        var resumeAt = Local(2027, 3, 20, 9);
        member = Fold(member, member.Resume(resumeAt, automatically: true));

        Assert.Null(member.PeriodOwed(resumeAt));
        Assert.Equal((MembershipStatus.Active, (DateOnly?)new DateOnly(2027, 4, 20)), (member.Status, member.NextPeriodStart));
        Assert.Equal(19_900, member.PriceFor(new DateOnly(2027, 4, 20)).Amount);
    }

    [Fact]
    public void A_pause_while_a_payment_is_owed_is_refused_and_records_nothing()
    {
        // MidApril: the 10 April renewal has not been taken yet.
        var e = Assert.Throws<CommandRejectedException>(() => Active().Pause(new PauseRequest(Days: 20), MidApril));
        Assert.Equal((RejectionKind.Conflict, "payment_due"), (e.Kind, e.Code));
    }

    [Fact]
    public void A_pause_recorded_before_the_freeze_rule_still_resumes_as_it_was_agreed()
    {
        // Logs written before the freeze rule carry the unused paid days instead: the resume date started a new period,
        // charged less those days. Such a log must fold to what the member was told then.
        var member = Active();
        var pausedAt = Local(2027, 3, 25);
        member = Fold(member,
        [
            new MembershipPaused(new DateOnly(2027, 3, 25), new DateOnly(2027, 4, 14), new Money(10_271, "usd")) { OccurredAt = pausedAt },
            new CreditsFrozen { OccurredAt = pausedAt },
        ]);
        Assert.Equal(new DateOnly(2027, 4, 14), member.Membership("mem_1").NextBillingDate);

        var resumeAt = Local(2027, 4, 14, 9);
        var resumed = member.Resume(resumeAt, automatically: true);
        Assert.Contains("first payment is 96.29 USD", resumed.OfType<NoticeIssued>().Single().Summary, StringComparison.Ordinal);
        member = Fold(member, resumed);

        Assert.Equal(new Money(19_900 - 10_271, "usd"), member.PriceFor(new DateOnly(2027, 4, 14)));
        Assert.Equal(9_629, member.StartCharge("mem_1", resumeAt).OfType<ChargeAttempted>().Single().Amount.Amount);
        member = Charge(member, resumeAt, MedSpa.Billing.ChargeResult.Succeeded, null);
        Assert.Equal(19_900, member.PriceFor(new DateOnly(2027, 5, 14)).Amount);
    }

    [Theory]
    [InlineData(61, null, "pause_too_long")]
    [InlineData(0, null, "invalid_pause_length")]
    [InlineData(null, null, "invalid_pause_length")]
    [InlineData(10, "2027-05-01", "invalid_pause_length")]
    [InlineData(null, "2027-04-20", "invalid_pause_length")]
    public void The_length_is_checked_against_the_plan(int? days, string? until, string code)
    {
        var request = new PauseRequest(days, until is null ? null : DateOnly.Parse(until, System.Globalization.CultureInfo.InvariantCulture));
        var e = Assert.Throws<CommandRejectedException>(() => Active().Pause(request, MidApril));
        Assert.Equal((RejectionKind.Invalid, code), (e.Kind, e.Code));
    }

    [Fact]
    public void Once_per_12_months_by_default_and_as_the_plan_says_otherwise()
    {
        var pausedAt = Local(2027, 3, 25);
        var member = Fold(Active(), Active().Pause(new PauseRequest(Days: 10), pausedAt));
        member = Fold(member, member.Resume(pausedAt.AddDays(10)));

        var e = Assert.Throws<CommandRejectedException>(() => member.Pause(new PauseRequest(Days: 5), pausedAt.AddDays(60)));
        Assert.Equal((RejectionKind.Conflict, "pause_limit_reached"), (e.Kind, e.Code));
        Assert.Equal("payment_due", Assert.Throws<CommandRejectedException>(() => member.Pause(new PauseRequest(Days: 5), Local(2028, 3, 26))).Code);
        Assert.NotEmpty(PaidUpTo(member, Local(2028, 3, 26)).Pause(new PauseRequest(Days: 5), Local(2028, 3, 26)));

        var generous = Active(PlanExamples.Premium with { Pause = new PauseRules(90, 2) });
        generous = Fold(generous, generous.Pause(new PauseRequest(Days: 90), pausedAt));
        generous = Fold(generous, generous.Resume(pausedAt.AddDays(90)));
        Assert.NotEmpty(generous.Pause(new PauseRequest(Days: 10), pausedAt.AddDays(100)));
    }

    /// <summary>Every renewal due by <paramref name="at"/> charged and paid, as billing would have.</summary>
    private static Member PaidUpTo(Member member, DateTimeOffset at)
    {
        while (member.NextPeriodStart is { } next && BillingCalendar.ChargeInstant(next, NewYork) <= at)
        {
            member = Charge(member, BillingCalendar.ChargeInstant(next, NewYork), MedSpa.Billing.ChargeResult.Succeeded, null);
        }

        return member;
    }

    [Fact]
    public void The_renewal_notice_is_due_30_days_before_the_term_end_once()
    {
        var member = Active();
        var noticeAt = Local(2028, 2, 9, 9);

        Assert.DoesNotContain(DueWork.At(member.Billing!, noticeAt.AddMinutes(-1), Policy).Items, i => i is DueItem.RenewalNotice);
        var due = Assert.Single(DueWork.At(member.Billing!, noticeAt, Policy).Items.OfType<DueItem.RenewalNotice>());
        Assert.Equal((new DateOnly(2028, 3, 10), noticeAt), (due.TermEnd, due.DueAt));

        var events = member.IssueRenewalNotice(noticeAt);
        member = Fold(member, events);

        Assert.Equal(NoticeKind.TermRenewal, Assert.IsType<NoticeIssued>(Assert.Single(events)).Kind);
        Assert.Contains("month to month", ((NoticeIssued)events[0]).Summary, StringComparison.Ordinal);
        Assert.DoesNotContain(DueWork.At(member.Billing!, noticeAt.AddDays(1), Policy).Items, i => i is DueItem.RenewalNotice);
        Assert.Empty(member.IssueRenewalNotice(noticeAt.AddDays(1)));
    }

    [Fact]
    public void No_renewal_notice_for_a_membership_that_is_ending_or_has_no_term()
    {
        var ending = Fold(Active(), Active().ConfirmCancellation(new CancellationRequest("price", Confirm: true), MidApril));
        Assert.DoesNotContain(DueWork.At(ending.Billing!, Local(2028, 2, 9, 9), Policy).Items, i => i is DueItem.RenewalNotice);

        var monthly = Active(PlanExamples.Premium with { MinimumTermMonths = 0 });
        Assert.DoesNotContain(DueWork.At(monthly.Billing!, Local(2028, 2, 9, 9), Policy).Items, i => i is DueItem.RenewalNotice);
    }
}
