using MedSpa.Billing;
using MedSpa.Domain.Billing;
using MedSpa.Domain.Members;
using MedSpa.Domain.Reporting;
using MedSpa.Domain.Tests.Members;
using MedSpa.Domain.Tests.Plans;
using MedSpa.Members;
using MedSpa.Plans;

namespace MedSpa.Domain.Tests.Reporting;

/// <summary>
/// What the reporting projection adds for a member's log, built the way the grain builds it. The member enrols on
/// Premium ($199: a rolling neurotoxin unit and $50 of facial credit that lapses at the end of each period) on
/// 10 March 2027 in New York, so periods run from the 10th, and charges at 09:00.
/// </summary>
public sealed class ReportProjectionLapseTests
{
    private const string FacialCredit = "dollars:facial";

    private static readonly DateTimeOffset EnrolledAt = LifecycleExamples.EnrolledAt;

    [Fact]
    public void A_lot_that_lapses_while_the_renewal_is_declined_counts_as_expired_that_day_not_when_the_payment_records_it()
    {
        // March's $50 lapses at 09:00 on 10 April as the renewal is declined: the renewal's attempt records the expiry
        // (the period has begun, paid or not); the card is fixed on 13 April, when April's $50 (lapsing 10 May) is allocated.
        var log = new Log().Active()
            .Charge(Local(2027, 4, 10, 9), ChargeResult.SoftDecline)
            .Charge(Local(2027, 4, 13), ChargeResult.Succeeded);

        Assert.Contains(log.Events, e => e is CreditsExpired { BenefitKey: FacialCredit } x && x.OccurredAt == Local(2027, 4, 10, 9));
        Assert.Equal(
            new Dictionary<DateOnly, long> { [new(2027, 4, 10)] = 5_000, [new(2027, 5, 10)] = 5_000 },
            ExpiredByDay(log, FacialCredit));
    }

    [Fact]
    public void A_paused_lot_lapses_on_its_pushed_back_expiry_even_when_that_is_after_the_resume_charge()
    {
        // Paused at 08:00 on 10 April, an hour before March's $50 lapses, for 30 days: it resumes at 09:00 on 10 May and
        // the lot keeps its hour, lapsing at 10:00 that day, after the resume charge asked the ledger; the June renewal
        // records it. May's $50 lapses at that renewal, and June's is counted ahead on 10 July.
        var log = new Log().Active()
            .Do(m => m.Pause(new PauseRequest(Days: 30), Local(2027, 4, 10, 8)))
            .Do(m => m.Resume(Local(2027, 5, 10, 9), automatically: true))
            .Charge(Local(2027, 5, 10, 9), ChargeResult.Succeeded)
            .Charge(Local(2027, 6, 10, 9), ChargeResult.Succeeded);

        Assert.Equal(
            new Dictionary<DateOnly, long> { [new(2027, 5, 10)] = 5_000, [new(2027, 6, 10)] = 5_000, [new(2027, 7, 10)] = 5_000 },
            ExpiredByDay(log, FacialCredit));
    }

    [Fact]
    public void An_upgrade_charge_is_deferred_over_the_rest_of_its_period_under_the_new_tier()
    {
        // On 25 March, 16 of [10 Mar, 10 Apr)'s 31 days are left: $100 × 16/31 = 5,161.29 → 5,161, deferred over
        // [25 Mar, 10 Apr). At the end of 31 March 9 of its 16 days are owed: 5,161 × 9/16 = 2,903.06.
        var platinum = MemberPlanChangeTests.Version("plan_platinum", PlanExamples.Premium with { Name = "Platinum", MonthlyPrice = PlanExamples.Usd(29_900) });
        var log = new Log().Active().Do(m => m.ConfirmPlanChange("mem_1", "up", platinum, Local(2027, 3, 25)));
        var attempt = log.State.UnresolvedAttempt!;
        log.Do(m => m.ResolveCharge(attempt.AttemptId, ChargeResult.Succeeded, "pi_up", null, null, Local(2027, 3, 25), LifecycleExamples.Policy));
        Assert.Equal(5_161, attempt.Amount.Amount);

        var batch = log.Project();
        Assert.Equal(2_903.06m, Math.Round(Deferred(batch, "plan_platinum", new DateOnly(2027, 3, 31)), 2));
        Assert.Equal(0m, Math.Round(Deferred(batch, "plan_platinum", new DateOnly(2027, 4, 10)), 10));
        // The period itself stays where it was paid: 19,900 × 9/31 on Premium.
        Assert.Equal(5_777.42m, Math.Round(Deferred(batch, "plan_premium", new DateOnly(2027, 3, 31)), 2));
    }

    private static Dictionary<DateOnly, long> ExpiredByDay(Log log, string benefitKey) =>
        log.Project().Credits
            .Where(c => c.Key.BenefitKey == benefitKey)
            .GroupBy(c => c.Key.At.Day)
            .Select(g => (Day: g.Key, Expired: g.Sum(c => c.Value[(int)CreditMeasure.Expired])))
            .Where(x => x.Expired != 0)
            .OrderBy(x => x.Day)
            .ToDictionary(x => x.Day, x => x.Expired);

    /// <summary>What is deferred at the end of <paramref name="day"/>: the lines up to then, <c>Fixed − D·Slope</c>.</summary>
    private static decimal Deferred(ReportBatch batch, string planId, DateOnly day)
    {
        var lines = batch.Deferred.Where(d => d.Key.PlanId == planId && d.Key.Day <= day).ToList();
        return lines.Sum(d => d.Value.Fixed) - (day.DayNumber * lines.Sum(d => d.Value.Slope));
    }

    private static DateTimeOffset Local(int year, int month, int day, int hour = 12) => LifecycleExamples.Local(year, month, day, hour);

    /// <summary>A member's log: each decision's events kept in order and folded in, as the grain journals them.</summary>
    private sealed class Log
    {
        public List<MemberEvent> Events { get; } = [];

        public Member State { get; private set; } = Member.Unregistered;

        public Log Do(Func<Member, IEnumerable<MemberEvent>> decide)
        {
            foreach (var e in decide(State))
            {
                Events.Add(e);
                State = State.Apply(e);
            }

            return this;
        }

        public Log Active() => Do(m => m.Register("mem_1", new NewClient("Ava", "Stone", "ava@example.com", null, "loc_downtown"), Registrar.Staff, PlanExamples.Catalogue.Locations, EnrolledAt))
            .Do(m => m.Enrol(new EnrolmentRequest("plan_premium", new AgreementAcceptance("Ava Stone", true)), new SignatureContext("portal", null, null),
                LifecycleExamples.PlanOf(PlanExamples.Premium), PlanExamples.Catalogue, EnrolledAt))
            .Do(m => m.SaveCard("cus_1", new CardOnFile("pm_1", "visa", "4242", 12, 2030), EnrolledAt))
            .Charge(EnrolledAt, ChargeResult.Succeeded);

        public Log Charge(DateTimeOffset at, ChargeResult result)
        {
            Do(m => m.StartCharge("mem_1", at));
            var attempt = State.UnresolvedAttempt!.AttemptId;
            return Do(m => m.ResolveCharge(attempt, result, "pi_x", result == ChargeResult.Succeeded ? null : "insufficient_funds", null, at, LifecycleExamples.Policy));
        }

        public ReportBatch Project()
        {
            var batch = new ReportBatch();
            var projection = new ReportProjection("mem_1", 0, _ => LifecycleExamples.NewYork);
            for (var i = 0; i < Events.Count; i++)
            {
                projection.Fold(i + 1, Events[i], batch);
            }

            return batch;
        }
    }
}
