using MedSpa.Billing;
using MedSpa.Domain.Billing;
using MedSpa.Domain.Members;
using MedSpa.Domain.Tests.Plans;
using MedSpa.Members;
using MedSpa.Plans;
using static MedSpa.Domain.Tests.Members.LifecycleExamples;

namespace MedSpa.Domain.Tests.Members;

/// <summary>
/// A buy-out is charged, not invoiced: confirming it records only a journaled charge attempt for the remaining
/// obligation, and the cancellation exists once that charge is paid.
/// </summary>
public sealed class MemberBuyOutTests
{
    /// <summary>20 April 2027: ten billing dates (10 May 2027 to 10 February 2028) are left before the term ends.</summary>
    private static readonly DateTimeOffset MidApril = Local(2027, 4, 20);

    private const string Key = "buy-out:mem_1:2027-05-10:1";
    private const long Obligation = 199_000;

    private static readonly CancellationRequest BuyOut = new("relocation", "Moving to Denver", Confirm: true, Option: CancellationOption.BuyOut);

    /// <summary>Enrolled 10 March 2027 on a plan that allows a buy-out, the April renewal paid.</summary>
    private static Member BuyOutMember() => Charge(Active(PlanExamples.Premium with { Cancellation = CancellationPolicy.BuyOut }), Renewal, ChargeResult.Succeeded, null);

    [Fact]
    public void The_default_quote_prices_every_option_it_offers_and_confirming_one_charges_what_it_said()
    {
        // The clinic's finding: the default quote (continue to the term end) answered a buy-out charge of 0.00 beside the
        // buy-out option, and confirming the buy-out then charged the whole obligation.
        var member = BuyOutMember();
        var quote = member.QuoteCancellation(null, MidApril);

        Assert.Equal(CancellationOption.ContinueToTermEnd, quote.Option);
        Assert.Equal([CancellationOption.ContinueToTermEnd, CancellationOption.BuyOut], quote.Choices.Select(c => c.Option));
        var keepPaying = quote.Choices[0];
        Assert.Equal((0L, Obligation, 10, new DateOnly(2028, 3, 10)),
            (keepPaying.ChargeNow.Amount, keepPaying.BilledLater.Amount, keepPaying.BillingDates.Length, keepPaying.EffectiveOn));
        var buyOut = quote.Choices[1];
        Assert.Equal((Obligation, 0L, 0, new DateOnly(2027, 5, 10)),
            (buyOut.ChargeNow.Amount, buyOut.BilledLater.Amount, buyOut.BillingDates.Length, buyOut.EffectiveOn));
        Assert.Equal(buyOut.ChargeNow, quote.BuyOutCharge);
        Assert.Contains("10 May 2027", buyOut.Credits, StringComparison.Ordinal);

        var attempt = Assert.IsType<ChargeAttempted>(Assert.Single(member.ConfirmCancellation(BuyOut, MidApril)));
        Assert.Equal(buyOut.ChargeNow, attempt.Amount);
        Assert.Equal(buyOut.EffectiveOn, attempt.BuyOut!.EffectiveOn);
    }

    [Fact]
    public void A_paid_buy_out_says_what_was_charged()
    {
        var member = Fold(BuyOutMember(), BuyOutMember().ConfirmCancellation(BuyOut, MidApril));
        member = Fold(member, member.ResolveCharge(Key, ChargeResult.Succeeded, "pi_buy", null, null, MidApril, Policy));

        var outcome = member.ConfirmationOutcome(BuyOut, MidApril);

        Assert.Equal((CancellationStage.Pending, Obligation, new DateOnly(2027, 5, 10)), (outcome.Stage, outcome.ChargedNow!.Amount, outcome.EffectiveOn));
    }

    [Fact]
    public void Confirming_records_one_attempt_for_the_obligation_on_the_card_and_nothing_else()
    {
        var member = BuyOutMember();
        var quote = member.QuoteCancellation(CancellationOption.BuyOut, MidApril);

        var events = member.ConfirmCancellation(BuyOut, MidApril);
        member = Fold(member, events);

        var attempt = Assert.IsType<ChargeAttempted>(Assert.Single(events));
        Assert.Equal((Key, Key, ChargePurpose.BuyOut, "pm_1"), (attempt.AttemptId, attempt.IdempotencyKey, attempt.Purpose, attempt.PaymentMethodId));
        Assert.Equal(quote.RemainingObligation, attempt.Amount);
        Assert.Equal(Obligation, attempt.Amount.Amount);
        Assert.Equal(new BuyOutTerms("relocation", "Moving to Denver", new DateOnly(2027, 5, 10)), attempt.BuyOut);
        Assert.Null(member.PendingCancellation);
        Assert.Null(member.Billing!.EndsOn);
        Assert.Equal(MembershipStatus.Active, member.Status);
        Assert.Equal(Key, member.UnresolvedAttempt!.AttemptId);
        Assert.Equal(2, member.Payments.Count);
    }

    [Fact]
    public void A_paid_charge_records_the_bought_out_cancellation_with_the_period_end_the_payment_and_a_notice_of_the_amount()
    {
        var member = Fold(BuyOutMember(), BuyOutMember().ConfirmCancellation(BuyOut, MidApril));

        var events = member.ResolveCharge(Key, ChargeResult.Succeeded, "pi_buy", null, null, MidApril, Policy);
        member = Fold(member, events);

        var requested = Assert.Single(events.OfType<CancellationRequested>());
        Assert.Equal(("relocation", "Moving to Denver", CancellationOption.BuyOut, new DateOnly(2027, 5, 10), Obligation, true),
            (requested.Reason, requested.Note, requested.Option, requested.EffectiveOn, requested.Obligation.Amount, requested.BoughtOut));
        var payment = Assert.Single(events.OfType<PaymentRecorded>());
        Assert.Equal((BillingCategory.Subscription, PaymentStatus.Succeeded, PaymentMethodKind.CardOnFile, Obligation, "pi_buy", "minimum-term buy-out"),
            (payment.Category, payment.Status, payment.Method, payment.Amount.Amount, payment.Reference, payment.Description));
        Assert.Equal([NoticeKind.CancellationConfirmed, NoticeKind.PaymentReceipt], events.OfType<NoticeIssued>().Select(n => n.Kind));
        var notice = events.OfType<NoticeIssued>().First();
        Assert.Contains("1990.00 USD", notice.Summary, StringComparison.Ordinal);
        Assert.Contains("minimum term, bought out", events.OfType<NoticeIssued>().Last().Summary, StringComparison.Ordinal);
        Assert.Contains("10 May 2027", notice.Summary, StringComparison.Ordinal);

        Assert.Equal(CancellationStage.Pending, member.ConfirmationOutcome(BuyOut, MidApril).Stage);
        Assert.Equal(new DateOnly(2027, 5, 10), member.Billing!.EndsOn);
        Assert.Equal("cancellation_bought_out", Assert.Throws<CommandRejectedException>(() => member.WithdrawCancellation(MidApril)).Code);

        // Nothing more is charged: the membership ends with the period already paid.
        var work = DueWork.At(member.Billing, Local(2027, 6, 1), Policy);
        Assert.Empty(work.Items.OfType<DueItem.ChargePeriod>());
        Assert.Equal(new DateOnly(2027, 5, 10), Assert.IsType<DueItem.EndMembership>(Assert.Single(work.Items)).On);
    }

    [Fact]
    public void A_decline_changes_nothing_but_the_attempt_and_a_new_confirmation_tries_again_under_the_next_key()
    {
        var before = Fold(BuyOutMember(), BuyOutMember().ConfirmCancellation(BuyOut, MidApril));

        var events = before.ResolveCharge(Key, ChargeResult.SoftDecline, "pi_buy", "card_declined", "Your card was declined.", MidApril, Policy);
        var member = Fold(before, events);

        Assert.IsType<ChargeResolved>(Assert.Single(events));
        Assert.Equal((MembershipStatus.Active, null, null), (member.Status, member.PendingCancellation, member.Billing!.EndsOn));
        Assert.Null(member.Dunning);
        Assert.Equal(before.Payments, member.Payments);
        Assert.Equal(before.Notices, member.Notices);
        Assert.Equal(ChargeResult.SoftDecline, Assert.Single(member.ChargeAttempts, a => a.Purpose == ChargePurpose.BuyOut).Result);
        var outcome = member.ConfirmationOutcome(BuyOut, MidApril);
        Assert.Equal((CancellationStage.PaymentDeclined, Key, "card_declined"), (outcome.Stage, outcome.AttemptId, outcome.DeclineCode));

        var again = Assert.IsType<ChargeAttempted>(Assert.Single(member.ConfirmCancellation(BuyOut, MidApril.AddHours(1))));
        Assert.Equal(("buy-out:mem_1:2027-05-10:2", 2), (again.AttemptId, again.Attempt));
    }

    [Fact]
    public void A_retried_confirmation_while_the_answer_is_unknown_records_no_second_attempt_and_the_same_key_settles_it()
    {
        var member = Fold(BuyOutMember(), BuyOutMember().ConfirmCancellation(BuyOut, MidApril));
        Assert.Empty(member.ResolveCharge(Key, ChargeResult.Unknown, null, null, "timeout", MidApril, Policy));

        Assert.Empty(member.ConfirmCancellation(BuyOut, MidApril.AddMinutes(1)));
        var waiting = member.ConfirmationOutcome(BuyOut, MidApril.AddMinutes(1));
        Assert.Equal((CancellationStage.PaymentUnknown, Key), (waiting.Stage, waiting.AttemptId));
        Assert.Single(member.ChargeAttempts, a => a.Purpose == ChargePurpose.BuyOut);

        // Another request must wait for the open charge rather than risk a paid buy-out meeting a different cancellation.
        Assert.Equal("charge_in_progress", Assert.Throws<CommandRejectedException>(() =>
            member.ConfirmCancellation(new CancellationRequest("relocation", Confirm: true), MidApril.AddMinutes(1))).Code);

        // The billing run (or the retry) finds the charge hours later: the cancellation is the one asked for.
        member = Fold(member, member.ResolveCharge(Key, ChargeResult.Succeeded, "pi_buy", null, null, MidApril.AddHours(3), Policy));
        Assert.Equal((new DateOnly(2027, 5, 10), true), (member.PendingCancellation!.EffectiveOn, member.PendingCancellation.BoughtOut));
        Assert.Empty(member.ConfirmCancellation(BuyOut, MidApril.AddHours(4)));
        Assert.Single(member.ChargeAttempts, a => a.Purpose == ChargePurpose.BuyOut);
    }

    [Fact]
    public void Without_a_card_on_file_it_is_refused_and_points_to_adding_one_or_continuing_to_the_term_end()
    {
        var member = Fold(BuyOutMember(), BuyOutMember().RemoveCard("pm_1", "detached", MidApril));

        var e = Assert.Throws<CommandRejectedException>(() => member.ConfirmCancellation(BuyOut, MidApril));

        Assert.Equal((RejectionKind.Conflict, "no_card_on_file"), (e.Kind, e.Code));
        Assert.Contains("add a card", e.Message, StringComparison.Ordinal);
        Assert.Contains("continue_to_term_end", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_subscription_charge_still_open_blocks_the_buy_out_until_it_is_settled()
    {
        var member = Active(PlanExamples.Premium with { Cancellation = CancellationPolicy.BuyOut });
        member = Fold(member, member.StartCharge("mem_1", Renewal));

        Assert.Equal("charge_in_progress", Assert.Throws<CommandRejectedException>(() => member.ConfirmCancellation(BuyOut, Renewal.AddHours(1))).Code);
    }
}
