using MedSpa.Domain.Plans;
using MedSpa.Plans;
using static MedSpa.Domain.Tests.Plans.PlanExamples;

namespace MedSpa.Domain.Tests.Plans;

public sealed class PlanHistoryTests
{
    private static readonly DateTimeOffset Later = Now.AddDays(10);

    private static Plan Created() => PlanHistory.Create(null, "plan_premium", Premium, Catalogue, Now);

    [Fact]
    public void A_new_plan_has_its_normalised_terms_as_version_1()
    {
        var plan = Created();

        Assert.Equal(("plan_premium", Now), (plan.Id, plan.CreatedAt));
        var version = Assert.Single(plan.Versions);
        Assert.Equal(("plan_premium", 1, Now), (version.PlanId, version.Version, version.CreatedAt));
        Assert.Same(version, plan.Current);
        Assert.True(PlanRules.Same(PlanRules.Normalise(Premium, Catalogue), version.Terms));
    }

    [Fact]
    public void A_plan_cannot_be_created_twice()
    {
        var refusal = Assert.Throws<CommandRejectedException>(() => PlanHistory.Create(Created(), "plan_premium", Premium, Catalogue, Later));

        Assert.Equal(("plan_exists", RejectionKind.Conflict), (refusal.Code, refusal.Kind));
    }

    [Fact]
    public void Invalid_terms_create_no_plan() =>
        Assert.Equal("invalid_price", Assert.Throws<CommandRejectedException>(() =>
            PlanHistory.Create(null, "plan_premium", Premium with { MonthlyPrice = Usd(0) }, Catalogue, Now)).Code);

    [Fact]
    public void Revising_adds_a_version_and_keeps_the_earlier_one_as_it_was()
    {
        var plan = Created();

        var revised = PlanHistory.Revise(plan, plan.Id, Premium with { MonthlyPrice = Usd(21_900) }, Catalogue, Later);

        Assert.Equal([1, 2], revised.Versions.Select(v => v.Version));
        Assert.Same(plan.Versions[0], revised.Versions[0]);
        Assert.Equal((Later, Usd(21_900)), (revised.Current.CreatedAt, revised.Current.Terms.MonthlyPrice));
        Assert.Equal((plan.Id, Now), (revised.Id, revised.CreatedAt));
        Assert.Single(plan.Versions);
    }

    [Fact]
    public void A_renamed_plan_keeps_its_id()
    {
        var revised = PlanHistory.Revise(Created(), "plan_premium", Premium with { Name = "Premium Plus" }, Catalogue, Later);

        Assert.Equal(("plan_premium", "plan_premium", "Premium Plus"), (revised.Id, revised.Current.PlanId, revised.Current.Terms.Name));
    }

    [Fact]
    public void Revising_to_the_current_terms_adds_no_version()
    {
        var plan = Created();

        // Spelt differently but meaning the same: normalised they are the current terms.
        var again = PlanHistory.Revise(plan, plan.Id, Premium with { Name = " Premium ", Pause = new PauseRules(), LocationIds = [] }, Catalogue, Later);

        Assert.Same(plan, again);
    }

    [Fact]
    public void Going_back_to_earlier_terms_is_a_new_version()
    {
        var plan = Created();
        var raised = PlanHistory.Revise(plan, plan.Id, Premium with { MonthlyPrice = Usd(21_900) }, Catalogue, Later);

        var back = PlanHistory.Revise(raised, plan.Id, Premium, Catalogue, Later.AddDays(1));

        Assert.Equal(3, back.Current.Version);
        Assert.True(PlanRules.Same(plan.Current.Terms, back.Current.Terms));
    }

    [Fact]
    public void Invalid_new_terms_leave_the_plan_as_it_was() =>
        Assert.Equal("unknown_service", Assert.Throws<CommandRejectedException>(() =>
            PlanHistory.Revise(Created(), "plan_premium", WithBenefit(new Benefit(BenefitKind.TreatmentUnits, ServiceId: "svc_gone", Units: 1)), Catalogue, Later)).Code);

    [Fact]
    public void A_plan_never_created_is_not_found()
    {
        Assert.Equal(("plan_not_found", RejectionKind.NotFound), Code(() => PlanHistory.Revise(null, "plan_gold", Premium, Catalogue, Now)));
        Assert.Equal(("plan_not_found", RejectionKind.NotFound), Code(() => PlanHistory.Require(null, "plan_gold")));

        static (string, RejectionKind) Code(Action act)
        {
            var refusal = Assert.Throws<CommandRejectedException>(act);
            return (refusal.Code, refusal.Kind);
        }
    }
}
