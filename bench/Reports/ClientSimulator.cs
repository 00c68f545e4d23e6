using MedSpa.Billing;
using MedSpa.Domain.Billing;
using MedSpa.Domain.Members;
using MedSpa.Members;
using MedSpa.Plans;

namespace MedSpa.Bench.Reports;

/// <summary>One generated client: their id, and their whole log in order (seq = index + 1).</summary>
public sealed record SimulatedClient(string MemberId, IReadOnlyList<MemberEvent> Events);

/// <summary>
/// Generates clients' histories the way the member grain writes them: every event comes from the domain's own decisions
/// (<see cref="Member"/>: register, enrol, charge and resolve, pay a period, check out, pause, change plan, cancel,
/// reactivate, ...), folded in as it is made, and billing does exactly what <see cref="DueWork"/> says is due, in order,
/// at the instant it falls due. So every log is one the domain could have written (a redemption draws on lots it was
/// granted, a resolution follows its attempt, a period names its payment), and the projection folds it as it would a
/// real one. The world around the client (when they visit, whether a charge is declined, whether they fix their card,
/// leave or come back) is drawn from a <see cref="Random"/> seeded by the run's seed and the client's number, so a
/// client's history does not depend on which thread generated it. Ids the domain mints itself (payments, notices) are
/// random; no figure depends on them.
/// </summary>
public sealed class ClientSimulator(BenchPractice practice, DateOnly firstDay, DateOnly lastDay, int seed)
{
    public DateOnly FirstDay => firstDay;

    public DateOnly LastDay => lastDay;

    public static string MemberId(int client) => $"mem_{client:D7}";

    /// <summary>Client <paramref name="client"/>'s log: a member (enrols at some point) or a client who only buys treatments.</summary>
    public SimulatedClient Simulate(int client, bool member)
    {
        var random = new Random(Seed(seed, client));
        var life = new Life(practice, random, client, firstDay, lastDay);
        life.Run(member);
        return new SimulatedClient(MemberId(client), life.Events);
    }

    /// <summary>A client's own seed: the same on every machine and run (HashCode is randomised per process, so not that).</summary>
    private static int Seed(int seed, int client) => unchecked((seed * 1_000_003) ^ (client * 7_919) ^ 0x5eed);

    private sealed class Life
    {
        private static readonly DunningPolicy Policy = DunningPolicy.Default;
        private static readonly SignatureContext Signature = new("desk:bench", null, null);

        private static readonly (string Reason, int Weight)[] Reasons =
            [("price", 30), ("not_using", 25), ("relocation", 12), ("results", 10), ("medical", 8), ("other", 15)];

        private static readonly (string ServiceId, int Weight)[] Extras =
            [(BenchPractice.Filler, 25), (BenchPractice.Microneedling, 20), (BenchPractice.Ipl, 15), (BenchPractice.Retail, 25), (BenchPractice.LaserHair, 15)];

        private static readonly (string ServiceId, int Weight)[] WalkIn =
            [(BenchPractice.Tox, 30), (BenchPractice.Hydra, 25), (BenchPractice.Peel, 15), (BenchPractice.Filler, 10), (BenchPractice.LaserHair, 10), (BenchPractice.Retail, 10)];

        private readonly BenchPractice _practice;
        private readonly Random _random;
        private readonly int _client;
        private readonly string _id;
        private readonly DateOnly _firstDay;
        private readonly DateOnly _lastDay;
        private readonly List<MemberEvent> _events = [];
        private readonly HashSet<DueItem> _skipped = [];

        private Member _state = Member.Unregistered;
        private DateTimeOffset _now;
        private DateTimeOffset _end;
        private TimeZoneInfo _zone = TimeZoneInfo.Utc;
        private string _signedName = "";
        private int _counter;
        private int _cards;
        private bool _boughtPackage;

        // What kind of client this is.
        private double _visitsPerMonth;
        private double _softDeclines;
        private double _churnPerMonth;
        private double _fixesCard;

        // When they next do something of their own accord (billing's own instants come from DueWork).
        private DateTimeOffset? _visitAt;
        private DateTimeOffset? _decisionAt;
        private DateTimeOffset? _cardFixAt;
        private DateTimeOffset? _comebackAt;
        private DateTimeOffset? _deskPayAt;

        public Life(BenchPractice practice, Random random, int client, DateOnly firstDay, DateOnly lastDay)
        {
            _practice = practice;
            _random = random;
            _client = client;
            _id = MemberId(client);
            _firstDay = firstDay;
            _lastDay = lastDay;
        }

        public List<MemberEvent> Events => _events;

        public void Run(bool member)
        {
            var (first, last, email) = Names.For(_client, _random);
            _signedName = $"{first} {last}";
            var location = _practice.Catalogue.Locations[Pick([45, 30, 25])];
            _zone = _practice.Zones[location.Id];
            _end = BillingCalendar.LocalInstant(_lastDay.AddDays(1).ToDateTime(TimeOnly.MinValue), _zone);

            _visitsPerMonth = member ? 0.5 + (_random.NextDouble() * 1.0) : 0.15 + (_random.NextDouble() * 0.6);
            var payer = _random.NextDouble();
            _softDeclines = payer < 0.85 ? 0.015 : payer < 0.97 ? 0.12 : 0.45;
            _churnPerMonth = 0.01 + (_random.NextDouble() * 0.03);
            _fixesCard = 0.55 + (_random.NextDouble() * 0.3);

            // Half the members were already signing up in the first month (an established practice); the rest join over
            // the whole period. Clients who never join turn up at any time.
            var days = _lastDay.DayNumber - _firstDay.DayNumber;
            var day = member && _random.NextDouble() < 0.5
                ? _firstDay.AddDays(_random.Next(30))
                : _firstDay.AddDays(_random.Next(Math.Max(1, days - 14)));
            _now = BusinessHours(day);
            if (_now >= _end)
            {
                return;
            }

            Record(_state.Register(_id, new NewClient(first, last, email, null, location.Id), Registrar.Staff, _practice.Catalogue.Locations, _now));
            if (member)
            {
                SaveNewCard(monthsValid: 2 + _random.Next(46));
                _now = _now.AddMinutes(10);
                Join(PickPlan(), reactivate: false);
                _decisionAt = NextDecision();
                _visitAt = _now.AddMinutes(30);
            }
            else
            {
                _visitAt = _now.AddMinutes(5);
            }

            Loop();
        }

        private void Loop()
        {
            for (var step = 0; ; step++)
            {
                if (step > 200_000)
                {
                    throw new InvalidOperationException($"{_id} is looping at {_now:O} ({_state.Status}).");
                }

                DateTimeOffset? dueAt = null;
                if (_state.Billing is { } billing)
                {
                    var work = DueWork.At(billing, _now, Policy);
                    var item = work.Items.FirstOrDefault(i => !_skipped.Contains(i));
                    if (item is not null)
                    {
                        var before = _events.Count;
                        Do(item);
                        if (_events.Count == before)
                        {
                            // The grain would find the same item again and back off; nothing more would come of it.
                            _skipped.Add(item);
                        }

                        continue;
                    }

                    dueAt = work.NextDueAt;
                }

                var next = Min(dueAt, _visitAt, _decisionAt, _cardFixAt, _comebackAt, _deskPayAt);
                if (next is not { } at || at >= _end)
                {
                    return;
                }

                if (at > _now)
                {
                    _now = at;
                }

                if (at == dueAt)
                {
                    continue;
                }

                if (at == _cardFixAt)
                {
                    _cardFixAt = null;
                    FixCard();
                }
                else if (at == _deskPayAt)
                {
                    _deskPayAt = null;
                    PayAtDesk();
                }
                else if (at == _comebackAt)
                {
                    _comebackAt = null;
                    ComeBack();
                }
                else if (at == _decisionAt)
                {
                    Decide();
                    _decisionAt = NextDecision();
                }
                else
                {
                    Visit();
                    _visitAt = NextVisit();
                }
            }
        }

        /// <summary>One due item, as <c>MemberGrain.DoAsync</c> does it.</summary>
        private void Do(DueItem item)
        {
            switch (item)
            {
                case DueItem.ChargePeriod when _state.UnresolvedAttempt is null && _state.SettleCoveredPeriod(_now) is { Count: > 0 } covered:
                    Record(covered);
                    break;
                case DueItem.ChargePeriod or DueItem.RetryCharge when _state.Card is not null || _state.UnresolvedAttempt is not null:
                    ChargeDue();
                    break;
                case DueItem.ChargePeriod or DueItem.RetryCharge:
                    Record(_state.ChaseWithoutCard(_now, Policy));
                    break;
                case DueItem.SuspendForNonPayment:
                    Record(_state.SuspendForNonPayment(_now));
                    break;
                case DueItem.CancelForNonPayment cancel:
                    Record(_state.CancelForNonPayment(cancel.Reason, _now));
                    MaybeComeBack(0.2);
                    break;
                case DueItem.EndMembership:
                    Record(_state.EndMembership(_now));
                    MaybeComeBack(0.3);
                    break;
                case DueItem.ResumeFromPause:
                    Record(_state.Resume(_now, automatically: true));
                    break;
                case DueItem.RenewalNotice:
                    Record(_state.IssueRenewalNotice(_now));
                    break;
                case DueItem.SendReactivationOffer:
                    Record(_state.SendAutomaticOffer(_practice.VersionAt(_state.Enrolment!.Plan.PlanId, _now), _now));
                    if (_random.NextDouble() < 0.3)
                    {
                        _comebackAt = Earliest(_comebackAt, _now.AddDays(1 + (_random.NextDouble() * 30)));
                    }

                    break;
                case DueItem.CreditsExpiringNotice:
                    Record(_state.IssueCreditsExpiringNotice(_practice.Catalogue, _now));
                    break;
                case DueItem.CardExpiringNotice:
                    Record(_state.IssueCardExpiringNotice(_now));
                    if (_random.NextDouble() < 0.65)
                    {
                        _cardFixAt = Earliest(_cardFixAt, _now.AddDays(_random.NextDouble() * 40));
                    }

                    break;
                default:
                    throw new InvalidOperationException($"The bench has no way to do {item.GetType().Name}.");
            }
        }

        /// <summary>Charges what is due on the card on file, as <c>MemberGrain.ChargeDueAsync</c> does, the processor answering at once.</summary>
        private void ChargeDue()
        {
            if (_state.UnresolvedAttempt is { } open)
            {
                Settle(open);
            }

            if (_state.PeriodOwed(_now) is null)
            {
                return;
            }

            Record(_state.StartCharge(_id, _now));
            if (_state.UnresolvedAttempt is { } attempt)
            {
                Settle(attempt);
            }
        }

        private void Settle(ChargeAttemptView attempt)
        {
            var (result, code) = Outcome(attempt);
            Record(_state.ResolveCharge(attempt.AttemptId, result, $"pi_{_client}_{++_counter}", code, null, _now, Policy));
            if (result != ChargeResult.Succeeded && _random.NextDouble() < _fixesCard)
            {
                _cardFixAt = Earliest(_cardFixAt, _now.AddDays(0.2 + (_random.NextDouble() * 8)));
            }
        }

        /// <summary>What the card network says: an expired card always declines; otherwise this client's luck.</summary>
        private (ChargeResult Result, string? Code) Outcome(ChargeAttemptView attempt)
        {
            if (_state.Card is { ExpMonth: { } month, ExpYear: { } year } && new DateOnly(year, month, 1).AddMonths(1) <= Today)
            {
                return (ChargeResult.SoftDecline, "expired_card");
            }

            var u = _random.NextDouble();
            if (attempt.Attempt > 1)
            {
                return u < 0.45 ? (ChargeResult.SoftDecline, "insufficient_funds") : (ChargeResult.Succeeded, null);
            }

            return u switch
            {
                < 0.002 => (ChargeResult.HardDecline, "lost_card"),
                < 0.0035 => (ChargeResult.AuthenticationRequired, "authentication_required"),
                _ when u < 0.0035 + _softDeclines => (ChargeResult.SoftDecline, "insufficient_funds"),
                _ => (ChargeResult.Succeeded, null),
            };
        }

        private void Join(string planId, bool reactivate)
        {
            var agreement = new AgreementAcceptance(_signedName, Accepted: true);
            if (reactivate)
            {
                var version = _practice.VersionAt(planId, _now);
                if (!Try(() => _state.Reactivate(new ReactivationRequest(agreement), Signature, version, _practice.Catalogue, _now)))
                {
                    return;
                }
            }
            else if (!Try(() => _state.Enrol(new EnrolmentRequest(planId, agreement), Signature, _practice.VersionAt(planId, _now), _practice.Catalogue, _now)))
            {
                return;
            }

            if (_state.Card is not null)
            {
                ChargeDue();
            }

            if (_state.Status == MembershipStatus.PendingPayment && _random.NextDouble() < 0.5)
            {
                // The first charge was declined at the desk: half pay there and then a few days later.
                _deskPayAt = _now.AddDays(1 + (_random.NextDouble() * 5));
            }
        }

        private void PayAtDesk()
        {
            if (_state.Status == MembershipStatus.PendingPayment && _state.AmountDue is { } due && _state.UnresolvedAttempt is null)
            {
                Try(() => _state.RecordDeskPayment(new DeskPayment($"pay_desk_{_client}_{++_counter}", PaymentMethodKind.CardTerminal, due), _now));
            }
        }

        private void FixCard()
        {
            SaveNewCard(monthsValid: 24 + _random.Next(36));
            // A member who owes money and just gave a new card is charged at once (MemberGrain.SaveCardAsync).
            if (_state.PeriodOwed(_now) is not null || _state.UnresolvedAttempt is not null)
            {
                ChargeDue();
            }
        }

        private void SaveNewCard(int monthsValid)
        {
            var expires = Today.AddMonths(monthsValid);
            var card = new CardOnFile($"pm_{_client}_{++_cards}", _random.NextDouble() < 0.7 ? "visa" : "mastercard",
                (1000 + _random.Next(9000)).ToString(System.Globalization.CultureInfo.InvariantCulture), expires.Month, expires.Year);
            Record(_state.SaveCard($"cus_{_client}", card, _now));
        }

        /// <summary>About once a month a member may leave, pause, change tier, buy an add-on, or staff correct a balance.</summary>
        private void Decide()
        {
            var u = _random.NextDouble();
            switch (_state.Status)
            {
                case MembershipStatus.Active or MembershipStatus.PastDue or MembershipStatus.Paused when _state.PendingCancellation is not null:
                    if (u < 0.08 && !_state.PendingCancellation.BoughtOut)
                    {
                        Try(() => _state.WithdrawCancellation(_now));
                    }

                    break;
                case MembershipStatus.Active:
                    var p = _churnPerMonth;
                    if (u < p)
                    {
                        Cancel();
                    }
                    else if (u < (p += 0.012))
                    {
                        Try(() => _state.Pause(new PauseRequest(Days: 21 + _random.Next(40)), _now));
                    }
                    else if (u < (p += 0.012))
                    {
                        ChangePlan();
                    }
                    else if (u < (p += 0.02))
                    {
                        BuyAddOn();
                    }
                    else if (u < (p += 0.01))
                    {
                        Adjust();
                    }
                    else if (u < p + 0.004)
                    {
                        Refund();
                    }

                    break;
                case MembershipStatus.Paused:
                    if (u < 0.15)
                    {
                        Try(() => _state.Resume(_now));
                    }
                    else if (u < 0.15 + _churnPerMonth)
                    {
                        Cancel();
                    }

                    break;
            }
        }

        private void Cancel()
        {
            var reason = Reasons[Pick(Reasons.Select(r => r.Weight).ToArray())].Reason;
            var note = reason == "other" ? "Moving to another practice" : null;
            if (_state.Enrolment?.Plan.Terms.Cancellation == CancellationPolicy.BuyOut && _random.NextDouble() < 0.4
                && Try(() => _state.ConfirmCancellation(new CancellationRequest(reason, note, Confirm: true, Option: CancellationOption.BuyOut), _now)))
            {
                if (_state.UnresolvedAttempt is { } buyOut)
                {
                    Settle(buyOut);
                }

                return;
            }

            Try(() => _state.ConfirmCancellation(new CancellationRequest(reason, note, Confirm: true), _now));
        }

        private void ChangePlan()
        {
            var current = BenchPractice.Rank(_state.Enrolment!.Plan.PlanId);
            var up = current < BenchPractice.Tiers.Length - 1 && (current == 0 || _random.NextDouble() < 0.6);
            var target = up ? current + 1 + _random.Next(BenchPractice.Tiers.Length - 1 - current) : _random.Next(current);
            var version = _practice.VersionAt(BenchPractice.Tiers[target].PlanId, _now);
            if (Try(() => _state.ConfirmPlanChange(_id, $"chg_{++_counter}", version, _now)) && _state.UnresolvedAttempt is { } attempt)
            {
                Settle(attempt);
            }
        }

        private void BuyAddOn()
        {
            if (_state.Enrolment!.Plan.Terms.AddOns is [{ Key: { } key }, ..])
            {
                Try(() => _state.PurchaseAddOn(new AddOnPurchaseRequest($"addon_{++_counter}", key, PaymentMethodKind.CardTerminal), _now));
            }
        }

        private void Adjust()
        {
            var benefits = _state.Enrolment!.Plan.Terms.Benefits.Where(b => b.Kind != BenefitKind.Discount && b.Key is not null).ToList();
            if (benefits.Count == 0)
            {
                return;
            }

            var benefit = benefits[_random.Next(benefits.Count)];
            var quantity = benefit.Kind == BenefitKind.TreatmentUnits ? 1 : 2_000;
            var down = _random.NextDouble() < 0.3;
            Try(() => _state.AdjustCredits(new CreditAdjustmentRequest(
                $"adj_{++_counter}", benefit.Key!, down ? -quantity : quantity, down ? "Redeemed on paper at the desk" : "Goodwill after a rescheduled visit"), _now));
        }

        private void Refund()
        {
            if (_state.Payments.FindLast(p => p.Method == PaymentMethodKind.CardOnFile && p.Status == PaymentStatus.Succeeded && p.Reference is not null) is { } paid)
            {
                var amount = _random.NextDouble() < 0.5 ? paid.Amount : paid.Amount with { Amount = paid.Amount.Amount / 2 };
                Try(() => _state.RecordRefunds([new ProcessorRefund($"re_{_client}_{++_counter}", $"ch_{_client}_{_counter}", paid.Reference, amount, "succeeded")], _now));
            }
        }

        private void MaybeComeBack(double chance)
        {
            if (_random.NextDouble() < chance)
            {
                _comebackAt = Earliest(_comebackAt, _now.AddDays(3 + (_random.NextDouble() * 150)));
            }
        }

        /// <summary>A lapsed member rejoins: on the offer sent for this lapse while it is valid, otherwise as a new enrolment.</summary>
        private void ComeBack()
        {
            if (_state.Status != MembershipStatus.Cancelled || _state.LastCancellation is not { } lapse || _state.Enrolment is not { } enrolment)
            {
                return;
            }

            var planId = enrolment.Plan.PlanId;
            if (_state.Reactivation is not { } sent || sent.Offer.LapsedOn != lapse.EffectiveOn)
            {
                // A plan whose offer is sent by hand: staff send it when the member calls, while they can still be won back.
                var current = _practice.VersionAt(planId, _now);
                if (current.Terms.ReactivationOffer is { SendAfterDays: null } && Today <= lapse.EffectiveOn.AddDays(Member.ReactivationWindowDays))
                {
                    Try(() => _state.OfferReactivation(current, _now));
                }
            }

            if (_state.Card is null || lapse.Involuntary || _random.NextDouble() < 0.2)
            {
                SaveNewCard(monthsValid: 24 + _random.Next(36));
            }

            if (_state.Reactivation is { } offer && offer.Offer.LapsedOn == lapse.EffectiveOn && Today <= offer.Offer.ValidUntil)
            {
                Join(offer.Offer.PlanId, reactivate: true);
            }
            else
            {
                Join(_random.NextDouble() < 0.7 ? planId : PickPlan(), reactivate: false);
            }
        }

        /// <summary>A visit: the treatments their credits cover (most of the time), sometimes something more, paid at the desk.</summary>
        private void Visit()
        {
            var items = new List<BasketItem>();
            var usable = _state.Credits.FrozenSince is null && _state.Status is MembershipStatus.Active or MembershipStatus.PastDue;
            var keys = new HashSet<string>(StringComparer.Ordinal);
            foreach (var lot in _state.Credits.Lots)
            {
                if (lot.Remaining > 0 && (lot.ExpiresAt is null || lot.ExpiresAt > _now) && (usable || lot.Source == LotSource.Package))
                {
                    keys.Add(lot.BenefitKey);
                }
            }

            void Maybe(string key, double chance, string serviceId)
            {
                if (keys.Contains(key) && _random.NextDouble() < chance)
                {
                    items.Add(new BasketItem(serviceId));
                }
            }

            Maybe("units:" + BenchPractice.Tox, 0.8, BenchPractice.Tox);
            Maybe("units:" + BenchPractice.Hydra, 0.75, BenchPractice.Hydra);
            Maybe("dollars:facial", 0.6, _random.NextDouble() < 0.5 ? BenchPractice.Peel : BenchPractice.Hydra);
            Maybe("dollars:laser", 0.5, _random.NextDouble() < 0.8 ? BenchPractice.LaserHair : BenchPractice.Ipl);
            Maybe("package:" + BenchPractice.Hydra, 0.9, BenchPractice.Hydra);
            if (_random.NextDouble() < 0.35)
            {
                items.Add(new BasketItem(Extras[Pick(Extras.Select(e => e.Weight).ToArray())].ServiceId));
            }

            if (_state.Enrolment is null && !_boughtPackage && _random.NextDouble() < 0.12)
            {
                _boughtPackage = true;
                items.Add(new BasketItem(Package: new PackageSale("3 HydraFacials", BenchPractice.Usd(49_900), BenchPractice.Hydra, 3)));
            }

            if (items.Count == 0)
            {
                items.Add(new BasketItem(WalkIn[Pick(WalkIn.Select(w => w.Weight).ToArray())].ServiceId));
            }

            var settlement = _random.NextDouble() switch
            {
                < 0.02 => Settlement.Invoice,
                < 0.05 => Settlement.Cash,
                _ => Settlement.CardTerminal,
            };
            var checkoutId = $"chk_{++_counter}";
            if (Try(() => _state.Checkout(new CheckoutRequest(checkoutId, new Basket(items), settlement), _practice.Services, _now))
                && _random.NextDouble() < 0.004 && _state.RequireCheckout(checkoutId).RedemptionIds is [var redemptionId, ..])
            {
                Try(() => _state.VoidRedemption(redemptionId, "Entered in error", _now));
            }
        }

        private DateTimeOffset NextVisit()
        {
            var rate = _state.Status is MembershipStatus.Active or MembershipStatus.PastDue or MembershipStatus.Paused or MembershipStatus.Suspended
                || _state.Enrolment is null
                ? _visitsPerMonth
                : _visitsPerMonth * 0.3;
            var days = -Math.Log(1 - _random.NextDouble()) * 30.4 / rate;
            var at = BusinessHours(BillingCalendar.LocalDate(_now.AddDays(days), _zone));
            return at > _now ? at : _now.AddHours(1);
        }

        private DateTimeOffset NextDecision()
        {
            var at = BusinessHours(BillingCalendar.LocalDate(_now.AddDays(24 + (_random.NextDouble() * 12)), _zone));
            return at > _now ? at : _now.AddHours(1);
        }

        /// <summary>A local time between 10:00 and 18:00 on <paramref name="day"/>.</summary>
        private DateTimeOffset BusinessHours(DateOnly day) =>
            BillingCalendar.LocalInstant(day.ToDateTime(new TimeOnly(10, 0)).AddMinutes(_random.Next(8 * 60)), _zone);

        private DateOnly Today => BillingCalendar.LocalDate(_now, _zone);

        private string PickPlan() => BenchPractice.Tiers[Pick(BenchPractice.Tiers.Select(t => t.Weight).ToArray())].PlanId;

        private int Pick(int[] weights)
        {
            var u = _random.Next(weights.Sum());
            for (var i = 0; i < weights.Length; i++)
            {
                if ((u -= weights[i]) < 0)
                {
                    return i;
                }
            }

            return weights.Length - 1;
        }

        private void Record(IReadOnlyList<MemberEvent> events)
        {
            foreach (var e in events)
            {
                _events.Add(e);
                _state = _state.Apply(e);
            }
        }

        /// <summary>A decision the domain may refuse (a pause not allowed, a plan change before the period is paid): refused, nothing happens.</summary>
        private bool Try(Func<IReadOnlyList<MemberEvent>> decide)
        {
            try
            {
                var events = decide();
                Record(events);
                return events.Count > 0;
            }
            catch (CommandRejectedException)
            {
                return false;
            }
        }

        private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x < b ? x : b;

        private static DateTimeOffset? Min(params DateTimeOffset?[] instants)
        {
            DateTimeOffset? min = null;
            foreach (var instant in instants)
            {
                if (instant is { } i && (min is null || i < min))
                {
                    min = i;
                }
            }

            return min;
        }
    }
}
