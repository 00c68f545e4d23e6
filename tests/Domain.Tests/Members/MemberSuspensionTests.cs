using MedSpa.Billing;
using MedSpa.Domain.Members;
using MedSpa.Domain.Tests.Plans;
using MedSpa.Members;
using MedSpa.Practice;
using static MedSpa.Domain.Tests.Members.LifecycleExamples;

namespace MedSpa.Domain.Tests.Members;

/// <summary>
/// A membership suspended for non-payment (issue 19, findings 6 and 8): its credits are frozen, its included services
/// cannot be redeemed or booked, everyone is told since when, and the board counts the attempts the member's page lists.
/// </summary>
public sealed class MemberSuspensionTests
{
    private static readonly DateOnly April = new(2027, 4, 10);
    private static readonly DateTimeOffset SuspendedAt = Renewal.AddHours(72);
    private static readonly DateTimeOffset Later = Renewal.AddDays(5);

    private static Service Service(string id) => PlanExamples.Catalogue.Services.Single(s => s.Id == id);

    [Fact]
    public void The_membership_says_since_which_local_day_it_is_suspended()
    {
        Assert.Equal(new DateOnly(2027, 4, 13), Suspended().Membership("mem_1").SuspendedOn);
        Assert.Null(PastDue().Membership("mem_1").SuspendedOn);
        Assert.Null(Active().Membership("mem_1").SuspendedOn);
    }

    [Fact]
    public void The_board_counts_every_declined_attempt_on_the_period_the_last_one_that_suspended_included()
    {
        var member = Suspended();

        var line = member.FailedPaymentLine("mem_1", Policy)!;

        var listed = member.ChargeAttempts.Count(a => a.PeriodStart == line.PeriodStart);
        Assert.Equal(3, listed);
        Assert.Equal(listed, line.FailedAttempts);
        Assert.Equal((MembershipStatus.Suspended, (DateTimeOffset?)SuspendedAt, (DateTimeOffset?)SuspendedAt.AddDays(30)), (line.Status, line.SuspendedAt, line.CancelAt));
        Assert.Null(line.LapseAt);

        // A new card that declines too is one more attempt on the same period, on the page and on the board.
        member = Fold(member, member.SaveCard("cus_1", new CardOnFile("pm_2", "visa", "0002", 12, 2031), Later));
        member = Charge(member, Later, ChargeResult.SoftDecline, "card_declined");
        Assert.Equal(4, member.ChargeAttempts.Count(a => a.PeriodStart == April));
        Assert.Equal(4, member.FailedPaymentLine("mem_1", Policy)!.FailedAttempts);
    }

    [Fact]
    public void A_member_who_is_not_behind_has_no_board_line()
    {
        Assert.Null(Active().FailedPaymentLine("mem_1", Policy));
        Assert.Null(Registered().FailedPaymentLine("mem_1", Policy));
        Assert.NotNull(PastDue().FailedPaymentLine("mem_1", Policy));
    }

    [Fact]
    public void Included_services_cannot_be_redeemed_and_nothing_is_recorded()
    {
        var member = Suspended();
        IReadOnlyList<MemberEvent>? events = null;

        var e = Assert.Throws<CommandRejectedException>(() => events = member.Redeem(new RedemptionRequest("red_1", "units:svc_tox", 1, "svc_tox"), Later));

        Assert.Equal("membership_suspended", e.Code);
        Assert.Null(events);
    }

    [Fact]
    public void At_checkout_no_credit_is_used_and_the_treatment_is_priced_in_full_with_the_reason()
    {
        var member = Suspended();

        var quote = member.PriceBasket(new Basket([new BasketItem("svc_tox")]), PlanExamples.Catalogue.Services, Later);

        Assert.Equal("membership_suspended", quote.Notice!.Code);
        Assert.Empty(quote.Lines.Single().Credits);
        Assert.Equal(PlanExamples.Usd(30_000), quote.AmountDue);
        var events = member.Checkout(new CheckoutRequest("chk_1", new Basket([new BasketItem("svc_tox")]), Settlement.CardTerminal), PlanExamples.Catalogue.Services, Later);
        Assert.DoesNotContain(events, e => e is CreditsRedeemed);
    }

    [Theory]
    [InlineData("svc_tox")]
    [InlineData("svc_hydra")]
    [InlineData("svc_peel")]
    public void A_service_the_plan_includes_cannot_be_booked_while_suspended(string serviceId)
    {
        var e = Assert.Throws<CommandRejectedException>(() => Suspended().RequireBookable(Service(serviceId)));

        Assert.Equal("membership_suspended", e.Code);
        Assert.Contains("update", e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("svc_filler")]
    [InlineData("svc_serum")]
    public void A_service_the_plan_does_not_include_is_booked_and_paid_in_full_as_anyone_would(string serviceId) =>
        Suspended().RequireBookable(Service(serviceId));

    [Fact]
    public void Everyone_else_books_anything()
    {
        foreach (var member in new[] { Registered(), PendingPayment(), Active(), PastDue(), Paused(Local(2027, 4, 1)) })
        {
            member.RequireBookable(Service("svc_tox"));
        }
    }
}
