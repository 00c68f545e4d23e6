using MedSpa.Billing;
using MedSpa.Domain.Billing;
using MedSpa.Domain.Members;
using MedSpa.Domain.Tests.Plans;
using MedSpa.Members;
using MedSpa.Plans;
using static MedSpa.Domain.Tests.Members.LifecycleExamples;

namespace MedSpa.Domain.Tests.Members;

/// <summary>
/// Every card payment that goes through gets one receipt: the first charge, each renewal, an upgrade, a suspended member
/// coming back. Ava enrols on Premium ($199) on 10 March 2027 in New York on a Visa ending in 4242.
/// </summary>
public sealed class MemberReceiptTests
{
    [Fact]
    public void The_first_charge_at_enrolment_gets_a_receipt_for_the_period_on_the_card_with_the_payment_id()
    {
        var member = Active();

        var receipt = Assert.Single(member.Notices, n => n.Kind == NoticeKind.PaymentReceipt);
        var payment = Assert.Single(member.Payments);
        Assert.Equal(("receipt:" + payment.PaymentId, "ava@example.com", EnrolledAt), (receipt.NoticeId, receipt.Email, receipt.OccurredAt));
        Assert.Equal(
            $"We received 199.00 USD for your Premium membership for 10 March 2027 to 10 April 2027, charged to your Visa card ending in 4242. Payment reference: {payment.PaymentId}.",
            receipt.Summary);
    }

    [Fact]
    public void A_renewal_gets_its_own_receipt_once_and_resolving_the_charge_again_issues_nothing()
    {
        var member = Fold(Active(), Active().StartCharge("mem_1", Renewal));
        var attemptId = member.UnresolvedAttempt!.AttemptId;

        var events = member.ResolveCharge(attemptId, ChargeResult.Succeeded, "pi_april", null, null, Renewal, Policy);
        member = Fold(member, events);

        var receipt = Assert.IsType<NoticeIssued>(events[^1]);
        Assert.Equal(NoticeKind.PaymentReceipt, receipt.Kind);
        Assert.Equal("receipt:" + member.Payments[^1].PaymentId, receipt.NoticeId);
        Assert.Contains("for 10 April 2027 to 10 May 2027", receipt.Summary, StringComparison.Ordinal);
        Assert.Equal(2, member.Notices.Count(n => n.Kind == NoticeKind.PaymentReceipt));

        Assert.Empty(member.ResolveCharge(attemptId, ChargeResult.Succeeded, "pi_april", null, null, Renewal.AddMinutes(5), Policy));
        Assert.Empty(member.SettleFromProcessor(new ProcessorCharge("pi_april", attemptId, ChargeResult.Succeeded), Renewal.AddMinutes(5), Policy));
    }

    [Fact]
    public void A_declined_charge_and_a_desk_payment_get_no_card_receipt()
    {
        var declined = Charge(Active(), Renewal, ChargeResult.SoftDecline, "insufficient_funds");
        Assert.Single(declined.Notices, n => n.Kind == NoticeKind.PaymentReceipt);

        var atDesk = PendingPayment();
        atDesk = Fold(atDesk, atDesk.RecordDeskPayment(new DeskPayment("pay_desk", PaymentMethodKind.Cash, PlanExamples.Usd(19_900)), EnrolledAt));
        Assert.DoesNotContain(atDesk.Notices, n => n.Kind == NoticeKind.PaymentReceipt);
    }

    [Fact]
    public void An_upgrade_charge_gets_a_receipt_for_the_plan_change_and_a_declined_one_does_not()
    {
        var platinum = MemberPlanChangeTests.Version("plan_platinum", PlanExamples.Premium with { Name = "Platinum", MonthlyPrice = PlanExamples.Usd(29_900) });
        var changeAt = new DateTimeOffset(2027, 3, 20, 15, 0, 0, TimeSpan.Zero);
        var member = Fold(Active(), Active().ConfirmPlanChange("mem_1", "chg_up", platinum, changeAt));
        var attemptId = member.UnresolvedAttempt!.AttemptId;

        var declined = member.ResolveCharge(attemptId, ChargeResult.SoftDecline, "pi_no", "insufficient_funds", null, changeAt, Policy);
        Assert.DoesNotContain(declined, e => e is NoticeIssued);

        member = Fold(member, declined);
        member = Fold(member, member.ConfirmPlanChange("mem_1", "chg_up", platinum, changeAt));
        var paid = member.ResolveCharge(member.UnresolvedAttempt!.AttemptId, ChargeResult.Succeeded, "pi_up", null, null, changeAt, Policy);
        member = Fold(member, paid);

        var receipt = Assert.Single(paid.OfType<NoticeIssued>());
        Assert.Equal(NoticeKind.PaymentReceipt, receipt.Kind);
        // $100 more a month × 21 of 31 days.
        Assert.Equal(
            $"We received 67.74 USD for your plan change to Platinum, for the rest of the current billing period, charged to your Visa card ending in 4242. Payment reference: {member.Payments[^1].PaymentId}.",
            receipt.Summary);
    }

    [Fact]
    public void A_suspended_member_who_gives_a_new_card_gets_a_receipt_for_the_period_they_come_back_in_on_that_card()
    {
        var member = Suspended();
        var backAt = new DateTimeOffset(2027, 5, 12, 16, 0, 0, TimeSpan.Zero);
        member = Fold(member, member.SaveCard("cus_1", new CardOnFile("pm_2", "mastercard", "4444", 8, 2031), backAt));

        member = Charge(member, backAt, ChargeResult.Succeeded, null);

        Assert.Equal(MembershipStatus.Active, member.Status);
        var receipt = member.Notices[^1];
        Assert.Equal(NoticeKind.PaymentReceipt, receipt.Kind);
        Assert.Contains("for 10 May 2027 to 10 June 2027, charged to your Mastercard card ending in 4444", receipt.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void A_charge_settled_after_the_card_was_replaced_does_not_name_the_new_card()
    {
        var member = Fold(Active(), Active().StartCharge("mem_1", Renewal));
        member = Fold(member, member.SaveCard("cus_1", new CardOnFile("pm_2", "amex", "0005", 1, 2032), Renewal.AddMinutes(1)));

        var events = member.ResolveCharge(member.UnresolvedAttempt!.AttemptId, ChargeResult.Succeeded, "pi_late", null, null, Renewal.AddMinutes(2), Policy);

        var receipt = Assert.IsType<NoticeIssued>(events[^1]);
        Assert.Contains("charged to your card. Payment reference", receipt.Summary, StringComparison.Ordinal);
        Assert.DoesNotContain("0005", receipt.Summary, StringComparison.Ordinal);
    }
}
