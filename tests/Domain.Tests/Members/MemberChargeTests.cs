using MedSpa.Billing;
using MedSpa.Domain.Billing;
using MedSpa.Domain.Members;
using MedSpa.Domain.Plans;
using MedSpa.Domain.Tests.Plans;
using MedSpa.Members;

namespace MedSpa.Domain.Tests.Members;

/// <summary>Card charges as the member records them: journaled before the call, resolved after it, never paid twice.</summary>
public sealed class MemberChargeTests
{
    private static readonly DateTimeOffset Now = new(2027, 3, 10, 15, 0, 0, TimeSpan.Zero);
    private static readonly CardOnFile Visa = new("pm_1", "visa", "4242", 12, 2030);

    [Fact]
    public void An_attempt_is_recorded_before_the_call_with_the_idempotency_key_as_its_id()
    {
        var member = EnrolledWithCard();

        var attempt = Assert.IsType<ChargeAttempted>(Assert.Single(member.StartCharge("mem_1", Now)));

        Assert.Equal("charge:mem_1:2027-03-10:1", attempt.IdempotencyKey);
        Assert.Equal(attempt.IdempotencyKey, attempt.AttemptId);
        Assert.Equal(PlanExamples.Usd(19_900), attempt.Amount);
    }

    [Fact]
    public void A_paid_attempt_pays_the_period_and_allocates_its_credits_and_a_second_answer_changes_nothing()
    {
        var member = Charging(EnrolledWithCard(), out var attemptId);

        member = Fold(member, member.ResolveCharge(attemptId, ChargeResult.Succeeded, "pi_1", null, null, Now, DunningPolicy.Default));

        Assert.Equal(MembershipStatus.Active, member.Status);
        Assert.Equal("pi_1", Assert.Single(member.Payments).Reference);
        Assert.Equal(1, member.Credits.Available("units:svc_tox", Now));
        Assert.Empty(member.ResolveCharge(attemptId, ChargeResult.Succeeded, "pi_1", null, null, Now, DunningPolicy.Default));
        Assert.Equal("nothing_due", Assert.Throws<CommandRejectedException>(() => member.StartCharge("mem_1", Now)).Code);
    }

    [Theory]
    [InlineData(ChargeResult.Unknown)]
    [InlineData(ChargeResult.RateLimited)]
    public void An_unknown_outcome_keeps_the_attempt_open_and_blocks_any_other_charge(ChargeResult result)
    {
        var member = Charging(EnrolledWithCard(), out var attemptId);

        Assert.Empty(member.ResolveCharge(attemptId, result, null, null, null, Now, DunningPolicy.Default));
        Assert.Equal(attemptId, member.UnresolvedAttempt?.AttemptId);
        Assert.Equal("charge_in_progress", Assert.Throws<CommandRejectedException>(() => member.StartCharge("mem_1", Now)).Code);
        Assert.Equal("charge_in_progress", Assert.Throws<CommandRejectedException>(() =>
            member.RecordDeskPayment(new DeskPayment("pay_desk", PaymentMethodKind.Cash, PlanExamples.Usd(19_900)), Now)).Code);
    }

    [Fact]
    public void A_declined_first_charge_keeps_the_membership_waiting_and_the_next_attempt_is_numbered_two()
    {
        var member = Charging(EnrolledWithCard(), out var attemptId);

        member = Fold(member, member.ResolveCharge(attemptId, ChargeResult.SoftDecline, "pi_1", "insufficient_funds", "Your card has insufficient funds.", Now, DunningPolicy.Default));

        Assert.Equal(MembershipStatus.PendingPayment, member.Status);
        Assert.Equal("insufficient_funds", Assert.Single(member.ChargeAttempts).DeclineCode);
        Assert.Equal(2, Assert.IsType<ChargeAttempted>(Assert.Single(member.StartCharge("mem_1", Now))).Attempt);
    }

    [Fact]
    public void Charging_needs_a_card_on_file()
    {
        var member = EnrolledWithCard() with { Card = null };

        Assert.Equal("no_card_on_file", Assert.Throws<CommandRejectedException>(() => member.StartCharge("mem_1", Now)).Code);
    }

    private static Member EnrolledWithCard()
    {
        var premium = PlanHistory.Create(null, "plan_premium", PlanExamples.Premium, PlanExamples.Catalogue, Now).Current;
        var member = Fold(Member.Unregistered, Member.Unregistered.Register(
            "mem_1", new NewClient("Ava", "Stone", "ava@example.com", null, "loc_downtown"), Registrar.Staff, PlanExamples.Catalogue.Locations, Now));
        member = Fold(member, member.SaveCard("cus_1", Visa, Now));
        return Fold(member, member.Enrol(new EnrolmentRequest("plan_premium", new AgreementAcceptance("Ava Stone", true)),
            new SignatureContext("portal", null, null), premium, PlanExamples.Catalogue, Now));
    }

    private static Member Charging(Member member, out string attemptId)
    {
        member = Fold(member, member.StartCharge("mem_1", Now));
        attemptId = member.UnresolvedAttempt!.AttemptId;
        return member;
    }

    private static Member Fold(Member member, IEnumerable<MemberEvent> events) => events.Aggregate(member, (state, e) => state.Apply(e));
}
