using MedSpa.Domain.Billing;
using MedSpa.Domain.Tests.Plans;
using MedSpa.Members;
using MedSpa.Plans;
using static MedSpa.Domain.Tests.Members.LifecycleExamples;

namespace MedSpa.Domain.Tests.Members;

/// <summary>Voluntary cancellation: the quote, the minimum term, buy-out, withdrawal and the end itself.</summary>
public sealed class MemberCancellationTests
{
    private static readonly DateTimeOffset MidApril = Local(2027, 4, 20);

    [Fact]
    public void Inside_the_term_the_quote_shows_the_obligation_for_each_billing_date_left_and_billing_continues_to_the_term_end()
    {
        var quote = Active().QuoteCancellation(null, MidApril);

        Assert.Equal(CancellationStage.Quoted, quote.Stage);
        Assert.False(quote.TermMet);
        Assert.Equal(new DateOnly(2028, 3, 10), quote.TermEnd);
        Assert.Equal(new DateOnly(2028, 3, 10), quote.EffectiveOn);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => new DateOnly(2027, 5, 10).AddMonths(i)), quote.BillingDates);
        Assert.Equal(PlanExamples.Usd(199_000), quote.RemainingObligation);
        Assert.Equal([CancellationOption.ContinueToTermEnd], quote.Options);
        Assert.Equal(0, quote.BuyOutCharge.Amount);
        Assert.Contains("expire", quote.Credits, StringComparison.Ordinal);
    }

    [Fact]
    public void A_paused_member_past_the_term_leaves_at_the_end_of_the_frozen_period_without_being_charged_again()
    {
        // Term met on 10 April; paid 10 April to 10 May, paused on 15 April for 20 days: the period runs to 30 May.
        var member = Active(PlanExamples.Premium with { MinimumTermMonths = 1 });
        member = Charge(member, Renewal, MedSpa.Billing.ChargeResult.Succeeded, null);
        member = Fold(member, member.Pause(new PauseRequest(Days: 20), Local(2027, 4, 15)));

        var events = member.ConfirmCancellation(new CancellationRequest("not_using", Confirm: true), MidApril);
        var requested = Assert.Single(events.OfType<CancellationRequested>());
        Assert.Equal((CancellationOption.EndOfPeriod, new DateOnly(2027, 5, 30), 0L), (requested.Option, requested.EffectiveOn, requested.Obligation.Amount));
        member = Fold(member, events);
        Assert.Equal(MembershipStatus.Paused, member.Status);
        Assert.Null(member.Membership("mem_1").NextBillingDate);

        // The pause ends on 5 May as planned and nothing is charged; the membership ends with the frozen period.
        var resumeAt = Local(2027, 5, 5, 9);
        Assert.Empty(DueWork.At(member.Billing!, resumeAt.AddMinutes(-1), Policy).Items);
        member = Fold(member, member.Resume(resumeAt, automatically: true));
        Assert.Equal(MembershipStatus.Active, member.Status);
        Assert.DoesNotContain(DueWork.At(member.Billing!, Local(2027, 5, 29, 23), Policy).Items, i => i is not DueItem.CreditsExpiringNotice);
        var work = DueWork.At(member.Billing!, Local(2027, 5, 30, 10), Policy);
        Assert.IsType<DueItem.EndMembership>(Assert.Single(work.Items));
        member = Fold(member, member.EndMembership(Local(2027, 5, 30, 10)));
        Assert.Equal(MembershipStatus.Cancelled, member.Status);
        Assert.Equal(2, member.ChargeAttempts.Count);
        Assert.All(member.Credits.Lots, l => Assert.Equal(0, l.Remaining));
    }

    [Fact]
    public void A_paused_member_inside_the_term_is_quoted_from_the_billing_date_the_pause_moved()
    {
        // Paid 10 March to 10 April; paused on 25 March until 14 April: 20 days, so the period runs to 30 April.
        var member = Active();
        member = Fold(member, member.Pause(new PauseRequest(Days: 20), Local(2027, 3, 25)));

        var quote = member.QuoteCancellation(null, Local(2027, 4, 1));

        Assert.Equal(new DateOnly(2028, 3, 10), quote.EffectiveOn);
        Assert.Equal(new DateOnly(2027, 4, 30), quote.BillingDates[0]);
        Assert.Equal(new DateOnly(2028, 2, 29), quote.BillingDates[^1]);
        Assert.Equal(11, quote.BillingDates.Length);
        Assert.Equal(11 * 19_900, quote.RemainingObligation.Amount);
    }

    [Fact]
    public void Confirmed_inside_the_term_renewals_are_charged_until_the_term_end_then_the_membership_ends_and_its_credits_expire()
    {
        var member = Active();
        var events = member.ConfirmCancellation(new CancellationRequest("relocation", "Moving to Denver", Confirm: true), MidApril);
        member = Fold(member, events);

        var requested = Assert.Single(events.OfType<CancellationRequested>());
        Assert.Equal(("relocation", CancellationOption.ContinueToTermEnd, new DateOnly(2028, 3, 10), 199_000L, false),
            (requested.Reason, requested.Option, requested.EffectiveOn, requested.Obligation.Amount, requested.BoughtOut));
        Assert.Contains(events, e => e is NoticeIssued { Kind: NoticeKind.CancellationConfirmed });
        Assert.Equal(new DateOnly(2028, 3, 10), member.Billing!.EndsOn);

        var endsAt = Local(2028, 3, 10, 0);
        var work = DueWork.At(member.Billing, endsAt.AddDays(40), Policy);
        Assert.Equal(new DateOnly(2028, 2, 10), work.Items.OfType<DueItem.ChargePeriod>().Max(c => c.PeriodStart));
        var end = Assert.IsType<DueItem.EndMembership>(work.Items[^1]);
        Assert.Equal(endsAt, end.DueAt);

        var ended = member.EndMembership(endsAt);
        member = Fold(member, ended);
        var cancelled = Assert.Single(ended.OfType<MembershipCancelled>());
        Assert.Equal(("relocation", "Moving to Denver", false, new DateOnly(2028, 3, 10)), (cancelled.Reason, cancelled.Note, cancelled.Involuntary, cancelled.EffectiveOn));
        Assert.Equal(MembershipStatus.Cancelled, member.Status);
        Assert.All(member.Credits.Balances(endsAt, "usd"), b => Assert.Equal(0, b.Balance));
        Assert.Contains(ended, e => e is NoticeIssued { Kind: NoticeKind.MembershipEnded });
        Assert.Null(DueWork.At(member.Billing!, endsAt.AddYears(1), Policy).NextDueAt);
        Assert.Empty(member.EndMembership(endsAt.AddMinutes(1)));
    }

    [Fact]
    public void Credits_stay_usable_until_the_effective_date()
    {
        var member = Fold(Active(), Active().ConfirmCancellation(new CancellationRequest("price", Confirm: true), MidApril));

        Assert.Equal(1, member.Credits.Available("units:svc_tox", MidApril.AddDays(1)));
        Assert.Null(member.MembershipBenefitsBlocked);
    }

    [Fact]
    public void After_the_term_it_takes_effect_at_the_end_of_the_current_period_with_nothing_owed()
    {
        var quote = Active().QuoteCancellation(null, Local(2028, 4, 20));

        Assert.True(quote.TermMet);
        Assert.Equal((new DateOnly(2028, 5, 10), CancellationOption.EndOfPeriod, 0L), (quote.EffectiveOn, quote.Option, quote.RemainingObligation.Amount));
        Assert.Empty(quote.BillingDates);
    }

    [Fact]
    public void A_buy_out_when_the_plan_allows_it_is_offered_beside_continuing_to_the_term_end_and_ends_with_the_current_period()
    {
        var quote = Active(PlanExamples.Premium with { Cancellation = CancellationPolicy.BuyOut }).QuoteCancellation(CancellationOption.BuyOut, MidApril);

        Assert.Equal([CancellationOption.ContinueToTermEnd, CancellationOption.BuyOut], quote.Options);
        Assert.Equal((new DateOnly(2027, 5, 10), 199_000L, 199_000L), (quote.EffectiveOn, quote.RemainingObligation.Amount, quote.BuyOutCharge.Amount));
    }

    [Fact]
    public void A_buy_out_the_plan_does_not_allow_is_refused()
    {
        var e = Assert.Throws<CommandRejectedException>(() =>
            Active().ConfirmCancellation(new CancellationRequest("price", Confirm: true, Option: CancellationOption.BuyOut), MidApril));
        Assert.Equal("cancellation_option_not_allowed", e.Code);
    }

    [Theory]
    [InlineData(null, null, "cancellation_reason_required")]
    [InlineData("bored", null, "invalid_cancellation_reason")]
    [InlineData("other", " ", "cancellation_note_required")]
    public void A_reason_is_required_and_other_needs_a_note(string? reason, string? note, string code)
    {
        var e = Assert.Throws<CommandRejectedException>(() => Active().ConfirmCancellation(new CancellationRequest(reason, note, Confirm: true), MidApril));
        Assert.Equal((RejectionKind.Invalid, code), (e.Kind, e.Code));
    }

    [Fact]
    public void A_pending_cancellation_can_be_withdrawn_and_billing_carries_on_as_before()
    {
        var member = Fold(Active(), Active().ConfirmCancellation(new CancellationRequest("other", "Too far", Confirm: true), MidApril));
        Assert.Empty(member.ConfirmCancellation(new CancellationRequest("other", "Too far", Confirm: true), MidApril));
        Assert.Equal("cancellation_pending", Assert.Throws<CommandRejectedException>(() =>
            member.ConfirmCancellation(new CancellationRequest("price", Confirm: true), MidApril)).Code);

        var events = member.WithdrawCancellation(MidApril.AddDays(1));
        member = Fold(member, events);

        Assert.IsType<CancellationWithdrawn>(events[0]);
        Assert.Null(member.PendingCancellation);
        Assert.Null(member.Billing!.EndsOn);
        Assert.Equal("no_pending_cancellation", Assert.Throws<CommandRejectedException>(() => member.WithdrawCancellation(MidApril.AddDays(2))).Code);
    }
}
