using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using MedSpa.Domain.Credits;
using MedSpa.Members;
using MedSpa.Plans;

namespace MedSpa.Domain.Tests.Credits;

/// <summary>
/// Random days at the desk: periods paid, add-ons and packages sold, treatments redeemed and voided, staff corrections,
/// pauses and resumes, expiry runs, the odd cancellation, with the clock moving forward in between. Whatever the mix,
/// the books must balance after every step, and the event log alone must rebuild the same ledger.
/// </summary>
public sealed class CreditLedgerProperties
{
    private static readonly string[] Keys = ["units:neurotoxin", "units:filler", "dollars:facial"];

    private static readonly Benefit[] Plan =
    [
        new(BenefitKind.TreatmentUnits, Category: "neurotoxin", Units: 2),
        new(BenefitKind.TreatmentUnits, Category: "filler", Units: 3, Rollover: new Rollover(5)),
        new(BenefitKind.DollarCredit, Category: "facial", Amount: new Money(5_000, "usd"), Rollover: new Rollover(8_000)),
        // A second benefit feeding a rolling key already in the plan: both lots and the cap must come out right.
        new(BenefitKind.TreatmentUnits, Category: "filler", Units: 2, Rollover: new Rollover(5)),
        new(BenefitKind.Discount, Category: "facial", Percent: 15),
    ];

    private static readonly LotSource[] Sources = [LotSource.AddOn, LotSource.Package, LotSource.Bonus, LotSource.Allocation];

    private static readonly DateTimeOffset Start = new(2027, 1, 15, 9, 0, 0, TimeSpan.Zero);

    /// <summary>The clock stops exactly on the next expiry, as the reminder for it would, so boundaries get hit.</summary>
    private const int UntilNextExpiry = -1;

    /// <summary>
    /// One thing happening at the desk, as plain numbers read against the ledger of the moment, so that any sequence,
    /// and any shorter one FsCheck shrinks a failure to, is a day that could happen.
    /// </summary>
    public sealed record DeskAction(int Action, int Key, int Quantity, int Pick, int MinutesLater);

    public static Arbitrary<DeskAction[]> Days()
    {
        var step =
            from action in Gen.Choose(0, 99)
            from key in Gen.Choose(0, Keys.Length - 1)
            from quantity in Gen.Choose(1, 6)
            from pick in Gen.Choose(0, 10_000)
            from minutes in Gen.Frequency(
                (3, Gen.Constant(0)),
                (2, Gen.Constant(UntilNextExpiry)),
                (5, Gen.Choose(1, 60 * 24)),
                (3, Gen.Choose(60 * 24, 60 * 24 * 40)))
            select new DeskAction(action, key, quantity, pick, minutes);
        return Arb.Array(step.ToArbitrary());
    }

    [Property(MaxTest = 1500, EndSize = 80)]
    public Property The_books_balance_after_every_step_and_the_log_rebuilds_the_ledger() =>
        Prop.ForAll(Days(), steps => Play(steps));

    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(3UL)]
    [InlineData(4UL)]
    public void Years_of_membership_keep_balancing(ulong seed)
    {
        // Far longer than what the property draws, to reach many periods, caps and freezes in one member's life.
        var steps = Days().Generator.Sample(1, new Rnd(seed), 1_000).Single();
        Assert.True(steps.Length > 300, $"only {steps.Length} steps");

        Play(steps);
    }

    private static void Play(IEnumerable<DeskAction> steps)
    {
        var desk = new Desk();
        foreach (var step in steps)
        {
            desk.Do(step);
            desk.CheckBooks();
        }

        desk.CheckLog();
    }

    private sealed class Desk
    {
        private readonly List<MemberEvent> log = [];
        private readonly List<CreditAdjustmentRequest> adjustments = [];
        private int serial;

        public CreditLedger Ledger { get; private set; } = CreditLedger.Empty;

        public DateTimeOffset Now { get; private set; } = Start;

        public void Do(DeskAction step)
        {
            Now = step.MinutesLater == UntilNextExpiry
                ? Ledger.Lots.Where(lot => lot.Remaining > 0 && lot.ExpiresAt > Now).Select(lot => lot.ExpiresAt).Min() ?? Now
                : Now.AddMinutes(step.MinutesLater);
            var key = Keys[step.Key];
            var quantity = key.StartsWith("dollars:", StringComparison.Ordinal) ? step.Quantity * 1_250L : step.Quantity;
            IReadOnlyList<MemberEvent> events;
            try
            {
                events = step.Action switch
                {
                    < 12 => Allocate(step.Pick),
                    < 22 => Ledger.Grant(key, KindOf(key), Sources[step.Pick % Sources.Length], quantity, Expiry(step.Pick), "sale", Now),
                    < 30 when Ledger.Redemptions.Count > 0 => Replay(Ledger.Redemptions[Pick(Ids(Ledger.Redemptions.Keys), step.Pick)], step.Pick),
                    < 47 => Redeem(key, step.Pick % 5 == 0 ? quantity * 3 : quantity),
                    < 57 => Void(step.Pick),
                    < 69 => Adjust(key, quantity, step.Pick),
                    < 79 => Ledger.ExpireDue(Now),
                    < 81 => Ledger.ExpireAll(Now),
                    < 86 => Ledger.Freeze(Now),
                    < 96 => Unfreeze(),
                    _ => [],
                };
            }
            catch (CommandRejectedException)
            {
                // A refusal records nothing; the books must still balance, which CheckBooks sees next.
                return;
            }

            Assert.All(events, e => Assert.Equal(Now, e.OccurredAt));
            foreach (var e in events)
            {
                CheckDrawOrder(e);
                Record(e);
            }

            if (step.Action < 12)
            {
                CheckCaps(step.Pick);
            }
        }

        /// <summary>Conservation, no negative balance, lots within their grant, and the view agreeing with redemption.</summary>
        public void CheckBooks()
        {
            foreach (var lot in Ledger.Lots)
            {
                Assert.InRange(lot.Remaining, 0, lot.Granted);
            }

            foreach (var (key, totals) in Ledger.Totals)
            {
                Assert.Equal(totals.Allocated + totals.Adjusted, totals.Redeemed + totals.Expired + Ledger.RecordedBalance(key));
            }

            var balances = Ledger.Balances(Now, "usd");
            Assert.Equal(Ledger.Totals.Keys.Order(StringComparer.Ordinal), balances.Select(b => b.BenefitKey));
            foreach (var balance in balances)
            {
                Assert.Equal(balance.Allocated + balance.Adjusted, balance.Redeemed + balance.Expired + balance.Balance);
                Assert.True(balance.Balance >= 0, $"{balance.BenefitKey} is at {balance.Balance}");
                Assert.Equal(balance.Balance, Ledger.Available(balance.BenefitKey, Now));
                Assert.Equal(balance.Balance, balance.Lots.Sum(lot => lot.Remaining));
                Assert.All(balance.Lots, lot => Assert.True(lot.Remaining > 0 && lot.Remaining <= lot.Granted));
                Assert.Equal(balance.Kind == BenefitKind.DollarCredit ? "usd" : null, balance.Currency);
            }

            // What the expiry run would record is exactly what the balances already count as lapsed.
            var due = Ledger.ExpireDue(Now).Cast<CreditsExpired>().ToList();
            if (Ledger.FrozenSince is not null)
            {
                Assert.Empty(due);
            }
            else
            {
                Assert.All(due, x => Assert.Equal(ExpiryReason.Lapsed, x.Reason));
                Assert.Equal(
                    balances.Select(b => (b.BenefitKey, b.Expired - Ledger.Totals[b.BenefitKey].Expired)),
                    balances.Select(b => (b.BenefitKey, due.Where(x => x.BenefitKey == b.BenefitKey).Sum(x => x.Quantity))));
            }

            // However often a checkout retries, a redemption happens once.
            foreach (var redemption in Ledger.Redemptions.Values)
            {
                Assert.Empty(Ledger.Redeem(new RedemptionRequest(redemption.RedemptionId, redemption.BenefitKey, redemption.Quantity), null, Now));
            }
        }

        /// <summary>The log alone rebuilds the ledger, and the ledger history adds up to what the lots hold.</summary>
        public void CheckLog()
        {
            Assert.Equal(Ledger, CreditLedger.Empty.With(log));

            var history = CreditLedger.History(log.Select((e, i) => ((long)i + 1, e)));
            var running = new Dictionary<string, long>();
            foreach (var entry in history.Where(entry => entry.BenefitKey is not null))
            {
                running[entry.BenefitKey!] = running.GetValueOrDefault(entry.BenefitKey!) + entry.Change;
                Assert.Equal(running[entry.BenefitKey!], entry.BalanceAfter);
            }

            foreach (var key in Ledger.Totals.Keys)
            {
                Assert.Equal(Ledger.RecordedBalance(key), history.Last(entry => entry.BenefitKey == key).BalanceAfter);
            }

            Assert.Equal(log.Count(e => e is CreditsFrozen or CreditsUnfrozen), history.Count(entry => entry.BenefitKey is null));
        }

        private void Record(MemberEvent e)
        {
            log.Add(e);
            Ledger = Ledger.Apply(e);
        }

        private IReadOnlyList<MemberEvent> Allocate(int pick)
        {
            var benefits = Plan.Where((_, i) => ((pick >> i) & 1) == 1 || i == Plan.Length - 1);
            return Ledger.Allocate(benefits, Now.AddDays(30), $"pay_{++serial}", Now);
        }

        private IReadOnlyList<MemberEvent> Redeem(string key, long quantity)
        {
            var request = new RedemptionRequest($"red_{++serial}", key, quantity, "svc_any");
            var events = Ledger.Redeem(request, null, Now);
            var after = Ledger.With(events);
            Assert.Equal(Ledger.Available(key, Now) - quantity, after.Available(key, Now));
            Assert.Equal(Ledger.Totals[key].Redeemed + quantity, after.Totals[key].Redeemed);
            Assert.Null(after.Redemptions[request.RedemptionId].VoidedAt);
            Assert.Empty(after.Redeem(request, "chk_retry", Now));
            return events;
        }

        /// <summary>A checkout retried, as sent or with the id reused for something else.</summary>
        private IReadOnlyList<MemberEvent> Replay(RedemptionView earlier, int pick)
        {
            var request = new RedemptionRequest(earlier.RedemptionId, earlier.BenefitKey, earlier.Quantity);
            if (pick % 2 == 0)
            {
                Assert.Empty(Ledger.Redeem(request, null, Now));
                return [];
            }

            var reuse = request with { Quantity = earlier.Quantity + 1 };
            Assert.Equal("redemption_id_reused", Assert.Throws<CommandRejectedException>(() => Ledger.Redeem(reuse, null, Now)).Code);
            return [];
        }

        private IReadOnlyList<MemberEvent> Unfreeze()
        {
            var events = Ledger.Unfreeze(Now);
            if (Ledger.FrozenSince is not { } since)
            {
                Assert.Empty(events);
                return events;
            }

            // The pause does not eat into any lot's life: each dated expiry moves by exactly the time frozen.
            var after = Ledger.With(events);
            Assert.Equal(Ledger.Lots.Select(lot => lot.ExpiresAt + (Now - since)), after.Lots.Select(lot => lot.ExpiresAt));
            Assert.Null(after.FrozenSince);
            return events;
        }

        private IReadOnlyList<MemberEvent> Void(int pick)
        {
            var id = pick % 6 == 0 || Ledger.Redemptions.Count == 0 ? "red_unknown" : Pick(Ids(Ledger.Redemptions.Keys), pick);
            var events = Ledger.Void(id, pick % 7 == 0 ? " " : "treatment not given", Now);
            var redemption = Ledger.Redemptions[id];
            if (redemption.VoidedAt is not null)
            {
                Assert.Empty(events);
                return events;
            }

            // Every draw goes back into the very lot it came from, and nowhere else.
            var after = Ledger.With(events);
            var expected = Ledger.Lots.Select(lot => lot.Remaining + redemption.Draws.Where(d => d.LotId == lot.LotId).Sum(d => d.Quantity));
            Assert.Equal(expected, after.Lots.Select(lot => lot.Remaining));
            Assert.Equal(Ledger.Totals[redemption.BenefitKey].Redeemed - redemption.Quantity, after.Totals[redemption.BenefitKey].Redeemed);
            Assert.Equal(Now, after.Redemptions[id].VoidedAt);
            return events;
        }

        private IReadOnlyList<MemberEvent> Adjust(string key, long quantity, int pick)
        {
            var request = pick % 4 == 0 && adjustments.Count > 0
                ? Pick(adjustments, pick) with { Quantity = pick % 8 == 0 ? quantity : Pick(adjustments, pick).Quantity }
                : new CreditAdjustmentRequest($"adj_{++serial}", key, pick % 2 == 0 ? quantity : -quantity, pick % 9 == 0 ? "" : "desk correction");
            var expiry = Expiry(pick);
            var events = Ledger.Adjust(request, KindOf(request.BenefitKey), expiry, Now);
            if (events.Count == 0)
            {
                Assert.Contains(request, adjustments);
                return events;
            }

            var after = Ledger.With(events);
            Assert.Equal(Ledger.Available(request.BenefitKey, Now) + request.Quantity, after.Available(request.BenefitKey, Now));
            if (request.Quantity > 0)
            {
                Assert.Equal((LotSource.Adjustment, request.Quantity, request.Quantity, expiry), (after.Lots[^1].Source, after.Lots[^1].Granted, after.Lots[^1].Remaining, after.Lots[^1].ExpiresAt));
            }

            adjustments.Add(request);
            return events;
        }

        /// <summary>No usable lot is passed over for one that expires later: what a redemption leaves behind lasts at least as long as what it took.</summary>
        private void CheckDrawOrder(MemberEvent e)
        {
            var (key, draws) = e switch
            {
                CreditsRedeemed r => (r.BenefitKey, r.Draws),
                CreditsAdjusted { Quantity: < 0 } a => (a.BenefitKey, a.Draws),
                CreditsExpired { Reason: ExpiryReason.RolloverCap } x => (x.BenefitKey, (IReadOnlyList<LotDraw>)[new LotDraw(x.LotId, x.Quantity)]),
                _ => (null, []),
            };
            if (key is null)
            {
                return;
            }

            var asOf = Ledger.FrozenSince is { } since && since < Now ? since : Now;
            var usable = Ledger.Lots.Where(lot => lot.BenefitKey == key && lot.Remaining > 0 && !(lot.ExpiresAt <= asOf)).ToList();
            foreach (var draw in draws)
            {
                var drawn = Assert.Single(usable, lot => lot.LotId == draw.LotId);
                Assert.InRange(draw.Quantity, 1, drawn.Remaining);
            }

            var taken = draws.Select(d => Ledger.Lots.Single(lot => lot.LotId == d.LotId)).ToList();
            var latestTaken = taken.Max(lot => Order(lot));
            foreach (var left in usable.Where(lot => draws.Sum(d => d.LotId == lot.LotId ? d.Quantity : 0) < lot.Remaining))
            {
                Assert.True(Order(left).CompareTo(latestTaken) >= 0, $"{key}: drew {string.Join(", ", draws)} but left {left}");
            }

            // Soonest expiry first; among equals and among the undated, the older lot first.
            static (DateTimeOffset, int) Order(Lot lot) => (lot.ExpiresAt ?? DateTimeOffset.MaxValue, int.Parse(lot.LotId.AsSpan(4), CultureInfo.InvariantCulture));
        }

        private void CheckCaps(int pick)
        {
            foreach (var benefit in Plan.Where((b, i) => ((pick >> i) & 1) == 1 && b.Rollover is not null))
            {
                var key = BenefitKeys.For(benefit.Kind, benefit.ServiceId, benefit.Category);
                Assert.True(Ledger.Available(key, Now) <= benefit.Rollover!.MaxAccumulation, $"{key} rolled over above its cap");
            }
        }

        private DateTimeOffset? Expiry(int pick) => pick % 3 == 0 ? null : Now.AddDays(pick % 90 + 1);

        private static BenefitKind KindOf(string key) =>
            key.StartsWith("dollars:", StringComparison.Ordinal) ? BenefitKind.DollarCredit : BenefitKind.TreatmentUnits;

        private static T Pick<T>(IReadOnlyList<T> items, int pick) => items[pick % items.Count];

        /// <summary>Dictionary keys in a fixed order: string hashes change between runs, and a failing run must replay.</summary>
        private static string[] Ids(IEnumerable<string> ids) => [.. ids.Order(StringComparer.Ordinal)];
    }
}
