using MedSpa.Domain.Billing;
using MedSpa.Domain.Members;
using MedSpa.Domain.Reporting;
using MedSpa.Domain.Tests.Plans;
using MedSpa.Import;
using MedSpa.Members;
using static MedSpa.Domain.Tests.Members.LifecycleExamples;

namespace MedSpa.Domain.Tests.Import;

/// <summary>A member moving in: their membership as it stands, their balances in the ledger, and no charge on import day.</summary>
public sealed class MemberImportTests
{
    private static readonly DateTimeOffset ImportedAt = EnrolledAt; // Wednesday 10 March 2027, 10:00 in New York

    private static MemberImport Ava(MembershipStatus status = MembershipStatus.Active, int billingDay = 15, DateOnly? pausedUntil = null, ImportedCard? card = null) => new(
        "ava@example.com", new NewClient("Ava", "Stone", "ava@example.com", null, "loc_downtown"), "plan_premium", new DateOnly(2025, 1, billingDay == 31 ? 31 : 15),
        billingDay, null, status, pausedUntil,
        [new OpeningBalance("units:svc_tox", 2, null), new OpeningBalance("dollars:facial", 3_500, new DateOnly(2027, 3, 31)), new OpeningBalance("units:svc_tox", 0, null)],
        card);

    private static Member Import(MemberImport import) => Fold(Member.Unregistered, Member.Unregistered.Import("mem_ava", import, PlanOf(PlanExamples.Premium), PlanExamples.Catalogue.Locations, ImportedAt));

    [Fact]
    public void An_active_member_keeps_their_billing_day_and_is_first_billed_on_it_not_on_import_day()
    {
        var card = new ImportedCard("cus_old", new CardOnFile("pm_old", "visa", "4242", 12, 2030));
        var ava = Import(Ava(card: card));

        var membership = ava.Membership("mem_ava");
        Assert.Equal((MembershipStatus.Active, 15, new DateOnly(2027, 3, 15)), (membership.Status, membership.AnchorDay, membership.NextBillingDate));
        Assert.Equal(new DateOnly(2025, 1, 15), membership.EnrolledOn);
        Assert.Equal(new DateOnly(2026, 1, 15), membership.TermEnd);
        Assert.Equal(card.Card, ava.Card);
        Assert.Equal("cus_old", ava.CustomerId);
        Assert.Empty(ava.ChargeAttempts);
        Assert.Null(ava.PeriodOwed(ImportedAt));
        Assert.Throws<CommandRejectedException>(ava.RequireAgreement);

        // Nothing is due until the 15th at 09:00 local, and then exactly that period.
        var work = DueWork.At(ava.Billing!, ImportedAt, Policy);
        Assert.DoesNotContain(work.Items, i => i is DueItem.ChargePeriod);
        Assert.Equal(BillingCalendar.ChargeInstant(new DateOnly(2027, 3, 15), NewYork), work.NextDueAt);
    }

    [Fact]
    public void Opening_balances_are_import_adjustments_and_the_ledger_balances_from_day_one()
    {
        var events = Member.Unregistered.Import("mem_ava", Ava(), PlanOf(PlanExamples.Premium), PlanExamples.Catalogue.Locations, ImportedAt);
        var adjustments = events.OfType<CreditsAdjusted>().ToList();
        Assert.Equal(["units:svc_tox", "dollars:facial"], adjustments.Select(a => a.BenefitKey));
        Assert.All(adjustments, a => Assert.Equal(Member.ImportReason, a.Reason));
        // Undated rolling credit lasts; dated credit lasts to the end of its day in the home location.
        Assert.Null(adjustments[0].ExpiresAt);
        Assert.Equal(BillingCalendar.LocalInstant(new DateTime(2027, 4, 1), NewYork), adjustments[1].ExpiresAt);

        var ava = Fold(Member.Unregistered, events);
        foreach (var balance in ava.CreditsView("mem_ava", ImportedAt).Balances)
        {
            Assert.Equal(balance.Allocated + balance.Adjusted, balance.Redeemed + balance.Expired + balance.Balance);
        }

        Assert.Equal([2L, 3_500L], ava.CreditsView("mem_ava", ImportedAt).Balances.OrderByDescending(b => b.BenefitKey).Select(b => b.Balance));
    }

    [Fact]
    public void Today_as_billing_day_is_charged_today_as_it_would_have_been_anyway()
    {
        var ava = Import(Ava(billingDay: 10));
        Assert.Equal(new DateOnly(2027, 3, 10), ava.Membership("mem_ava").NextBillingDate);
        Assert.Equal(new DateOnly(2027, 3, 10), ava.PeriodOwed(Local(2027, 3, 10, hour: 10)));
    }

    [Fact]
    public void A_31st_billing_day_is_clamped_in_short_months()
    {
        var ava = Fold(Member.Unregistered, Member.Unregistered.Import("mem_ava", Ava(billingDay: 31), PlanOf(PlanExamples.Premium), PlanExamples.Catalogue.Locations, Local(2027, 2, 10)));
        Assert.Equal(new DateOnly(2027, 2, 28), ava.Membership("mem_ava").NextBillingDate);
    }

    [Fact]
    public void A_paused_member_resumes_on_their_date_with_credits_frozen_and_a_cancelled_one_is_never_billed()
    {
        var paused = Import(Ava(MembershipStatus.Paused, pausedUntil: new DateOnly(2027, 4, 20)));
        Assert.Equal((MembershipStatus.Paused, new DateOnly(2027, 4, 20)), (paused.Status, paused.Membership("mem_ava").PausedUntil));
        Assert.NotNull(paused.Credits.FrozenSince);
        Assert.Equal(BillingCalendar.ChargeInstant(new DateOnly(2027, 4, 20), NewYork), DueWork.At(paused.Billing!, ImportedAt, Policy).NextDueAt);

        var lapsed = Import(Ava(MembershipStatus.Cancelled) with { Balances = [] });
        Assert.Equal(MembershipStatus.Cancelled, lapsed.Status);
        Assert.Null(lapsed.Membership("mem_ava").NextBillingDate);
        Assert.NotNull(lapsed.Lapse("mem_ava", ImportedAt));
        Assert.DoesNotContain(DueWork.At(lapsed.Billing!, ImportedAt.AddDays(60), Policy).Items, i => i is DueItem.ChargePeriod or DueItem.RetryCharge);
    }

    [Theory]
    [InlineData(0, "invalid_billing_day")]
    [InlineData(32, "invalid_billing_day")]
    public void Bad_rows_are_refused_by_code(int billingDay, string code)
    {
        var refused = Assert.Throws<CommandRejectedException>(() => Import(Ava(billingDay: billingDay)));
        Assert.Equal(code, refused.Code);
    }

    [Fact]
    public void Refusals_say_what_is_wrong()
    {
        Assert.Equal("invalid_pause", Assert.Throws<CommandRejectedException>(() => Import(Ava(MembershipStatus.Paused))).Code);
        Assert.Equal("invalid_balance", Assert.Throws<CommandRejectedException>(() => Import(Ava(MembershipStatus.Cancelled))).Code);
        Assert.Equal("unknown_benefit", Assert.Throws<CommandRejectedException>(() => Import(Ava() with { Balances = [new OpeningBalance("units:svc_filler", 1, null)] })).Code);
        Assert.Equal("invalid_balance", Assert.Throws<CommandRejectedException>(() => Import(Ava() with { Balances = [new OpeningBalance("units:svc_tox", 1, new DateOnly(2027, 3, 9))] })).Code);
        Assert.Equal("invalid_date", Assert.Throws<CommandRejectedException>(() => Import(Ava() with { MemberSince = new DateOnly(2027, 3, 11) })).Code);
        Assert.Equal("invalid_email", Assert.Throws<CommandRejectedException>(() => Import(Ava() with { Client = Ava().Client with { Email = "ava" } })).Code);
    }

    [Fact]
    public void The_same_import_again_records_nothing_and_another_client_is_a_duplicate()
    {
        var ava = Import(Ava());
        Assert.Empty(ava.Import("mem_ava", Ava(), PlanOf(PlanExamples.Premium), PlanExamples.Catalogue.Locations, ImportedAt.AddHours(1)));
        Assert.Equal("duplicate_member", Assert.Throws<CommandRejectedException>(() => ava.Import("mem_ava", Ava() with { ImportKey = "ben@example.com" }, PlanOf(PlanExamples.Premium), PlanExamples.Catalogue.Locations, ImportedAt)).Code);
        Assert.Equal("duplicate_member", Assert.Throws<CommandRejectedException>(() => Registered().Import("mem_1", Ava(), PlanOf(PlanExamples.Premium), PlanExamples.Catalogue.Locations, ImportedAt)).Code);
    }

    [Fact]
    public void Reports_count_an_imported_member_as_active_with_mrr_and_open_credits_from_import_day_never_as_a_join()
    {
        var day = new TierDay(new DateOnly(2027, 3, 10), "plan_premium", 1, "loc_downtown");
        var batch = Project(Ava());

        var row = batch.Membership[day];
        Assert.Equal((1, 19_900, 0, 0), (row[(int)MembershipMeasure.Active], row[(int)MembershipMeasure.Mrr], row[(int)MembershipMeasure.Joined], row[(int)MembershipMeasure.Reactivated]));
        Assert.Equal(2, batch.Credits[new CreditKey(day, "units:svc_tox", "units")][(int)CreditMeasure.Adjusted]);
        Assert.Equal(3_500, batch.Credits[new CreditKey(day, "dollars:facial", "dollars")][(int)CreditMeasure.Adjusted]);
        Assert.Empty(batch.Revenue);
        Assert.Empty(batch.Deferred);

        // A member paused in the old system is counted paused, not as a pause started here.
        var paused = Project(Ava(MembershipStatus.Paused, pausedUntil: new DateOnly(2027, 4, 1))).Membership[day];
        Assert.Equal((0, 0, 1, 0, 0), (paused[(int)MembershipMeasure.Active], paused[(int)MembershipMeasure.Mrr], paused[(int)MembershipMeasure.Paused],
            paused[(int)MembershipMeasure.PausesStarted], paused[(int)MembershipMeasure.Joined]));

        // A lapsed member is no member: nothing counted, no churn.
        var lapsed = Project(Ava(MembershipStatus.Cancelled) with { Balances = [] });
        Assert.All(lapsed.Membership.Values, r => Assert.All(r, v => Assert.Equal(0, v)));
        Assert.Empty(lapsed.ChurnReasons);
    }

    private static ReportBatch Project(MemberImport import)
    {
        var batch = new ReportBatch();
        var projection = new ReportProjection("mem_ava", 0, _ => NewYork);
        var seq = 0;
        foreach (var e in Member.Unregistered.Import("mem_ava", import, PlanOf(PlanExamples.Premium), PlanExamples.Catalogue.Locations, ImportedAt))
        {
            projection.Fold(++seq, e, batch);
        }

        return batch;
    }
}
