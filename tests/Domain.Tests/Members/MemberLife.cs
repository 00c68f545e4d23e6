using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using MedSpa.Billing;
using MedSpa.Domain.Billing;
using MedSpa.Domain.Members;
using MedSpa.Domain.Plans;
using MedSpa.Domain.Tests.Plans;
using MedSpa.Members;
using MedSpa.Plans;

namespace MedSpa.Domain.Tests.Members;

/// <summary>What the member (or the desk) does at one step of a <see cref="Life"/>.</summary>
internal enum Act
{
    Nothing,
    Pause,
    Resume,
    ChangePlan,
    UpdateCard,
    Redeem,
    VoidRedemption,
    Cancel,
    WithdrawCancellation,
    Enrol,
}

/// <summary>
/// One step of a member's life: the clinic's clock moves on by <see cref="Minutes"/> (or to the next instant billing
/// has work, <see cref="MemberLife.UntilNextDue"/>), billing does whatever fell due on the way, then the member does
/// <see cref="Act"/>. <see cref="Pick"/> chooses among what the act could be (which plan, how many days), and
/// <see cref="Luck"/> decides what the card processor answers to the charges made during the step.
/// </summary>
internal sealed record LifeStep(int Minutes, Act Act, int Pick, int Luck);

/// <summary>
/// A member who registers <see cref="StartDays"/> days and <see cref="StartHour"/> hours after the first of March
/// 2027 (any anchor day, the 29th to 31st included), enrols on <see cref="MemberLife.Plans"/>[<see cref="Plan"/>] with
/// a card on file (unless <see cref="FirstLuck"/> says they came without one), then lives <see cref="Steps"/>.
/// </summary>
internal sealed record Life(int StartDays, int StartHour, int Plan, int FirstLuck, LifeStep[] Steps)
{
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"registered day {StartDays} at hour {StartHour}, enrols on {MemberLife.Plans[Plan].Terms.Name} (luck {FirstLuck})");
        foreach (var step in Steps)
        {
            var wait = step.Minutes == MemberLife.UntilNextDue ? "until next due" : $"+{step.Minutes / 1440}d{step.Minutes % 1440 / 60}h{step.Minutes % 60}m";
            text.Append(CultureInfo.InvariantCulture, $"; {wait} {step.Act}({step.Pick}) luck {step.Luck}");
        }

        return text.ToString();
    }
}

/// <summary>Which acts a property's lives are made of, and how often each comes up.</summary>
internal sealed record LifeMix(IReadOnlyList<(int Weight, Act Act)> Acts)
{
    public static LifeMix Everything { get; } = new(
    [
        (8, Act.Nothing), (9, Act.Pause), (6, Act.Resume), (14, Act.ChangePlan), (7, Act.UpdateCard), (14, Act.Redeem),
        (4, Act.VoidRedemption), (8, Act.Cancel), (5, Act.WithdrawCancellation), (8, Act.Enrol),
    ]);

    /// <summary>No plan changes: pauses, renewals and declines alone.</summary>
    public static LifeMix PausesAndRenewals { get; } = new(Everything.Acts.Where(a => a.Act != Act.ChangePlan).ToArray());

    /// <summary>No pauses: upgrades, downgrades and lateral moves with renewals and declines.</summary>
    public static LifeMix PlanChanges { get; } = new(Everything.Acts.Where(a => a.Act is not (Act.Pause or Act.Resume)).ToArray());
}

/// <summary>Watches every decision a <see cref="MemberLife"/> records, as the journal would append it.</summary>
internal interface ILifeWatch
{
    /// <summary>One decision: the events of one domain call, recorded together, and the member before and after them.</summary>
    void Recorded(Member before, IReadOnlyList<MemberEvent> events, Member after, DateTimeOffset now);

    /// <summary>Billing's own work at a due instant was refused by the domain: the grain's wake would throw.</summary>
    void WakeRefused(string what)
    {
    }

    /// <summary>The life is over: <paramref name="log"/> is everything recorded, in order.</summary>
    void Finished(Member member, IReadOnlyList<MemberEvent> log, DateTimeOffset now)
    {
    }
}

/// <summary>
/// One member's life through the pure domain, driven the way the member grain drives it: each command calls the
/// domain methods the grain's handler calls, in the same order (a card saved while money is owed is charged at once,
/// an upgrade's or a buy-out's charge is sent and settled straight away, a resume is followed by the due work), and the
/// clock stops at every instant <see cref="DueWork"/> says something falls due, where billing does exactly what
/// <c>MemberGrain.RunDueWorkAsync</c> does (a renewal charged and settled, a retry, a suspension, an automatic
/// resume, a cancellation taking effect, a notice). A refused command (<see cref="CommandRejectedException"/>) keeps
/// what was recorded before the refusal, as the grain does. A refusal inside billing's own work makes the grain's wake
/// throw: it is kept in <see cref="RefusedWakes"/> and billing tries again a minute later, as the billing run would.
/// Any other exception fails the life.
/// </summary>
internal sealed class MemberLife
{
    public const string MemberId = "mem_1";

    /// <summary>The step's clock stops at the next instant billing has work, as the billing run would wake the member.</summary>
    public const int UntilNextDue = -1;

    public static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    public static readonly DunningPolicy Policy = DunningPolicy.Default;

    /// <summary>The first of March 2027, midnight in New York.</summary>
    public static readonly DateTimeOffset Origin = new(2027, 3, 1, 5, 0, 0, TimeSpan.Zero);

    private static readonly DateTimeOffset PlansCreated = new(2027, 1, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>$99: $25 of facial credit a month, expiring with the period; a 3-month term.</summary>
    public static readonly PlanVersion Essentials = Plan("plan_essentials", new PlanTerms(
        "Essentials", null, PlanExamples.Usd(9_900), 3,
        [new Benefit(BenefitKind.DollarCredit, Category: "facial", Amount: PlanExamples.Usd(2_500))]));

    /// <summary>$249: 10 neurotoxin units rolling over up to 20, $50 of facial credit expiring with the period; 12 months, buy-out allowed.</summary>
    public static readonly PlanVersion Signature = Plan("plan_signature", new PlanTerms(
        "Signature", null, PlanExamples.Usd(24_900), 12,
        [
            new Benefit(BenefitKind.TreatmentUnits, ServiceId: "svc_tox", Units: 10, Rollover: new Rollover(20)),
            new Benefit(BenefitKind.DollarCredit, Category: "facial", Amount: PlanExamples.Usd(5_000)),
            new Benefit(BenefitKind.Discount, Percent: 10),
        ],
        Cancellation: CancellationPolicy.BuyOut));

    /// <summary>$249 like Signature, a different mix: 1 filler a month and $75 of facial credit, both expiring with the period.</summary>
    public static readonly PlanVersion Radiance = Plan("plan_radiance", new PlanTerms(
        "Radiance", null, PlanExamples.Usd(24_900), 12,
        [
            new Benefit(BenefitKind.TreatmentUnits, ServiceId: "svc_filler", Units: 1),
            new Benefit(BenefitKind.DollarCredit, Category: "facial", Amount: PlanExamples.Usd(7_500)),
        ]));

    /// <summary>$399: 20 neurotoxin units rolling over up to 40, $100 of facial credit rolling over up to $200; 6 months, buy-out, two pauses a year.</summary>
    public static readonly PlanVersion Platinum = Plan("plan_platinum", new PlanTerms(
        "Platinum", null, PlanExamples.Usd(39_900), 6,
        [
            new Benefit(BenefitKind.TreatmentUnits, ServiceId: "svc_tox", Units: 20, Rollover: new Rollover(40)),
            new Benefit(BenefitKind.DollarCredit, Category: "facial", Amount: PlanExamples.Usd(10_000), Rollover: new Rollover(20_000)),
        ],
        Pause: new PauseRules(60, 2),
        Cancellation: CancellationPolicy.BuyOut));

    public static readonly PlanVersion[] Plans = [Essentials, Signature, Radiance, Platinum];

    private readonly ILifeWatch[] _watches;
    private readonly List<MemberEvent> _log = [];
    private readonly StringBuilder _transcript = new();
    private int _serial;
    private int _luck;
    private int _charges;
    private string? _lastChangeId;
    private DateTimeOffset _retryAt;
    private readonly List<string> _refusedWakes = [];

    private MemberLife(DateTimeOffset start, ILifeWatch[] watches)
    {
        Now = start;
        _watches = watches;
    }

    public Member Member { get; private set; } = Member.Unregistered;

    public DateTimeOffset Now { get; private set; }

    public IReadOnlyList<MemberEvent> Log => _log;

    /// <summary>Each time billing's own work was refused by the domain, which makes the grain's wake throw.</summary>
    public IReadOnlyList<string> RefusedWakes => _refusedWakes;

    /// <summary>The transcript so far: what happened when, in the clinic's local time.</summary>
    public string Transcript => _transcript.ToString();

    /// <summary>
    /// Lives <paramref name="life"/> under the watches. A failure is rethrown with the transcript, so the counter-example
    /// FsCheck shrinks to reads as a story: what the member did, what billing did, what was recorded.
    /// </summary>
    public static MemberLife Live(Life life, params ILifeWatch[] watches)
    {
        var member = new MemberLife(Origin.AddDays(life.StartDays).AddHours(life.StartHour), watches) { _luck = life.FirstLuck };
        try
        {
            member.Register(card: life.FirstLuck % 7 != 0);
            member.Enrol(Plans[life.Plan % Plans.Length]);
            foreach (var step in life.Steps)
            {
                member._luck = step.Luck;
                member._charges = 0;
                member.Advance(step.Minutes);
                member.Do(step.Act, step.Pick);
            }

            member.Finish();
        }
        catch (Exception e) when (e is not LifeFailedException)
        {
            throw new LifeFailedException($"{e.Message}\n--- the member's life ---\n{life}\n{member.Transcript}", e);
        }

        return member;
    }

    /// <summary>A scripted life for the examples: every charge is paid unless a step says otherwise.</summary>
    public static MemberLife Begin(PlanVersion plan, DateTimeOffset at, params ILifeWatch[] watches)
    {
        var member = new MemberLife(at, watches) { _luck = AlwaysPaid };
        member.Register(card: true);
        member.Enrol(plan);
        return member;
    }

    /// <summary>Luck under which every charge goes through.</summary>
    public const int AlwaysPaid = -1;

    public static DateTimeOffset Local(int year, int month, int day, int hour = 12, int minute = 0) =>
        BillingCalendar.LocalInstant(new DateTime(year, month, day, hour, minute, 0), NewYork);

    /// <summary>Moves the clock to <paramref name="at"/>, doing billing's work at every due instant on the way.</summary>
    public MemberLife AdvanceTo(DateTimeOffset at)
    {
        WakeUntil(at);
        return this;
    }

    public MemberLife Pause(int days)
    {
        Command($"pause {days} days", () => Record(Member.Pause(new PauseRequest(Days: days), Now)));
        return this;
    }

    public MemberLife Resume()
    {
        Command("resume", ResumeNow);
        return this;
    }

    public MemberLife ChangePlan(PlanVersion plan)
    {
        Command($"change plan to {plan.Terms.Name}", () => ChangePlanNow(plan, $"chg_{++_serial}"));
        return this;
    }

    public MemberLife Redeem(string benefitKey, long quantity)
    {
        Command($"redeem {quantity} {benefitKey}", () => Record(Member.Redeem(new RedemptionRequest($"red_{++_serial}", benefitKey, quantity), Now)));
        return this;
    }

    private static PlanVersion Plan(string planId, PlanTerms terms) => PlanHistory.Create(null, planId, terms, PlanExamples.Catalogue, PlansCreated).Current;

    private void Register(bool card)
    {
        Note("registers");
        Record(Member.Register(MemberId, new NewClient("Ava", "Stone", "ava@example.com", null, "loc_downtown"), Registrar.Staff, PlanExamples.Catalogue.Locations, Now));
        if (card)
        {
            Record(Member.SaveCard("cus_1", NewCard(), Now));
        }
    }

    /// <summary>As <c>EnrolAsync</c>: the agreement signed, then the first period charged at once when there is a card.</summary>
    private void Enrol(PlanVersion plan) => Command($"enrol on {plan.Terms.Name}", () =>
    {
        Record(Member.Enrol(
            new EnrolmentRequest(plan.PlanId, new AgreementAcceptance("Ava Stone", true)), new SignatureContext("portal", null, null), plan, PlanExamples.Catalogue, Now));
        if (Member.Card is not null)
        {
            ChargeDue();
        }
    });

    private void Do(Act act, int pick)
    {
        switch (act)
        {
            case Act.Pause:
                var days = pick % 31 == 0 ? 61 : 1 + (pick % 60);
                var today = BillingCalendar.LocalDate(Now, NewYork);
                var request = pick % 5 == 0 ? new PauseRequest(Until: today.AddDays(days)) : new PauseRequest(Days: days);
                Command($"pause {days} days", () => Record(Member.Pause(request, Now)));
                break;
            case Act.Resume:
                Command("resume", ResumeNow);
                break;
            case Act.ChangePlan:
                var plan = Plans[pick % Plans.Length];
                var changeId = pick % 5 == 0 && _lastChangeId is not null ? _lastChangeId : $"chg_{++_serial}";
                Command($"change plan to {plan.Terms.Name} ({changeId})", () => ChangePlanNow(plan, changeId));
                break;
            case Act.UpdateCard when pick % 6 == 0:
                Command("card removed", () => Record(Member.RemoveCard(Member.Card?.PaymentMethodId ?? "pm_none", "detached", Now)));
                break;
            case Act.UpdateCard:
                Command("saves a new card", UpdateCardNow);
                break;
            case Act.Redeem:
                string[] keys = [.. Member.Credits.Totals.Keys.Order(StringComparer.Ordinal)];
                var key = keys.Length == 0 ? "units:svc_tox" : keys[pick % keys.Length];
                var unit = key.StartsWith("dollars:", StringComparison.Ordinal) ? 1_000 : 1;
                var available = Member.Credits.Available(key, Now);
                var quantity = available > 0 ? Math.Min(available, unit * (1 + (pick % 4))) : unit;
                Command($"redeem {quantity} {key}", () => Record(Member.Redeem(new RedemptionRequest($"red_{++_serial}", key, quantity), Now)));
                break;
            case Act.VoidRedemption:
                string[] ids = [.. Member.Credits.Redemptions.Keys.Order(StringComparer.Ordinal)];
                if (ids.Length > 0)
                {
                    var id = ids[pick % ids.Length];
                    Command($"void {id}", () => Record(Member.VoidRedemption(id, "treatment not given", Now)));
                }

                break;
            case Act.Cancel:
                CancellationOption? option = (pick % 4) switch
                {
                    0 => null,
                    1 => CancellationOption.ContinueToTermEnd,
                    2 => CancellationOption.BuyOut,
                    _ => CancellationOption.EndOfPeriod,
                };
                Command($"cancel ({option?.ToString() ?? "default option"})", () => CancelNow(option));
                break;
            case Act.WithdrawCancellation:
                Command("withdraw cancellation", () => Record(Member.WithdrawCancellation(Now)));
                break;
            case Act.Enrol:
                Enrol(Plans[pick % Plans.Length]);
                break;
            default:
                break;
        }
    }

    /// <summary>As <c>ResumeAsync</c>: the resume recorded, then whatever billing now has due (the resumed period's charge).</summary>
    private void ResumeNow()
    {
        Record(Member.Resume(Now));
        Wake();
    }

    /// <summary>As <c>MakePlanChangeAsync</c>: an open attempt of the same change is settled; otherwise confirm, record, charge.</summary>
    private void ChangePlanNow(PlanVersion plan, string changeId)
    {
        if (Member.UnresolvedAttempt is { } open && Member.ChangeIdOf(open.AttemptId) == changeId)
        {
            Settle(open.AttemptId, settlingOpen: true);
            return;
        }

        var events = Member.ConfirmPlanChange(MemberId, changeId, plan, Now);
        Record(events);
        _lastChangeId = changeId;
        if (events.OfType<ChargeAttempted>().FirstOrDefault() is { } attempt)
        {
            Settle(attempt.AttemptId, settlingOpen: false);
        }
    }

    /// <summary>As <c>SaveCardAsync</c>: a member who owes money and gives a new card is charged at once.</summary>
    private void UpdateCardNow()
    {
        Record(Member.SaveCard("cus_1", NewCard(), Now));
        if (Member.PeriodOwed(Now) is not null || Member.UnresolvedAttempt is not null)
        {
            ChargeDue();
        }
    }

    /// <summary>As <c>CancelAsync</c>: a buy-out's attempt is sent (or an open one settled) under its key.</summary>
    private void CancelNow(CancellationOption? option)
    {
        var events = Member.ConfirmCancellation(new CancellationRequest("price", Confirm: true, Option: option), Now);
        Record(events);
        if (Member.UnresolvedAttempt is { Purpose: ChargePurpose.BuyOut } buyOut)
        {
            Settle(buyOut.AttemptId, settlingOpen: events.Count == 0);
        }
    }

    private CardOnFile NewCard() => new($"pm_{++_serial}", "visa", "4242", 12, 2030);

    private void Advance(int minutes)
    {
        var target = minutes == UntilNextDue ? NextWake() ?? Now : Now.AddMinutes(minutes);
        WakeUntil(target < Now ? Now : target);
    }

    private void WakeUntil(DateTimeOffset target)
    {
        var wakes = 0;
        while (NextWake() is { } at && at <= target)
        {
            if (++wakes > 500)
            {
                throw new InvalidOperationException($"Billing never settles: still due at {Local(Now)}.");
            }

            Now = at > Now ? at : Now;
            Wake();
        }

        Now = target > Now ? target : Now;
    }

    /// <summary>
    /// When the grain would wake next (<c>NextWake</c>): the domain's next due instant, or at once while something is
    /// due, or a minute on while a charge's outcome is unknown.
    /// </summary>
    private DateTimeOffset? NextWake()
    {
        if (Member.Billing is not { } billing)
        {
            return null;
        }

        if (Member.UnresolvedAttempt is not null)
        {
            return Now.AddMinutes(1);
        }

        var work = DueWork.At(billing, Now, Policy);
        return work.Items.Count == 0 ? work.NextDueAt : _retryAt > Now ? _retryAt : Now;
    }

    /// <summary>
    /// <c>RunDueWorkAsync</c>: at most 12 items, the open attempt settled first. An item that records nothing with no
    /// attempt open would have the grain wake for it again and again (a livelock), so it fails the life.
    /// </summary>
    private void Wake()
    {
        for (var step = 0; step < 12; step++)
        {
            if (Member.Billing is not { } billing)
            {
                return;
            }

            var work = DueWork.At(billing, Now, Policy);
            if (Member.UnresolvedAttempt is null && work.Items.Count == 0)
            {
                return;
            }

            var item = Member.UnresolvedAttempt is null ? work.Items[0] : null;
            var before = _log.Count;
            Note($"billing: {item?.GetType().Name ?? "settle the open charge"}");
            bool done;
            try
            {
                done = DoDue(item);
            }
            catch (CommandRejectedException e)
            {
                // The grain's wake throws: what was recorded stays, the due index is not moved on, and the billing run
                // wakes the member again within the minute.
                _transcript.Append(CultureInfo.InvariantCulture, $"      billing's own work refused: {e.Code}\n");
                var what = $"{Local(Now)}: {item?.GetType().Name ?? "settling the open charge"} refused with {e.Code} ({e.Message})";
                _refusedWakes.Add(what);
                _retryAt = Now.AddMinutes(1);
                foreach (var watch in _watches)
                {
                    watch.WakeRefused(what);
                }

                return;
            }

            if (Member.UnresolvedAttempt is not null)
            {
                // The outcome is not known yet: the grain backs off and settles it at its next wake.
                return;
            }

            if (!done || _log.Count == before)
            {
                throw new InvalidOperationException($"Billing is stuck: {item} is due at {Local(Now)} and doing it records nothing.");
            }
        }
    }

    /// <summary><c>DoAsync</c>, item by item.</summary>
    private bool DoDue(DueItem? item)
    {
        var before = _log.Count;
        switch (item)
        {
            case DueItem.ChargePeriod when Member.UnresolvedAttempt is null && Member.SettleCoveredPeriod(Now) is { Count: > 0 } covered:
                Record(covered);
                break;
            case null or DueItem.ChargePeriod or DueItem.RetryCharge when Member.Card is not null || Member.UnresolvedAttempt is not null:
                ChargeDue();
                return Member.UnresolvedAttempt is null;
            case DueItem.ChargePeriod or DueItem.RetryCharge:
                Record(Member.ChaseWithoutCard(Now, Policy));
                break;
            case DueItem.SuspendForNonPayment:
                Record(Member.SuspendForNonPayment(Now));
                break;
            case DueItem.LapseUnpaidEnrolment:
                Record(Member.LapseUnpaidEnrolment(Now, Policy));
                break;
            case DueItem.CancelForNonPayment cancel:
                Record(Member.CancelForNonPayment(cancel.Reason, Now));
                break;
            case DueItem.EndMembership:
                Record(Member.EndMembership(Now));
                break;
            case DueItem.ResumeFromPause:
                Record(Member.Resume(Now, automatically: true));
                break;
            case DueItem.RenewalNotice:
                Record(Member.IssueRenewalNotice(Now));
                break;
            case DueItem.CreditsExpiringNotice:
                Record(Member.IssueCreditsExpiringNotice(PlanExamples.Catalogue, Now));
                break;
            case DueItem.CardExpiringNotice:
                Record(Member.IssueCardExpiringNotice(Now));
                break;
            default:
                throw new InvalidOperationException($"The driver has no way to do {item?.GetType().Name}.");
        }

        return _log.Count > before;
    }

    /// <summary>
    /// <c>ChargeDueAsync</c>: an open attempt is settled first (found or repeated under its key); then the period owed
    /// is charged, or paid without a charge when nothing is left to pay.
    /// </summary>
    private void ChargeDue()
    {
        if (Member.UnresolvedAttempt is { } open)
        {
            Settle(open.AttemptId, settlingOpen: true);
            if (Member.UnresolvedAttempt is not null || Member.PeriodOwed(Now) is null)
            {
                return;
            }
        }

        Record(Member.StartCharge(MemberId, Now));
        if (Member.UnresolvedAttempt is { } attempt)
        {
            Settle(attempt.AttemptId, settlingOpen: false);
        }
    }

    /// <summary>What the processor answers, from the step's luck; an open attempt being settled always gets an answer.</summary>
    private void Settle(string attemptId, bool settlingOpen)
    {
        var roll = _luck == AlwaysPaid ? 0 : (int)(((long)_luck * 7_919 + (long)_charges * 104_729) % 100);
        _charges++;
        (ChargeResult Result, string? Code) outcome = roll switch
        {
            < 76 => (ChargeResult.Succeeded, null),
            < 86 => (ChargeResult.SoftDecline, "insufficient_funds"),
            < 91 => (ChargeResult.HardDecline, "stolen_card"),
            < 95 => (ChargeResult.AuthenticationRequired, "authentication_required"),
            _ => settlingOpen ? (ChargeResult.Succeeded, null) : (ChargeResult.Unknown, null),
        };
        var attempt = Member.ChargeAttempts.Find(a => a.AttemptId == attemptId)!;
        Note($"processor: {attempt.Purpose} {Amount(attempt.Amount)} → {outcome.Result}");
        Record(Member.ResolveCharge(
            attemptId, outcome.Result, outcome.Result == ChargeResult.Unknown ? null : $"pi_{++_serial}", outcome.Code, outcome.Code, Now, Policy));
    }

    /// <summary>A command as the API would take it: refused, it keeps what was already recorded and the life goes on.</summary>
    private void Command(string what, Action act)
    {
        Note(what);
        try
        {
            act();
        }
        catch (CommandRejectedException e)
        {
            _transcript.Append(CultureInfo.InvariantCulture, $"      refused: {e.Code}\n");
        }
    }

    private void Finish()
    {
        foreach (var watch in _watches)
        {
            watch.Finished(Member, _log, Now);
        }
    }

    private void Record(IReadOnlyList<MemberEvent> events)
    {
        if (events.Count == 0)
        {
            return;
        }

        var before = Member;
        foreach (var e in events)
        {
            _log.Add(e);
            Member = Member.Apply(e);
            if (Describe(e) is { } line)
            {
                _transcript.Append(CultureInfo.InvariantCulture, $"      {line}\n");
            }
        }

        foreach (var watch in _watches)
        {
            watch.Recorded(before, events, Member, Now);
        }
    }

    private void Note(string what) =>
        _transcript.Append(CultureInfo.InvariantCulture, $"{Local(Now)} [{Member.Status} on {Member.Enrolment?.Plan.Terms.Name ?? "-"}] {what}\n");

    private static string Local(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, NewYork).ToString("ddd d MMM yyyy HH:mm", CultureInfo.InvariantCulture);

    private static string Amount(Money money) => (money.Amount / 100m).ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>The events worth reading in a counter-example; notices and bookkeeping are left out.</summary>
    private static string? Describe(MemberEvent e) => e switch
    {
        MemberEnrolled x => $"enrolled on {x.Plan.Terms.Name}, anchor day {x.AnchorDay}, term to {x.TermEnd:yyyy-MM-dd}",
        PaymentRecorded x => $"payment {x.PaymentId[..8]}… {Amount(x.Amount)} ({x.Category}{(x.Description is null ? "" : ", " + x.Description)}) for period {x.PeriodStart:yyyy-MM-dd}",
        PeriodPaid x => $"period paid {x.PeriodStart:yyyy-MM-dd} to {x.PeriodEnd:yyyy-MM-dd}",
        PaymentPastDue x => $"past due for {x.PeriodStart:yyyy-MM-dd} after {x.FailedAttempts} failure(s)",
        MembershipSuspended => "suspended",
        MembershipCancelled x => $"cancelled ({x.Reason}) effective {x.EffectiveOn:yyyy-MM-dd}",
        MembershipPaused x => $"paused {x.From:yyyy-MM-dd} until {x.Until:yyyy-MM-dd}, unused paid {(x.UnusedPaid is { } u ? Amount(u) : "none")}",
        MembershipResumed x => $"resumed {x.On:yyyy-MM-dd}{(x.Automatically ? " automatically" : "")}, anchor day {x.AnchorDay}",
        PlanChangeScheduled x => $"{x.Terms.To.Terms.Name} scheduled from {x.Terms.EffectiveOn:yyyy-MM-dd}",
        PlanChangeRequested x => $"change to {x.Terms.To.Terms.Name} asked ({x.Terms.Direction}, {Amount(x.Terms.Charge)} for {x.Terms.RemainingDays}/{x.Terms.DaysInPeriod} days)",
        PlanChanged x => $"plan changed to {x.Terms.To.Terms.Name} ({x.Terms.Direction}{(x.PaymentId is null ? ", nothing paid" : "")})",
        PlanChangeWithdrawn => "scheduled change withdrawn",
        CancellationRequested x => $"cancellation pending ({x.Option}) effective {x.EffectiveOn:yyyy-MM-dd}, obligation {Amount(x.Obligation)}",
        CancellationWithdrawn => "cancellation withdrawn",
        ChargeAttempted x => $"charge attempt {x.AttemptId} {Amount(x.Amount)}",
        ChargeResolved x => $"charge {x.AttemptId}: {x.Result}",
        CreditsAllocated x => $"{x.LotId}: +{x.Quantity} {x.BenefitKey} ({x.Source}, {(x.ExpiresAt is { } at ? "expires " + Local(at) : "rolls over")})",
        CreditsExpired x => $"{x.LotId}: -{x.Quantity} {x.BenefitKey} expired ({x.Reason})",
        CreditsRedeemed x => $"redeemed {x.Quantity} {x.BenefitKey}",
        RedemptionVoided x => $"voided {x.RedemptionId}",
        CreditsFrozen => "credits frozen",
        CreditsUnfrozen x => $"credits unfrozen after {x.FrozenFor}",
        CardOnFileSaved x => $"card {x.PaymentMethodId} saved",
        CardOnFileRemoved x => $"card {x.PaymentMethodId} removed",
        _ => null,
    };
}

/// <summary>A life that broke a rule, with the story of how.</summary>
internal sealed class LifeFailedException(string message, Exception inner) : Exception(message, inner);

/// <summary>Random lives, and their shrinking: drop steps, then make single steps do nothing.</summary>
internal static class MemberLives
{
    public static Arbitrary<Life> Of(LifeMix mix)
    {
        var step =
            from minutes in Gen.Frequency(
                (1, Gen.Constant(0)),
                (3, Gen.Constant(MemberLife.UntilNextDue)),
                (4, Gen.Choose(60, 60 * 24)),
                (5, Gen.Choose(60 * 24, 60 * 24 * 10)),
                (2, Gen.Choose(60 * 24 * 10, 60 * 24 * 40)))
            from act in Gen.Frequency(mix.Acts.Select(a => (a.Weight, Gen.Constant(a.Act))))
            from pick in Gen.Choose(0, 9_999)
            from luck in Gen.Choose(0, 9_999)
            select new LifeStep(minutes, act, pick, luck);
        var life =
            from startDays in Gen.Choose(0, 364)
            from startHour in Gen.Choose(0, 23)
            from plan in Gen.Choose(0, MemberLife.Plans.Length - 1)
            from firstLuck in Gen.Choose(0, 9_999)
            from length in Gen.Choose(10, 40)
            from steps in Gen.ArrayOf(step, length)
            select new Life(startDays, startHour, plan, firstLuck, steps);
        return Arb.From(life, Shrink);
    }

    private static IEnumerable<Life> Shrink(Life life)
    {
        var steps = life.Steps;
        for (var size = steps.Length / 2; size >= 1; size /= 2)
        {
            for (var from = 0; from + size <= steps.Length; from += size)
            {
                yield return life with { Steps = [.. steps[..from], .. steps[(from + size)..]] };
            }
        }

        for (var i = 0; i < steps.Length; i++)
        {
            if (steps[i].Act != Act.Nothing)
            {
                yield return life with { Steps = [.. steps[..i], steps[i] with { Act = Act.Nothing }, .. steps[(i + 1)..]] };
            }
        }
    }
}
