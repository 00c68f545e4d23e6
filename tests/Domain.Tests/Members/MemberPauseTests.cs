using MedSpa.Domain.Billing;
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
    public void A_pause_stops_billing_freezes_credits_and_resumes_by_itself_on_its_end_date_as_the_new_anchor()
    {
        var member = Active();
        var lotExpiry = member.Credits.Lots.Single(l => l.BenefitKey == "dollars:facial").ExpiresAt!.Value;
        var events = member.Pause(new PauseRequest(Days: 30), MidApril);
        member = Fold(member, events);

        Assert.Equal(MembershipStatus.Paused, member.Status);
        Assert.Equal(new DateOnly(2027, 5, 20), member.CurrentPause!.Until);
        Assert.NotNull(member.Credits.FrozenSince);
        Assert.Contains(events, e => e is NoticeIssued { Kind: NoticeKind.MembershipPaused });
        var resumeAt = Local(2027, 5, 20, 9);
        Assert.Empty(DueWork.At(member.Billing!, resumeAt.AddMinutes(-1), Policy).Items);
        Assert.Equal(resumeAt, DueWork.At(member.Billing!, MidApril, Policy).NextDueAt);
        Assert.IsType<DueItem.ResumeFromPause>(Assert.Single(DueWork.At(member.Billing!, resumeAt, Policy).Items));

        member = Fold(member, member.Resume(resumeAt, automatically: true));

        Assert.Equal(MembershipStatus.Active, member.Status);
        Assert.Equal((20, (DateOnly?)new DateOnly(2027, 5, 20)), (member.Enrolment!.AnchorDay, member.NextPeriodStart));
        Assert.Null(member.Credits.FrozenSince);
        Assert.Equal(lotExpiry + (resumeAt - MidApril), member.Credits.Lots.Single(l => l.BenefitKey == "dollars:facial").ExpiresAt);
        var charge = Assert.IsType<DueItem.ChargePeriod>(Assert.Single(DueWork.At(member.Billing!, resumeAt, Policy).Items));
        Assert.Equal(new DateOnly(2027, 5, 20), charge.PeriodStart);
        member = Charge(member, resumeAt, MedSpa.Billing.ChargeResult.Succeeded, null);
        Assert.Equal(new DateOnly(2027, 6, 20), member.NextPeriodStart);
        Assert.Equal(new DateOnly(2028, 3, 10), member.Enrolment!.TermEnd);
    }

    [Fact]
    public void Paid_days_a_pause_cuts_short_come_off_the_first_charge_after_it_and_only_that_one()
    {
        // Paid 10 March to 10 April (31 days) at 199.00; paused on the 25th: 16 paid days unused, 199.00 x 16/31 = 102.71.
        var member = Active();
        var events = member.Pause(new PauseRequest(Days: 20), Local(2027, 3, 25));
        Assert.Equal(new Money(10_271, "usd"), events.OfType<MembershipPaused>().Single().UnusedPaid);
        Assert.Contains("102.71 USD", events.OfType<NoticeIssued>().Single().Summary, StringComparison.Ordinal);
        member = Fold(member, events);

        var resumeAt = Local(2027, 4, 14, 9);
        var resumed = member.Resume(resumeAt, automatically: true);
        Assert.Contains("first payment is 96.29 USD", resumed.OfType<NoticeIssued>().Single().Summary, StringComparison.Ordinal);
        member = Fold(member, resumed);

        Assert.Equal(new Money(19_900 - 10_271, "usd"), member.PriceFor(new DateOnly(2027, 4, 14)));
        Assert.Equal(9_629, member.StartCharge("mem_1", resumeAt).OfType<ChargeAttempted>().Single().Amount.Amount);
        member = Charge(member, resumeAt, MedSpa.Billing.ChargeResult.Succeeded, null);
        Assert.Equal(19_900, member.PriceFor(new DateOnly(2027, 5, 14)).Amount);
    }

    [Fact]
    public void A_pause_on_the_first_day_of_a_paid_period_covers_the_next_one_without_a_charge()
    {
        var member = Active();
        member = Fold(member, member.Pause(new PauseRequest(Days: 10), EnrolledAt));
        var resumeAt = Local(2027, 3, 20, 9);
        member = Fold(member, member.Resume(resumeAt, automatically: true));

        var events = member.StartCharge("mem_1", resumeAt);
        Assert.DoesNotContain(events, e => e is ChargeAttempted);
        Assert.Equal(0, Assert.Single(events.OfType<PaymentRecorded>()).Amount.Amount);
        member = Fold(member, events);
        Assert.Equal((MembershipStatus.Active, (DateOnly?)new DateOnly(2027, 4, 20)), (member.Status, member.NextPeriodStart));
        Assert.Empty(member.SettleCoveredPeriod(resumeAt));
        Assert.Equal(19_900, member.PriceFor(new DateOnly(2027, 4, 20)).Amount);
    }

    [Fact]
    public void A_pause_outside_a_paid_period_carries_nothing()
    {
        // MidApril: the 10 April renewal has not been charged, so no paid days are left to carry.
        var events = Active().Pause(new PauseRequest(Days: 20), MidApril);
        Assert.Null(events.OfType<MembershipPaused>().Single().UnusedPaid);
        var member = Fold(Active(), events);
        member = Fold(member, member.Resume(Local(2027, 5, 1, 12)));
        Assert.Equal(19_900, member.PriceFor(new DateOnly(2027, 5, 1)).Amount);
    }

    [Fact]
    public void Resumed_early_the_resume_day_is_the_new_anchor()
    {
        var member = Fold(Active(), Active().Pause(new PauseRequest(Until: new DateOnly(2027, 6, 1)), MidApril));

        member = Fold(member, member.Resume(Local(2027, 5, 3, 15)));

        Assert.Equal((3, (DateOnly?)new DateOnly(2027, 5, 3)), (member.Enrolment!.AnchorDay, member.NextPeriodStart));
        Assert.Equal(Local(2027, 5, 3, 9), Assert.IsType<DueItem.ChargePeriod>(Assert.Single(DueWork.At(member.Billing!, Local(2027, 5, 3, 15), Policy).Items)).DueAt);
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
        var member = Fold(Active(), Active().Pause(new PauseRequest(Days: 10), MidApril));
        member = Fold(member, member.Resume(MidApril.AddDays(10)));

        var e = Assert.Throws<CommandRejectedException>(() => member.Pause(new PauseRequest(Days: 5), MidApril.AddDays(60)));
        Assert.Equal((RejectionKind.Conflict, "pause_limit_reached"), (e.Kind, e.Code));
        Assert.NotEmpty(member.Pause(new PauseRequest(Days: 5), Local(2028, 4, 21)));

        var generous = Active(PlanExamples.Premium with { Pause = new PauseRules(90, 2) });
        generous = Fold(generous, generous.Pause(new PauseRequest(Days: 90), MidApril));
        generous = Fold(generous, generous.Resume(MidApril.AddDays(90)));
        Assert.NotEmpty(generous.Pause(new PauseRequest(Days: 10), MidApril.AddDays(120)));
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
