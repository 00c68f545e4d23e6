using MedSpa.Billing;
using MedSpa.Domain.Members;
using MedSpa.Domain.Reporting;
using MedSpa.Domain.Tests.Members;
using MedSpa.Domain.Tests.Plans;
using MedSpa.Members;
using static MedSpa.Domain.Tests.Members.LifecycleExamples;

namespace MedSpa.Domain.Tests.Reporting;

/// <summary>
/// The fold behind the reports, on one member's log built by the domain's own decisions: joined, redeemed, declined at
/// renewal, suspended and cancelled for non-payment. Folding it in two runs adds exactly what one run adds, whatever the
/// split, and folding it again adds nothing.
/// </summary>
public sealed class ReportProjectionTests
{
    private const string Premium = "plan_premium";
    private static readonly DateOnly EnrolledOn = new(2027, 3, 10);
    private static readonly DateOnly RenewalDay = new(2027, 4, 10);

    [Fact]
    public void A_member_who_joins_and_is_cancelled_for_non_payment_adds_each_figure_on_its_local_day()
    {
        var batch = Fold(Log(), alreadyProjected: 0);

        var joined = batch.Membership[Tier(EnrolledOn)];
        Assert.Equal(1, joined[(int)MembershipMeasure.Joined]);
        Assert.Equal(1, joined[(int)MembershipMeasure.Active]);
        Assert.Equal(19_900, joined[(int)MembershipMeasure.Mrr]);
        Assert.Equal(0, joined[(int)MembershipMeasure.Pending]);

        // The renewal is declined: active to past due, and MRR leaves with it.
        var declined = batch.Membership[Tier(RenewalDay)];
        Assert.Equal((-1, -19_900, 1), (declined[(int)MembershipMeasure.Active], declined[(int)MembershipMeasure.Mrr], declined[(int)MembershipMeasure.PastDue]));

        var cancelledOn = new DateOnly(2027, 5, 13);
        var cancelled = batch.Membership[Tier(cancelledOn)];
        Assert.Equal((-1, 1), (cancelled[(int)MembershipMeasure.Suspended], cancelled[(int)MembershipMeasure.CancelledInvoluntary]));
        Assert.Equal(1, batch.ChurnReasons[new ChurnKey(Tier(cancelledOn), "payment_failed", Involuntary: true)]);

        // Every state change is undone by the end: nobody is left counted anywhere.
        foreach (var measure in new[] { MembershipMeasure.Active, MembershipMeasure.Mrr, MembershipMeasure.PastDue, MembershipMeasure.Suspended, MembershipMeasure.Pending })
        {
            Assert.Equal(0, batch.Membership.Values.Sum(row => row[(int)measure]));
        }
    }

    [Fact]
    public void An_enrolment_whose_first_payment_never_came_is_neither_a_join_nor_churn_and_a_later_paid_enrolment_is_a_join()
    {
        var log = new List<MemberEvent>();
        var member = Member.Unregistered;
        void Record(IEnumerable<MemberEvent> events)
        {
            foreach (var e in events)
            {
                log.Add(e);
                member = member.Apply(e);
            }
        }

        void Charge(DateTimeOffset at, ChargeResult result)
        {
            Record(member.StartCharge("mem_1", at));
            Record(member.ResolveCharge(member.UnresolvedAttempt!.AttemptId, result, "pi_x", result == ChargeResult.Succeeded ? null : "card_declined", null, at, Policy));
        }

        void Enrol(DateTimeOffset at) => Record(member.Enrol(new EnrolmentRequest(Premium, new AgreementAcceptance("Ava Stone", true)),
            new SignatureContext("portal", null, null), PlanOf(PlanExamples.Premium), PlanExamples.Catalogue, at));

        Record(member.Register("mem_1", new NewClient("Ava", "Stone", "ava@example.com", null, "loc_downtown"), Registrar.Staff, PlanExamples.Catalogue.Locations, EnrolledAt));
        Record(member.SaveCard("cus_1", new CardOnFile("pm_1", "visa", "0002", 12, 2030), EnrolledAt));
        Enrol(EnrolledAt);
        Charge(EnrolledAt, ChargeResult.SoftDecline);
        Charge(EnrolledAt.AddHours(24), ChargeResult.SoftDecline);
        Record(member.LapseUnpaidEnrolment(EnrolledAt.AddDays(7), Policy));
        Assert.Equal(MembershipStatus.Cancelled, member.Status);

        var lapsed = Fold(log, alreadyProjected: 0);
        var lapsedOn = Tier(new DateOnly(2027, 3, 17));
        Assert.Equal(0, lapsed.Membership.Values.Sum(row => row[(int)MembershipMeasure.Joined]));
        Assert.Equal(0, lapsed.Membership.Values.Sum(row => row[(int)MembershipMeasure.CancelledInvoluntary] + row[(int)MembershipMeasure.CancelledVoluntary]));
        Assert.Empty(lapsed.ChurnReasons);
        Assert.Equal(-1, lapsed.Membership[lapsedOn][(int)MembershipMeasure.Pending]);
        Assert.Equal(0, lapsed.Membership.Values.Sum(row => row[(int)MembershipMeasure.Pending]));

        // She comes back a month later and pays: her first membership, so a join, not a comeback.
        var again = Local(2027, 4, 20);
        Enrol(again);
        Charge(again, ChargeResult.Succeeded);
        var joined = Fold(log, alreadyProjected: 0).Membership[Tier(new DateOnly(2027, 4, 20))];
        Assert.Equal((1, 0), (joined[(int)MembershipMeasure.Joined], joined[(int)MembershipMeasure.Reactivated]));
    }

    [Fact]
    public void Credits_are_counted_against_the_tier_they_were_granted_under_and_balance_to_what_is_open()
    {
        var batch = Fold(Log(), alreadyProjected: 0);
        var units = new CreditKey(Tier(EnrolledOn), "units:svc_tox", "units");
        Assert.Equal(1, batch.Credits[units][(int)CreditMeasure.Allocated]);
        Assert.Equal(1, batch.Credits[units with { At = Tier(new DateOnly(2027, 3, 20)) }][(int)CreditMeasure.Redeemed]);

        var open = batch.Credits.GroupBy(c => c.Key.Kind).ToDictionary(g => g.Key, g => g.Sum(c =>
            c.Value[(int)CreditMeasure.Allocated] - c.Value[(int)CreditMeasure.Redeemed] - c.Value[(int)CreditMeasure.Expired] + c.Value[(int)CreditMeasure.Adjusted]));
        var member = Replay(Log());
        Assert.Equal(member.Credits.Lots.Where(l => l.Kind == MedSpa.Plans.BenefitKind.TreatmentUnits).Sum(l => l.Remaining), open["units"]);
        Assert.Equal(member.Credits.Lots.Where(l => l.Kind == MedSpa.Plans.BenefitKind.DollarCredit).Sum(l => l.Remaining), open["dollars"]);
    }

    [Fact]
    public void The_first_period_is_deferred_and_served_day_by_day()
    {
        var batch = Fold(Log(), alreadyProjected: 0);
        decimal Deferred(DateOnly day)
        {
            var rows = batch.Deferred.Where(d => d.Key.Day <= day).Select(d => d.Value).ToList();
            return Math.Round(rows.Sum(r => r.Fixed) - (day.DayNumber * rows.Sum(r => r.Slope)), 2);
        }

        // 10 March to 10 April is 31 days, paid $199 on the 10th: at the end of the 10th, 30 days are still owed.
        Assert.Equal(Math.Round(19_900m * 30 / 31, 2), Deferred(EnrolledOn));
        Assert.Equal(Math.Round(19_900m * 15 / 31, 2), Deferred(new DateOnly(2027, 3, 25)));
        Assert.Equal(0, Deferred(RenewalDay.AddDays(-1)));
        Assert.Equal(0, Deferred(new DateOnly(2027, 6, 1)));
    }

    [Fact]
    public void A_pause_holds_what_is_owed_of_the_paid_period_and_it_is_served_from_the_resume_to_the_moved_end()
    {
        // Paid $199 for 10 March to 10 April (31 days); paused on 25 March for 20 days: resumes 14 April, ends 30 April.
        var log = Log().TakeWhile(e => e is not CreditsRedeemed).ToList();
        var member = Replay(log);
        void Add(IEnumerable<MemberEvent> events)
        {
            foreach (var e in events)
            {
                log.Add(e);
                member = member.Apply(e);
            }
        }

        Add(member.Pause(new PauseRequest(Days: 20), Local(2027, 3, 25)));
        Add(member.Resume(Local(2027, 4, 14, 9), automatically: true));
        var batch = Fold(log, alreadyProjected: 0);
        decimal Deferred(DateOnly day)
        {
            var rows = batch.Deferred.Where(d => d.Key.Day <= day).Select(d => d.Value).ToList();
            return Math.Round(rows.Sum(r => r.Fixed) - (day.DayNumber * rows.Sum(r => r.Slope)), 2);
        }

        // At the end of the 24th, 16 paid days (25 March to 9 April) were still to serve; the pause holds them.
        var owedAtPause = Math.Round(19_900m * 16 / 31, 2);
        Assert.Equal(owedAtPause, Deferred(new DateOnly(2027, 3, 24)));
        Assert.Equal(owedAtPause, Deferred(new DateOnly(2027, 3, 25)));
        Assert.Equal(owedAtPause, Deferred(new DateOnly(2027, 4, 10)));
        Assert.Equal(owedAtPause, Deferred(new DateOnly(2027, 4, 13)));
        Assert.Equal(Math.Round(19_900m * 15 / 31, 2), Deferred(new DateOnly(2027, 4, 14)));
        Assert.Equal(Math.Round(19_900m * 1 / 31, 2), Deferred(new DateOnly(2027, 4, 28)));
        Assert.Equal(0, Deferred(new DateOnly(2027, 4, 29)));
        Assert.Equal(0, Deferred(new DateOnly(2027, 6, 1)));
    }

    [Fact]
    public void Two_runs_split_anywhere_add_what_one_run_adds_and_a_third_adds_nothing()
    {
        var log = Log();
        var whole = Fold(log, alreadyProjected: 0);
        for (var split = 0; split <= log.Count; split++)
        {
            var first = Fold(log.Take(split).ToList(), alreadyProjected: 0);
            var second = Fold(log, alreadyProjected: split);
            Assert.Equal(Describe(whole), Describe(Merge(first, second)));
            Assert.Equal(log.Count, first.Events + second.Events);
        }

        var again = Fold(log, alreadyProjected: log.Count);
        Assert.Equal(0, again.Events);
        Assert.Empty(again.Membership);
        Assert.Empty(again.Credits);
        Assert.Empty(again.Revenue);
        Assert.Empty(again.Deferred);
    }

    private static TierDay Tier(DateOnly day) => new(day, Premium, 1, "loc_downtown");

    /// <summary>Ava's log: enrolled and paid on 10 March 2027, a unit used on the 20th, the 10 April renewal declined
    /// three times, suspended, and cancelled for non-payment 30 days later (13 May).</summary>
    private static List<MemberEvent> Log()
    {
        var log = new List<MemberEvent>();
        var member = Member.Unregistered;
        void Record(IEnumerable<MemberEvent> events)
        {
            foreach (var e in events)
            {
                log.Add(e);
                member = member.Apply(e);
            }
        }

        void Charge(DateTimeOffset at, ChargeResult result, string? code)
        {
            Record(member.StartCharge("mem_1", at));
            Record(member.ResolveCharge(member.UnresolvedAttempt!.AttemptId, result, "pi_x", code, null, at, Policy));
        }

        Record(member.Register("mem_1", new NewClient("Ava", "Stone", "ava@example.com", null, "loc_downtown"), Registrar.Staff, PlanExamples.Catalogue.Locations, EnrolledAt));
        Record(member.Enrol(new EnrolmentRequest(Premium, new AgreementAcceptance("Ava Stone", true)), new SignatureContext("portal", null, null),
            PlanOf(PlanExamples.Premium), PlanExamples.Catalogue, EnrolledAt));
        Record(member.SaveCard("cus_1", new CardOnFile("pm_1", "visa", "4242", 12, 2030), EnrolledAt));
        Charge(EnrolledAt, ChargeResult.Succeeded, null);
        Record(member.Redeem(new RedemptionRequest("red_1", "units:svc_tox", 1, "svc_tox"), Local(2027, 3, 20)));
        Charge(Renewal, ChargeResult.SoftDecline, "insufficient_funds");
        Charge(Renewal.AddHours(24), ChargeResult.SoftDecline, "insufficient_funds");
        Charge(Renewal.AddHours(72), ChargeResult.SoftDecline, "insufficient_funds");
        Record(member.CancelForNonPayment("payment_failed", Renewal.AddHours(72).AddDays(30)));
        return log;
    }

    private static Member Replay(IEnumerable<MemberEvent> log) => log.Aggregate(Member.Unregistered, (state, e) => state.Apply(e));

    private static ReportBatch Fold(List<MemberEvent> log, long alreadyProjected)
    {
        var batch = new ReportBatch();
        var projection = new ReportProjection("mem_1", alreadyProjected, _ => NewYork);
        for (var i = 0; i < log.Count; i++)
        {
            projection.Fold(i + 1, log[i], batch);
        }

        return batch;
    }

    private static ReportBatch Merge(ReportBatch first, ReportBatch second)
    {
        var merged = new ReportBatch();
        foreach (var batch in new[] { first, second })
        {
            foreach (var (key, row) in batch.Membership)
            {
                for (var i = 0; i < row.Length; i++)
                {
                    merged.Add(key, (MembershipMeasure)i, row[i]);
                }
            }

            foreach (var (key, row) in batch.Credits)
            {
                for (var i = 0; i < row.Length; i++)
                {
                    merged.Add(key, (CreditMeasure)i, row[i]);
                }
            }

            foreach (var (key, count) in batch.ChurnReasons)
            {
                merged.Add(key, count);
            }

            foreach (var (key, amount) in batch.Revenue)
            {
                merged.Add(key, amount);
            }

            foreach (var (key, count) in batch.Clients)
            {
                merged.Add(key, count);
            }

            foreach (var (key, count) in batch.PlanMoves)
            {
                merged.Add(key, count);
            }

            foreach (var (key, line) in batch.Deferred)
            {
                merged.AddDeferral(key, line.Fixed, line.Slope);
            }
        }

        return merged;
    }

    /// <summary>The batch's sums in a stable order, leaving out keys that sum to nothing.</summary>
    private static string Describe(ReportBatch batch) => string.Join('\n', new[]
    {
        batch.Membership.Where(r => r.Value.Any(v => v != 0)).Select(r => $"{r.Key}: {string.Join(',', r.Value)}"),
        batch.Credits.Where(r => r.Value.Any(v => v != 0)).Select(r => $"{r.Key}: {string.Join(',', r.Value)}"),
        batch.ChurnReasons.Where(r => r.Value != 0).Select(r => $"{r.Key}: {r.Value}"),
        batch.Revenue.Where(r => r.Value != 0).Select(r => $"{r.Key}: {r.Value}"),
        batch.Clients.Where(r => r.Value != 0).Select(r => $"{r.Key}: {r.Value}"),
        batch.PlanMoves.Where(r => r.Value != 0).Select(r => $"{r.Key}: {r.Value}"),
        batch.Deferred.Where(r => r.Value != default).Select(r => $"{r.Key}: {r.Value.Fixed},{r.Value.Slope}"),
    }.SelectMany(lines => lines.Order(StringComparer.Ordinal)));
}
