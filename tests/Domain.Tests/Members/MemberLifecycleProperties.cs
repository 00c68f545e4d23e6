using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using MedSpa.Billing;
using MedSpa.Domain.Billing;
using MedSpa.Domain.Credits;
using MedSpa.Domain.Members;
using MedSpa.Domain.Tests.Credits;
using MedSpa.Grains.Members;
using MedSpa.Members;
using MedSpa.Plans;

namespace MedSpa.Domain.Tests.Members;

/// <summary>
/// Money right through a member's life: random sequences of enrolment, pauses and early resumes, upgrades, downgrades
/// and lateral moves, renewals paid, declined (soft, hard, authentication) or answered late, new cards and removed
/// ones, redemptions and voids, cancellations of every option and their withdrawal, with the clinic's clock moving on
/// from an hour to forty days at a time and billing doing whatever falls due on the way (<see cref="MemberLife"/>).
/// The plans (<see cref="MemberLife.Plans"/>): Essentials $99 ($25 facial), Signature $249 (10 neurotoxin rolling
/// over to 20, $50 facial), Radiance $249 (1 filler, $75 facial), Platinum $399 (20 neurotoxin rolling to 40, $100
/// facial rolling to $200).
/// <para>
/// The rules are those of issue 19 as they are meant to be, where they differ from the code today: a pause freezes
/// the paid period (it is extended by the days paused, the credits stay frozen, the next charge moves by the same days
/// at full price, nothing is carried); a downgrade ends the lots of a benefit the new plan lacks when it takes effect;
/// credit granted at an upgrade follows the new plan's rollover.
/// </para>
/// </summary>
public sealed class MemberLifecycleProperties
{
    private const int Lives = 200;

    /// <summary>
    /// Every event folds: each is written as the journal writes it (<see cref="MemberEventJson"/>), read back as the
    /// same event, under an idempotency key no earlier event of the member holds (the journal's unique index would
    /// refuse the append, and the decision could never be recorded), and the events read back fold from
    /// <see cref="Member.Unregistered"/> into the member the decisions left, after every decision and at the end.
    /// </summary>
    [Property(MaxTest = Lives)]
    public Property Every_event_is_stored_and_read_back_into_the_same_member() =>
        Prop.ForAll(MemberLives.Of(LifeMix.Everything), life => MemberLife.Live(life, new StoredLog()));

    /// <summary>
    /// The ledger identity, for every benefit after every decision: allocated + adjusted = redeemed + expired + balance,
    /// on the recorded lots and in the balances the member sees; no lot below zero or above its grant.
    /// </summary>
    [Property(MaxTest = Lives)]
    public Property The_books_balance_for_every_benefit_after_every_decision() =>
        Prop.ForAll(MemberLives.Of(LifeMix.Everything), life => MemberLife.Live(life, new Books()));

    /// <summary>
    /// Credits follow money. Every lot a plan grants (source <see cref="LotSource.Allocation"/>) is granted in the
    /// decision that records the money for it, and is at most what that money paid for:
    /// <list type="bullet">
    /// <item>a period's allocation (the lot's reference is the payment of a <see cref="PeriodPaid"/>): for each benefit,
    /// at most the allocation of the plan the period is on, in proportion to what was paid of that plan's monthly price.
    /// A period paid in full allocates the plan's allocation once; a period paid by days carried over a pause (0.00)
    /// allocates nothing, and one paid in part allocates that part at most;</item>
    /// <item>an upgrade's extra credit (the lot's reference is a <see cref="PlanChanged"/> in the same decision): for each
    /// benefit, at most the new plan's allocation less the old plan's, times the days left of the period over its days
    /// (units rounded down, dollars to the cent), and only when the change's prorated charge was paid with money; a
    /// change that charged nothing (a lateral move) grants nothing.</item>
    /// </list>
    /// Any other grant by a plan, not tied to a payment in its decision, is credit that was never paid for. Since each
    /// grant is held to its own payment, what any span of the membership allocates is held to what that span paid.
    /// </summary>
    [Property(MaxTest = Lives)]
    public Property Credits_follow_money() =>
        Prop.ForAll(MemberLives.Of(LifeMix.Everything), life => MemberLife.Live(life, new CreditsFollowMoney()));

    /// <summary><see cref="Credits_follow_money"/> with no plan changes, so a failure is about pauses, renewals and declines.</summary>
    [Property(MaxTest = Lives)]
    public Property Credits_follow_money_through_pauses_and_renewals() =>
        Prop.ForAll(MemberLives.Of(LifeMix.PausesAndRenewals), life => MemberLife.Live(life, new CreditsFollowMoney()));

    /// <summary><see cref="Credits_follow_money"/> with no pauses, so a failure is about upgrades, downgrades and lateral moves.</summary>
    [Property(MaxTest = Lives)]
    public Property Credits_follow_money_through_plan_changes() =>
        Prop.ForAll(MemberLives.Of(LifeMix.PlanChanges), life => MemberLife.Live(life, new CreditsFollowMoney()));

    /// <summary>
    /// No credit is lost without an event saying why. A decision moves each balance exactly by the credit it allocates
    /// and adjusts, less what it redeems and expires, plus what it voids. And every expiry has its reason: lapsed only
    /// for a dated lot whose date has passed (frozen time not counted), the rollover cap only in a decision that
    /// allocates to the benefit and leaves it exactly at the plan's cap, the membership ended only in the decision that
    /// ends it; a downgrade taking effect may end the lots of a benefit the new plan lacks.
    /// </summary>
    [Property(MaxTest = Lives)]
    public Property Credit_is_lost_only_by_a_recorded_redemption_expiry_or_ending() =>
        Prop.ForAll(MemberLives.Of(LifeMix.Everything), life => MemberLife.Live(life, new NothingLostUnrecorded()));

    /// <summary>
    /// Each lot follows the plan it is granted under: a period's allocation or an upgrade's extra credit of a benefit
    /// that rolls over on the plan the member is on once granted has no expiry, one that does not roll over expires
    /// later than now. And once a downgrade has taken effect, nothing is left of the lots of a benefit the new plan
    /// does not have.
    /// </summary>
    [Property(MaxTest = Lives)]
    public Property Every_lot_follows_the_plan_it_is_granted_under() =>
        Prop.ForAll(MemberLives.Of(LifeMix.Everything), life => MemberLife.Live(life, new LotsFollowThePlan()));

    /// <summary>
    /// Every charge is the price of what it pays for: a period's charge, and the payment that pays a period, is the
    /// monthly price of the plan the period is on (a scheduled downgrade's from its date); an upgrade charges the
    /// difference of the two plans' monthly prices for the days left, and a lateral move nothing.
    /// </summary>
    [Property(MaxTest = Lives)]
    public Property Every_charge_is_the_price_of_what_it_pays_for() =>
        Prop.ForAll(MemberLives.Of(LifeMix.Everything), life => MemberLife.Live(life, new Prices()));

    /// <summary>
    /// Billing's own work is never refused: whatever the member did before, each item <see cref="DueWork"/> says is due
    /// can be done. A refusal there makes the member grain's wake throw (only an unavailable processor is expected), and
    /// the billing run wakes the member again and again until something else changes.
    /// </summary>
    [Property(MaxTest = Lives)]
    public Property Billing_can_always_do_what_falls_due() =>
        Prop.ForAll(MemberLives.Of(LifeMix.Everything), life => MemberLife.Live(life, new NoRefusedWakes()));

    /// <summary>
    /// Issue 19, pause: paid 249.00 on 10 March for the period to 10 April, paused the next day for 22 days. The pause
    /// freezes the paid period: nothing is charged or allocated when it ends on 2 April, the next charge is on 2 May
    /// (22 days after 10 April) at the full 249.00, and only that charge allocates the next period's credits.
    /// </summary>
    [Fact]
    public void A_pause_the_day_after_paying_moves_the_next_charge_by_the_days_paused_at_full_price_and_allocates_nothing_meanwhile()
    {
        var life = MemberLife.Begin(MemberLife.Signature, MemberLife.Local(2027, 3, 10, 11));
        Assert.Equal([24_900L], life.Member.Payments.Select(p => p.Amount.Amount));
        var paid = life.Log.Count;

        life.AdvanceTo(MemberLife.Local(2027, 3, 11, 11)).Pause(22);
        Assert.Equal(MembershipStatus.Paused, life.Member.Status);
        var view = life.Member.Membership(MemberLife.MemberId);
        Assert.Equal((new DateOnly(2027, 5, 2), 24_900L), (view.NextBillingDate, view.NextPrice?.Amount));

        life.AdvanceTo(MemberLife.Local(2027, 5, 2, 8, 59));
        Assert.Equal(MembershipStatus.Active, life.Member.Status);
        Assert.DoesNotContain(life.Log.Skip(paid), e => e is ChargeAttempted or PaymentRecorded or PeriodPaid or CreditsAllocated);
        view = life.Member.Membership(MemberLife.MemberId);
        Assert.Equal((new DateOnly(2027, 5, 2), 24_900L), (view.NextBillingDate, view.NextPrice?.Amount));

        life.AdvanceTo(MemberLife.Local(2027, 5, 2, 12));
        var charge = Assert.Single(life.Log.Skip(paid).OfType<ChargeAttempted>());
        Assert.Equal((new DateOnly(2027, 5, 2), 24_900L, MemberLife.Local(2027, 5, 2, 9)), (charge.PeriodStart, charge.Amount.Amount, charge.OccurredAt));
        Assert.Equal(
            [("units:svc_tox", 10L), ("dollars:facial", 5_000L)],
            life.Log.Skip(paid).OfType<CreditsAllocated>().Select(a => (a.BenefitKey, a.Quantity)));
    }

    /// <summary>
    /// Issue 19, downgrade: from Signature (10 neurotoxin units a month, rolling over) to Essentials, which has no
    /// neurotoxin. The units end, recorded as expired, when the change takes effect with the 10 April renewal; they do
    /// not roll on into a plan that does not have them.
    /// </summary>
    [Fact]
    public void A_downgrade_to_a_plan_without_a_rolling_benefit_ends_those_units_when_it_takes_effect()
    {
        var life = MemberLife.Begin(MemberLife.Signature, MemberLife.Local(2027, 3, 10, 11));
        life.AdvanceTo(MemberLife.Local(2027, 3, 20, 11)).Redeem("units:svc_tox", 3).ChangePlan(MemberLife.Essentials);
        Assert.Equal("plan_essentials", life.Member.ScheduledPlanChange?.Terms.To.PlanId);
        Assert.Equal(7, life.Member.Credits.Available("units:svc_tox", life.Now));
        var before = life.Log.Count;

        life.AdvanceTo(MemberLife.Local(2027, 4, 10, 12));

        var renewal = MemberLife.Local(2027, 4, 10, 9);
        Assert.Equal(("plan_essentials", 9_900L), (life.Member.Enrolment!.Plan.PlanId, life.Member.Payments[^1].Amount.Amount));
        Assert.Equal(0, life.Member.Credits.Available("units:svc_tox", life.Now));
        var ended = life.Log.Skip(before).OfType<CreditsExpired>().Where(x => x.BenefitKey == "units:svc_tox").ToList();
        Assert.Equal(7, ended.Sum(x => x.Quantity));
        Assert.All(ended, x => Assert.Equal(renewal, x.OccurredAt));
        Assert.Equal((10L, 3L, 7L), (life.Member.Credits.Totals["units:svc_tox"].Allocated, life.Member.Credits.Totals["units:svc_tox"].Redeemed, life.Member.Credits.Totals["units:svc_tox"].Expired));

        life.AdvanceTo(MemberLife.Local(2027, 5, 10, 12));
        Assert.Equal(0, life.Member.Credits.Available("units:svc_tox", life.Now));
    }

    /// <summary>
    /// Issue 19, upgrade: Signature to Platinum on 20 March, 21 of the period's 31 days left: 101.61 charged, 6 more
    /// neurotoxin units and 33.87 of facial credit. On Platinum both roll over, so the extra credit rolls over too: it is
    /// undated and still there after the 10 April renewal, beside Platinum's own allocation.
    /// </summary>
    [Fact]
    public void Credit_granted_at_an_upgrade_rolls_over_when_the_new_plans_benefit_does()
    {
        var upgradeAt = MemberLife.Local(2027, 3, 20, 11);
        var life = MemberLife.Begin(MemberLife.Signature, MemberLife.Local(2027, 3, 10, 11));
        var before = life.Log.Count;

        life.AdvanceTo(upgradeAt).ChangePlan(MemberLife.Platinum);

        Assert.Equal(("plan_platinum", 10_161L), (life.Member.Enrolment!.Plan.PlanId, life.Member.Payments[^1].Amount.Amount));
        var extras = life.Log.Skip(before).OfType<CreditsAllocated>().ToList();
        Assert.Equal([("units:svc_tox", 6L), ("dollars:facial", 3_387L)], extras.Select(a => (a.BenefitKey, a.Quantity)));
        Assert.All(extras, a => Assert.Null(a.ExpiresAt));

        life.AdvanceTo(MemberLife.Local(2027, 4, 10, 12));

        Assert.Equal(39_900L, life.Member.Payments[^1].Amount.Amount);
        var lots = life.Member.Credits.Lots.Where(l => extras.Any(a => a.LotId == l.LotId)).ToList();
        Assert.All(lots, l => Assert.Equal(l.Granted, l.Remaining));
        Assert.Equal(10 + 6 + 20, life.Member.Credits.Available("units:svc_tox", life.Now));
        // Signature's own $50 of March may lapse or roll on; the extra 33.87 and Platinum's $100 must both be there.
        Assert.InRange(life.Member.Credits.Available("dollars:facial", life.Now), 3_387 + 10_000, 3_387 + 10_000 + 5_000);
    }

    private static long Allocation(PlanTerms plan, string benefitKey) =>
        plan.Benefits.Where(b => KeyOf(b) == benefitKey).Sum(b => b.Kind switch
        {
            BenefitKind.TreatmentUnits => (long)(b.Units ?? 0),
            BenefitKind.DollarCredit => b.Amount?.Amount ?? 0,
            _ => 0,
        });

    private static Benefit? BenefitOf(PlanTerms plan, string benefitKey) =>
        plan.Benefits.FirstOrDefault(b => b.Kind != BenefitKind.Discount && KeyOf(b) == benefitKey);

    private static string KeyOf(Benefit benefit) => benefit.Key ?? BenefitKeys.For(benefit.Kind, benefit.ServiceId, benefit.Category);

    private static string Money(long amount) => (amount / 100m).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The plan a period starting <paramref name="periodStart"/> is billed on: a scheduled downgrade from its date.</summary>
    private static EnrolledPlan PlanFor(Member member, DateOnly periodStart) =>
        member.ScheduledPlanChange is { } scheduled && periodStart >= scheduled.Terms.EffectiveOn ? scheduled.Terms.To : member.Enrolment!.Plan;

    /// <summary>Where the credit clock stands: stopped at the freeze while frozen.</summary>
    private static DateTimeOffset CreditsNow(CreditLedger ledger, DateTimeOffset now) => ledger.FrozenSince is { } since && since < now ? since : now;

    private sealed class NoRefusedWakes : ILifeWatch
    {
        public void Recorded(Member before, IReadOnlyList<MemberEvent> events, Member after, DateTimeOffset now)
        {
        }

        public void WakeRefused(string what) => Assert.Fail($"Billing's wake failed: {what}");
    }

    private sealed class StoredLog : ILifeWatch
    {
        private readonly HashSet<string> _keys = new(StringComparer.Ordinal);
        private readonly List<MemberEvent> _read = [];
        private Member _stored = Member.Unregistered;

        public void Recorded(Member before, IReadOnlyList<MemberEvent> events, Member after, DateTimeOffset now)
        {
            foreach (var e in events)
            {
                var json = MemberEventJson.Serialize(e);
                Assert.NotNull(MemberEventJson.TypeOf(e));
                var read = MemberEventJson.Deserialize(json);
                Assert.Equal(e.GetType(), read.GetType());
                _read.Add(read);
                if (MemberEventJson.IdempotencyKey(e) is { } key)
                {
                    Assert.True(_keys.Add(key), $"{e.GetType().Name} carries idempotency key {key}, which an earlier event holds: the journal refuses the append.");
                }

                _stored = _stored.Apply(read);
            }


            // What billing and the credits run on, after every decision; everything else once the life is over.
            // (Plain comparisons: xunit's structural Assert.Equal costs more than the whole life.)
            Assert.True(after.Credits.Equals(_stored.Credits), "The credits read back differ from the credits the decisions left.");
            Assert.True(Billing(after).Equals(Billing(_stored)), $"Read back, billing would see {Billing(_stored)}; the decisions left {Billing(after)}.");
            Assert.True(after.Payments.SequenceEqual(_stored.Payments), "The payments read back differ.");
            Assert.True(after.ChargeAttempts.SequenceEqual(_stored.ChargeAttempts), "The charge attempts read back differ.");
        }

        public void Finished(Member member, IReadOnlyList<MemberEvent> log, DateTimeOffset now)
        {
            Assert.Equal(Snapshot(member, now), Snapshot(_stored, now));
            Assert.Equal(log.Count, _read.Count);
            var folded = _read.Aggregate(Member.Unregistered, (m, e) => m.Apply(e));
            Assert.Equal(member.Credits, folded.Credits);
            Assert.Equal(Snapshot(member, now), Snapshot(folded, now));
        }

        private static object Billing(Member m) => (
            m.Status, m.PaidPeriod, m.NextPeriodStart, m.Dunning, m.CurrentPause, m.PauseCarry, m.PendingCancellation, m.Card,
            m.ScheduledPlanChange?.ChangeId, m.Enrolment?.Plan.PlanId, m.Enrolment?.AnchorDay, m.Enrolment?.TermEnd);

        /// <summary>Everything the member's pages and billing read, as JSON: records holding lists compare by reference.</summary>
        private static string Snapshot(Member m, DateTimeOffset now) => JsonSerializer.Serialize(
            new object?[]
            {
                m.Profile, m.Membership(MemberLife.MemberId), m.CreditsView(MemberLife.MemberId, now), m.Billing is { } billing ? billing with { Zone = null! } : null,
                m.Enrolment is { } e ? new { e.Plan, e.TimeZone, e.EnrolledOn, e.AnchorDay, e.TermEnd, e.Agreement } : null,
                m.Status, m.PaidPeriod, m.NextPeriodStart, m.Payments, m.ChargeAttempts, m.Notices, m.Dunning, m.CurrentPause, m.PausesTaken,
                m.PauseCarry, m.PendingCancellation, m.LastCancellation, m.ScheduledPlanChange, m.Card, m.CustomerId,
                m.PlanChanges.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => c.Value),
                m.BuyOuts.OrderBy(b => b.Key, StringComparer.Ordinal).Select(b => b.Value),
                m.Credits.Lots, m.Credits.FrozenSince, m.Credits.LotsIssued,
                m.Credits.Totals.OrderBy(t => t.Key, StringComparer.Ordinal),
                m.Credits.Redemptions.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => r.Value),
            },
            MemberEventJson.Options);
    }

    private sealed class Books : ILifeWatch
    {
        public void Recorded(Member before, IReadOnlyList<MemberEvent> events, Member after, DateTimeOffset now)
        {
            var ledger = after.Credits;
            Assert.All(ledger.Lots, lot => Assert.InRange(lot.Remaining, 0, lot.Granted));
            foreach (var (key, totals) in ledger.Totals)
            {
                Assert.True(
                    totals.Allocated + totals.Adjusted == totals.Redeemed + totals.Expired + ledger.RecordedBalance(key),
                    $"{key}: allocated {totals.Allocated} + adjusted {totals.Adjusted} ≠ redeemed {totals.Redeemed} + expired {totals.Expired} + balance {ledger.RecordedBalance(key)}");
            }

            foreach (var balance in ledger.Balances(now, "usd"))
            {
                Assert.True(
                    balance.Allocated + balance.Adjusted == balance.Redeemed + balance.Expired + balance.Balance,
                    $"{balance.BenefitKey} as the member sees it: allocated {balance.Allocated} + adjusted {balance.Adjusted} ≠ redeemed {balance.Redeemed} + expired {balance.Expired} + balance {balance.Balance}");
                Assert.True(balance.Balance >= 0, $"{balance.BenefitKey} is at {balance.Balance}");
                Assert.Equal(balance.Balance, balance.Lots.Sum(lot => lot.Remaining));
                Assert.Equal(balance.Balance, ledger.Available(balance.BenefitKey, now));
            }
        }

        public void Finished(Member member, IReadOnlyList<MemberEvent> log, DateTimeOffset now)
        {
            var history = CreditLedger.History(log.Select((e, i) => ((long)i + 1, e)));
            var running = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var entry in history.Where(entry => entry.BenefitKey is not null))
            {
                running[entry.BenefitKey!] = running.GetValueOrDefault(entry.BenefitKey!) + entry.Change;
                Assert.Equal(running[entry.BenefitKey!], entry.BalanceAfter);
            }

            foreach (var key in member.Credits.Totals.Keys)
            {
                Assert.Equal(member.Credits.RecordedBalance(key), running.GetValueOrDefault(key));
            }
        }
    }

    private sealed class CreditsFollowMoney : ILifeWatch
    {
        private readonly Dictionary<string, PaymentRecorded> _payments = new(StringComparer.Ordinal);

        public void Recorded(Member before, IReadOnlyList<MemberEvent> events, Member after, DateTimeOffset now)
        {
            var periods = new Dictionary<string, (PeriodPaid Paid, PlanTerms Plan)>(StringComparer.Ordinal);
            var changes = new Dictionary<string, (PlanChanged Change, PlanTerms From)>(StringComparer.Ordinal);
            var granted = new Dictionary<(string Reference, string Key), long>();
            var state = before;
            foreach (var e in events)
            {
                switch (e)
                {
                    case PaymentRecorded payment:
                        _payments[payment.PaymentId] = payment;
                        break;
                    case PeriodPaid paid:
                        // A downgrade due by the period has switched the plan before this: the period is on the plan it is billed on.
                        periods[paid.PaymentId] = (paid, state.Enrolment!.Plan.Terms);
                        break;
                    case PlanChanged changed:
                        changes[changed.ChangeId] = (changed, state.Enrolment!.Plan.Terms);
                        break;
                    case CreditsAllocated { Source: LotSource.Allocation } allocated:
                        Assert.True(
                            allocated.Reference is { } reference && (periods.ContainsKey(reference) || changes.ContainsKey(reference)),
                            $"{allocated.LotId}: {allocated.Quantity} {allocated.BenefitKey} allocated for {allocated.Reference}, which is neither a period paid nor a plan change in the same decision: credit nobody paid for.");
                        granted[(allocated.Reference!, allocated.BenefitKey)] = granted.GetValueOrDefault((allocated.Reference!, allocated.BenefitKey)) + allocated.Quantity;
                        break;
                    case CreditsAllocated other:
                        Assert.Fail($"{other.LotId}: {other.Quantity} {other.BenefitKey} granted as {other.Source}, and nobody in this life bought or was given any.");
                        break;
                    default:
                        break;
                }

                state = state.Apply(e);
            }

            foreach (var ((reference, key), quantity) in granted)
            {
                if (periods.TryGetValue(reference, out var period))
                {
                    var price = period.Plan.MonthlyPrice.Amount;
                    var paid = _payments.TryGetValue(reference, out var payment) && payment.Status == PaymentStatus.Succeeded ? payment.Amount.Amount : 0;
                    var allocation = Allocation(period.Plan, key);
                    Assert.True(
                        quantity * price <= allocation * paid,
                        $"The period {period.Paid.PeriodStart:yyyy-MM-dd} to {period.Paid.PeriodEnd:yyyy-MM-dd} on {period.Plan.Name} was paid {Money(paid)} of {Money(price)} " +
                        $"and allocated {quantity} {key}; what was paid covers {allocation} × {Money(paid)} ÷ {Money(price)} = {(decimal)allocation * paid / price:0.##}.");
                }
                else
                {
                    var (change, from) = changes[reference];
                    var paid = change.PaymentId is { } paymentId && _payments.TryGetValue(paymentId, out var payment) && payment.Status == PaymentStatus.Succeeded
                        ? payment.Amount.Amount
                        : 0;
                    var extra = Allocation(change.Terms.To.Terms, key) - Allocation(from, key);
                    var (left, days) = (change.Terms.RemainingDays, change.Terms.DaysInPeriod);
                    var entitled = paid <= 0 || extra <= 0
                        ? 0
                        : key.StartsWith("dollars:", StringComparison.Ordinal) ? Proration.ProrateAmount(extra, left, days) : Proration.ProrateUnits(extra, left, days);
                    Assert.True(
                        quantity <= entitled,
                        $"The change {change.ChangeId} from {from.Name} to {change.Terms.To.Terms.Name} ({change.Terms.Direction}) was paid {Money(paid)} and granted {quantity} {key}; " +
                        $"it covers {entitled} (the new plan's {Allocation(change.Terms.To.Terms, key)} less the old plan's {Allocation(from, key)}, for {left} of {days} days, and only if paid).");
                }
            }
        }
    }

    private sealed class NothingLostUnrecorded : ILifeWatch
    {
        public void Recorded(Member before, IReadOnlyList<MemberEvent> events, Member after, DateTimeOffset now)
        {
            var ended = events.Any(e => e is MembershipCancelled);
            var downgrades = events.OfType<PlanChanged>().Where(c => c.Terms.Direction == PlanChangeDirection.Downgrade).ToList();
            var allocatedTo = events.OfType<CreditsAllocated>().Select(a => a.BenefitKey).ToHashSet(StringComparer.Ordinal);
            var moved = new Dictionary<string, long>(StringComparer.Ordinal);
            var capped = new HashSet<string>(StringComparer.Ordinal);
            var state = before;
            foreach (var e in events)
            {
                switch (e)
                {
                    case CreditsAllocated a:
                        moved[a.BenefitKey] = moved.GetValueOrDefault(a.BenefitKey) + a.Quantity;
                        break;
                    case CreditsAdjusted a:
                        moved[a.BenefitKey] = moved.GetValueOrDefault(a.BenefitKey) + a.Quantity;
                        break;
                    case CreditsRedeemed r:
                        moved[r.BenefitKey] = moved.GetValueOrDefault(r.BenefitKey) - r.Quantity;
                        break;
                    case RedemptionVoided v when state.Credits.Redemptions[v.RedemptionId] is { VoidedAt: null } redemption:
                        moved[redemption.BenefitKey] = moved.GetValueOrDefault(redemption.BenefitKey) + redemption.Quantity;
                        break;
                    case CreditsExpired x:
                        moved[x.BenefitKey] = moved.GetValueOrDefault(x.BenefitKey) - x.Quantity;
                        var lot = state.Credits.Lots.Single(l => l.LotId == x.LotId);
                        if (x.Reason == ExpiryReason.RolloverCap)
                        {
                            capped.Add(x.BenefitKey);
                        }

                        var reason = x.Reason switch
                        {
                            ExpiryReason.Lapsed => lot.ExpiresAt is { } at && at <= CreditsNow(state.Credits, now),
                            ExpiryReason.RolloverCap => allocatedTo.Contains(x.BenefitKey),
                            ExpiryReason.MembershipEnded => ended,
                            // Rolled-over credit of a benefit the member's plan (as the decision left it so far) lacks.
                            ExpiryReason.BenefitDropped => lot.ExpiresAt is null && BenefitOf(state.Enrolment!.Plan.Terms, x.BenefitKey) is null,
                            _ => false,
                        };
                        var downgraded = downgrades.Any(d => BenefitOf(d.Terms.To.Terms, x.BenefitKey) is null);
                        Assert.True(
                            reason || downgraded,
                            $"{x.LotId}: {x.Quantity} {x.BenefitKey} expired ({x.Reason}) with no cause for it in the decision: the lot expires {lot.ExpiresAt?.ToString("u") ?? "never"}, " +
                            $"the credit clock stands at {CreditsNow(state.Credits, now):u}, the membership {(ended ? "ends" : "goes on")}.");
                        break;
                    default:
                        break;
                }

                state = state.Apply(e);
            }

            foreach (var key in before.Credits.Totals.Keys.Union(after.Credits.Totals.Keys))
            {
                Assert.True(
                    before.Credits.RecordedBalance(key) + moved.GetValueOrDefault(key) == after.Credits.RecordedBalance(key),
                    $"{key} went from {before.Credits.RecordedBalance(key)} to {after.Credits.RecordedBalance(key)}, but the decision's events move it by {moved.GetValueOrDefault(key)}.");
            }

            foreach (var key in capped)
            {
                var cap = BenefitOf(after.Enrolment!.Plan.Terms, key)?.Rollover?.MaxAccumulation;
                Assert.True(
                    cap == after.Credits.Available(key, now),
                    $"{key} was cut for the rollover cap down to {after.Credits.Available(key, now)}, but {after.Enrolment.Plan.Terms.Name}'s cap is {cap?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}.");
            }
        }
    }

    private sealed class LotsFollowThePlan : ILifeWatch
    {
        public void Recorded(Member before, IReadOnlyList<MemberEvent> events, Member after, DateTimeOffset now)
        {
            var state = before;
            foreach (var e in events)
            {
                state = state.Apply(e);
                if (e is not CreditsAllocated { Source: LotSource.Allocation } granted)
                {
                    continue;
                }

                // The plan the member is on once the credit is granted: an upgrade's extra credit comes after its PlanChanged.
                var plan = state.Enrolment!.Plan.Terms;
                var rolls = BenefitOf(plan, granted.BenefitKey)?.Rollover is not null;
                Assert.True(
                    rolls ? granted.ExpiresAt is null : granted.ExpiresAt > now,
                    $"{granted.LotId}: {granted.Quantity} {granted.BenefitKey} granted on {plan.Name}, where it {(rolls ? "rolls over" : "expires with the period")}, " +
                    $"{(granted.ExpiresAt is { } at ? $"expires {at:u}" : "never expires")}.");
            }

            foreach (var change in events.OfType<PlanChanged>().Where(c => c.Terms.Direction == PlanChangeDirection.Downgrade))
            {
                var plan = change.Terms.To.Terms;
                foreach (var lot in after.Credits.Lots.Where(l => l.Source is LotSource.Allocation or LotSource.Bonus && l.Remaining > 0 && BenefitOf(plan, l.BenefitKey) is null))
                {
                    Assert.Fail($"{lot.LotId} still holds {lot.Remaining} {lot.BenefitKey} ({(lot.ExpiresAt is { } at ? $"until {at:u}" : "rolling over")}) after the downgrade to {plan.Name}, which has no such benefit.");
                }
            }
        }
    }

    private sealed class Prices : ILifeWatch
    {
        private readonly Dictionary<string, PaymentRecorded> _payments = new(StringComparer.Ordinal);

        public void Recorded(Member before, IReadOnlyList<MemberEvent> events, Member after, DateTimeOffset now)
        {
            var state = before;
            foreach (var e in events)
            {
                switch (e)
                {
                    case PaymentRecorded payment:
                        _payments[payment.PaymentId] = payment;
                        break;
                    case ChargeAttempted { Purpose: ChargePurpose.Subscription } attempt:
                        var plan = PlanFor(state, attempt.PeriodStart);
                        Assert.True(
                            attempt.Amount == plan.Terms.MonthlyPrice,
                            $"{attempt.AttemptId} charges {Money(attempt.Amount.Amount)} for the period from {attempt.PeriodStart:yyyy-MM-dd} on {plan.Terms.Name}, which costs {Money(plan.Terms.MonthlyPrice.Amount)}.");
                        break;
                    case PeriodPaid paid:
                        var price = state.Enrolment!.Plan.Terms.MonthlyPrice;
                        Assert.True(_payments.TryGetValue(paid.PaymentId, out var paying), $"The period {paid.PeriodStart:yyyy-MM-dd} is paid by {paid.PaymentId}, which was never recorded.");
                        var amount = paying.Amount;
                        Assert.True(
                            amount == price,
                            $"The period {paid.PeriodStart:yyyy-MM-dd} to {paid.PeriodEnd:yyyy-MM-dd} on {state.Enrolment.Plan.Terms.Name} ({Money(price.Amount)}) is paid by {Money(amount.Amount)}.");
                        break;
                    case PlanChangeRequested { Terms: var terms }:
                        CheckChangeCharge(state, terms);
                        break;
                    case PlanChanged { Terms.Direction: PlanChangeDirection.Lateral, Terms: var terms }:
                        CheckChangeCharge(state, terms);
                        break;
                    default:
                        break;
                }

                state = state.Apply(e);
            }
        }

        private static void CheckChangeCharge(Member state, PlanChangeTerms terms)
        {
            var from = state.Enrolment!.Plan.Terms.MonthlyPrice.Amount;
            var to = terms.To.Terms.MonthlyPrice.Amount;
            var expected = to > from ? Proration.ProrateAmount(to - from, terms.RemainingDays, terms.DaysInPeriod) : 0;
            Assert.True(
                terms.Charge.Amount == expected,
                $"The change from {state.Enrolment.Plan.Terms.Name} ({Money(from)}) to {terms.To.Terms.Name} ({Money(to)}) with {terms.RemainingDays} of {terms.DaysInPeriod} days left " +
                $"charges {Money(terms.Charge.Amount)}; the difference for those days is {Money(expected)}.");
        }
    }
}
