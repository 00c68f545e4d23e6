using MedSpa.Domain.Billing;
using MedSpa.Domain.Members;
using MedSpa.Domain.Plans;
using MedSpa.Domain.Tests.Plans;
using MedSpa.Members;
using MedSpa.Plans;

namespace MedSpa.Domain.Tests.Members;

/// <summary>The member's rules end to end in the domain: enrolment, the paid period, the membership gates, checkout.</summary>
public sealed class MemberTests
{
    // 22:30 on 30 January in New York, already 31 January in UTC.
    private static readonly DateTimeOffset EnrolledAt = new(2027, 1, 31, 3, 30, 0, TimeSpan.Zero);
    private static readonly SignatureContext Desk = new("desk:frontdesk", "10.0.0.7", "Tablet/2");
    private static readonly PlanVersion Premium =
        PlanHistory.Create(null, "plan_premium", PlanExamples.Premium, PlanExamples.Catalogue, EnrolledAt).Current;

    [Fact]
    public void The_anchor_day_is_the_enrolment_day_in_the_home_locations_time_zone()
    {
        var member = Enrolled();

        Assert.Equal(new DateOnly(2027, 1, 30), member.Enrolment!.EnrolledOn);
        Assert.Equal(30, member.Enrolment.AnchorDay);
        Assert.Equal(new DateOnly(2028, 1, 30), member.Enrolment.TermEnd);
        Assert.Equal(MembershipStatus.PendingPayment, member.Status);
        Assert.Equal(PlanExamples.Usd(19_900), member.AmountDue);
    }

    [Fact]
    public void The_agreement_is_kept_verbatim_with_its_hash_and_the_signatures_evidence()
    {
        var agreement = Enrolled().RequireAgreement();

        Assert.Equal(AgreementText.Sha256(agreement.Text), agreement.Sha256);
        Assert.Equal(("desk:frontdesk", "10.0.0.7", "Tablet/2", EnrolledAt), (agreement.SignedVia, agreement.IpAddress, agreement.UserAgent, agreement.SignedAt));
        Assert.Equal(("plan_premium", 1), (agreement.PlanId, agreement.PlanVersion));
    }

    [Fact]
    public void A_plan_not_sold_at_the_home_location_cannot_be_signed()
    {
        var downtownOnly = Premium with { Terms = Premium.Terms with { LocationIds = ["loc_bayside"] } };

        var refusal = Assert.Throws<CommandRejectedException>(() =>
            Registered().Enrol(new EnrolmentRequest("plan_premium", new AgreementAcceptance("Ava Stone", true)), Desk, downtownOnly, PlanExamples.Catalogue, EnrolledAt));

        Assert.Equal("plan_not_sold_here", refusal.Code);
    }

    [Fact]
    public void A_paid_period_activates_and_allocates_lots_that_expire_at_the_next_charge_unless_they_roll_over()
    {
        var member = Paid();

        Assert.Equal(MembershipStatus.Active, member.Status);
        Assert.Equal(new BillingPeriod(new DateOnly(2027, 1, 30), new DateOnly(2027, 2, 28)), member.PaidPeriod);
        var lots = member.Credits.Lots.ToDictionary(l => l.BenefitKey);
        Assert.Null(lots["units:svc_tox"].ExpiresAt);
        Assert.Equal(new DateTimeOffset(2027, 2, 28, 9, 0, 0, TimeSpan.FromHours(-5)), lots["dollars:facial"].ExpiresAt);
        Assert.Null(member.AmountDue);
    }

    [Fact]
    public void The_next_paid_period_expires_the_last_ones_dollars_and_rolls_units_over_within_the_cap()
    {
        var member = Paid();
        var chargedAt = EnrolledAt;
        for (var month = 0; month < 4; month++)
        {
            chargedAt = BillingCalendar.ChargeInstant(member.NextPeriodStart!.Value, member.Enrolment!.Zone);
            member = Fold(member, member.PayPeriod(member.NextPeriodStart!.Value, $"pay_{month}", chargedAt));
        }

        Assert.Equal(new DateOnly(2027, 5, 30), member.PaidPeriod!.Start);
        var balances = member.CreditsView("mem_1", chargedAt).Balances.ToDictionary(b => b.BenefitKey);
        Assert.Equal(3, balances["units:svc_tox"].Balance);
        Assert.Equal(2, balances["units:svc_tox"].Expired);
        Assert.Equal(5_000, balances["dollars:facial"].Balance);
        Assert.Equal(20_000, balances["dollars:facial"].Expired);
    }

    [Theory]
    [InlineData(MembershipStatus.Suspended, "membership_suspended")]
    [InlineData(MembershipStatus.Paused, "membership_paused")]
    public void A_suspended_or_paused_member_cannot_redeem_included_services_and_pays_as_a_non_member(MembershipStatus status, string code)
    {
        var member = Paid() with { Status = status };

        var refusal = Assert.Throws<CommandRejectedException>(() => member.Redeem(new RedemptionRequest("red_1", "units:svc_tox", 1), EnrolledAt));
        var quote = member.PriceBasket(new Basket([new BasketItem("svc_tox"), new BasketItem("svc_hydra")]), PlanExamples.Catalogue.Services, EnrolledAt);

        Assert.Equal(code, refusal.Code);
        Assert.False(quote.MemberPricing);
        Assert.Equal(code, quote.Notice?.Code);
        Assert.Equal(30_000 + 19_900, quote.AmountDue.Amount);
    }

    [Fact]
    public void A_checkout_redeems_what_its_quote_used_and_a_replay_records_nothing()
    {
        var member = Paid();
        var request = new CheckoutRequest("chk_1", new Basket([new BasketItem("svc_tox", 2)]), Settlement.Cash);
        var quote = member.PriceBasket(request.Basket, PlanExamples.Catalogue.Services, EnrolledAt);

        var after = Fold(member, member.Checkout(request, PlanExamples.Catalogue.Services, EnrolledAt));

        Assert.Equivalent(quote, after.RequireCheckout("chk_1").Quote, strict: true);
        Assert.Equal(0, after.Credits.Available("units:svc_tox", EnrolledAt));
        var payment = Assert.Single(after.Payments, p => p.Category == BillingCategory.Treatment);
        Assert.Equal(30_000 - 3_000, payment.Amount.Amount);
        Assert.Empty(after.Checkout(request, PlanExamples.Catalogue.Services, EnrolledAt));
        Assert.Equal("checkout_id_reused", Assert.Throws<CommandRejectedException>(() =>
            after.Checkout(request with { Settlement = Settlement.Invoice }, PlanExamples.Catalogue.Services, EnrolledAt)).Code);
    }

    [Fact]
    public void Every_decision_leaves_a_state_that_the_log_rebuilds_exactly()
    {
        var log = new List<MemberEvent>();
        var member = Member.Unregistered;
        void Do(IReadOnlyList<MemberEvent> events)
        {
            log.AddRange(events);
            member = Fold(member, events);
        }

        Do(member.Register("mem_1", new NewClient("Ava", "Stone", "Ava@Example.com", null, "loc_downtown"), Registrar.Staff, PlanExamples.Catalogue.Locations, EnrolledAt));
        Do(member.Enrol(new EnrolmentRequest("plan_premium", new AgreementAcceptance("Ava Stone", true)), Desk, Premium, PlanExamples.Catalogue, EnrolledAt));
        Do(member.RecordDeskPayment(new DeskPayment("pay_1", PaymentMethodKind.Cash, PlanExamples.Usd(19_900)), EnrolledAt));
        Do(member.Redeem(new RedemptionRequest("red_1", "units:svc_tox", 1), EnrolledAt));
        Do(member.AdjustCredits(new CreditAdjustmentRequest("adj_1", "dollars:facial", -1_000, "Goodwill correction"), EnrolledAt));

        var rebuilt = log.Aggregate(Member.Unregistered, (state, e) => state.Apply(e));
        Assert.Equal(member.Membership("mem_1"), rebuilt.Membership("mem_1"));
        Assert.Equal(member.Credits, rebuilt.Credits);
        Assert.Equal("ava@example.com", rebuilt.Profile!.Email);
    }

    private static Member Registered() =>
        Fold(Member.Unregistered, Member.Unregistered.Register(
            "mem_1", new NewClient("Ava", "Stone", "ava@example.com", null, "loc_downtown"), Registrar.Staff, PlanExamples.Catalogue.Locations, EnrolledAt));

    private static Member Enrolled()
    {
        var member = Registered();
        return Fold(member, member.Enrol(new EnrolmentRequest("plan_premium", new AgreementAcceptance(" ava  STONE ", true)), Desk, Premium, PlanExamples.Catalogue, EnrolledAt));
    }

    private static Member Paid()
    {
        var member = Enrolled();
        return Fold(member, member.RecordDeskPayment(new DeskPayment("pay_first", PaymentMethodKind.CardTerminal, PlanExamples.Usd(19_900)), EnrolledAt));
    }

    private static Member Fold(Member member, IEnumerable<MemberEvent> events) => events.Aggregate(member, (state, e) => state.Apply(e));
}
