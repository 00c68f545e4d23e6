using System.Collections.Immutable;
using System.Globalization;
using MedSpa.Domain.Billing;
using MedSpa.Domain.Credits;
using MedSpa.Members;
using MedSpa.Practice;

namespace MedSpa.Domain.Members;

/// <summary>
/// Courtesy notices before something runs out: dated credits a week before they lapse, the card on file the month
/// before it expires. Each is due at an instant derived from the state (<see cref="Billing"/> hands the windows to
/// <see cref="DueWork"/>), and each notice's id names what it is about, so the log itself says what the member was
/// already told: a duplicate wake or a restart finds nothing left to say, and a lot or a card is never told twice.
/// </summary>
public sealed partial record Member
{
    private const int CreditsExpiringDays = 7;
    private const string CreditsExpiringPrefix = "credits-expiring:";
    private const string CardExpiringPrefix = "card-expiring:";
    private const char LotSeparator = '+';

    /// <summary>A dated lot the member has not been told is lapsing: when to tell them, and when it lapses.</summary>
    private sealed record LapsingLot(Lot Lot, DateTimeOffset NoticeAt, DateTimeOffset LapsesAt);

    /// <summary>The lots some earlier credits-expiring notice named.</summary>
    private ImmutableHashSet<string> LotsToldExpiring =>
    [
        .. Notices
            .Where(n => n.Kind == NoticeKind.CreditsExpiring && n.NoticeId.StartsWith(CreditsExpiringPrefix, StringComparison.Ordinal))
            .SelectMany(n => n.NoticeId[CreditsExpiringPrefix.Length..].Split(LotSeparator)),
    ];

    /// <summary>
    /// Dated lots with something left that the member has not been told about, while the credits can be used (active or
    /// past due, a pending cancellation included; never while frozen, when nothing lapses anyway). A lot lapses at its
    /// expiry or, if the membership ends first, when it ends; packages were bought outright and outlive it. The notice
    /// is due at the charge time of day, 7 days (local) before the lot lapses. Rolling credit has no expiry, and a lot
    /// used up first has nothing left: neither is told.
    /// </summary>
    private IEnumerable<LapsingLot> LapsingLots(Enrolment enrolment)
    {
        if (Status is not (MembershipStatus.Active or MembershipStatus.PastDue) || Credits.FrozenSince is not null)
        {
            return [];
        }

        var told = LotsToldExpiring;
        DateTimeOffset? endsAt = PendingCancellation is { } ending
            ? BillingCalendar.LocalInstant(ending.EffectiveOn.ToDateTime(TimeOnly.MinValue), enrolment.Zone)
            : null;
        return Credits.Lots
            .Where(lot => lot.Remaining > 0 && lot.ExpiresAt is not null && !told.Contains(lot.LotId))
            .Select(lot =>
            {
                var lapsesAt = endsAt is { } end && end < lot.ExpiresAt!.Value && lot.Source != LotSource.Package ? end : lot.ExpiresAt!.Value;
                var noticeOn = BillingCalendar.LocalDate(lapsesAt, enrolment.Zone).AddDays(-CreditsExpiringDays);
                return new LapsingLot(lot, BillingCalendar.ChargeInstant(noticeOn, enrolment.Zone), lapsesAt);
            });
    }

    /// <summary>
    /// The notice that dated credits lapse within 7 days, when it is due: one notice for every lot whose window has
    /// opened and that has not lapsed yet, saying which benefits, how many and when (the mail adds a booking link).
    /// Nothing otherwise. <paramref name="catalogue"/> names the services the credits are for.
    /// </summary>
    public IReadOnlyList<MemberEvent> IssueCreditsExpiringNotice(PracticeCatalogue catalogue, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(catalogue);
        if (Enrolment is not { } enrolment)
        {
            return [];
        }

        var due = LapsingLots(enrolment).Where(l => l.NoticeAt <= now && now < l.LapsesAt).ToList();
        if (due.Count == 0)
        {
            return [];
        }

        var services = catalogue.Services.ToDictionary(s => s.Id, s => s.Name, StringComparer.Ordinal);
        var currency = enrolment.Price.Currency;
        var lines = due
            .GroupBy(l => l.LapsesAt)
            .OrderBy(at => at.Key)
            .Select(at =>
            {
                var what = at
                    .GroupBy(l => l.Lot.BenefitKey, StringComparer.Ordinal)
                    .OrderBy(key => key.Key, StringComparer.Ordinal)
                    .Select(key => Quantity(key.Key, key.Sum(l => l.Lot.Remaining), services, currency))
                    .ToList();
                return $"Expiring {Lapse(at.Key, enrolment.Zone)}: {JoinAnd(what)}.";
            });
        var summary = $"Some of your credits are about to expire. {string.Join(" ", lines)} Book a visit to use them before then.";
        var noticeId = CreditsExpiringPrefix + string.Join(LotSeparator, due.Select(l => l.Lot.LotId));
        return [new NoticeIssued(noticeId, NoticeKind.CreditsExpiring, RequireProfile().Email, summary) { OccurredAt = now }];
    }

    /// <summary>
    /// When to tell the member the card on file expires, while the membership will be charged again (active, past due,
    /// paused or suspended) and this card has not been told about. A card works to the end of its expiry month, so the
    /// notice is due at the charge time on the 1st of the month before and pointless once the card has expired. A
    /// membership that ends before the card expires never needs it again.
    /// </summary>
    private NoticeWindow? CardExpiry(Enrolment enrolment)
    {
        if (Status is not (MembershipStatus.Active or MembershipStatus.PastDue or MembershipStatus.Paused or MembershipStatus.Suspended)
            || Card is not { ExpMonth: >= 1 and <= 12, ExpYear: >= 2000 and <= 9998 } card
            || Notices.Any(n => n.NoticeId == CardExpiringNoticeId(card)))
        {
            return null;
        }

        var expiresOn = FirstDayAfterExpiry(card);
        if (PendingCancellation is { } ending && ending.EffectiveOn <= expiresOn)
        {
            return null;
        }

        return new NoticeWindow(
            BillingCalendar.ChargeInstant(expiresOn.AddMonths(-2), enrolment.Zone),
            BillingCalendar.LocalInstant(expiresOn.ToDateTime(TimeOnly.MinValue), enrolment.Zone));
    }

    /// <summary>The card-expiring notice, when due (see <see cref="CardExpiry"/>); nothing otherwise.</summary>
    public IReadOnlyList<MemberEvent> IssueCardExpiringNotice(DateTimeOffset now)
    {
        if (Enrolment is not { } enrolment || CardExpiry(enrolment) is not { } window || now < window.From || now >= window.Until)
        {
            return [];
        }

        var card = Card!;
        var month = FirstDayAfterExpiry(card).AddMonths(-1).ToString("MMMM yyyy", CultureInfo.InvariantCulture);
        return
        [
            new NoticeIssued(CardExpiringNoticeId(card), NoticeKind.CardExpiring, RequireProfile().Email,
                $"Your {CardName(card)} expires at the end of {month}. Please update your card before then so your membership payments carry on without interruption.")
            {
                OccurredAt = now,
            },
        ];
    }

    /// <summary>Once per card: a replaced card (another payment method) or a reissued one (a new expiry) is told anew.</summary>
    private static string CardExpiringNoticeId(CardOnFile card) =>
        Invariant($"{CardExpiringPrefix}{card.PaymentMethodId}:{card.ExpYear:0000}-{card.ExpMonth:00}");

    private static DateOnly FirstDayAfterExpiry(CardOnFile card) => new DateOnly(card.ExpYear!.Value, card.ExpMonth!.Value, 1).AddMonths(1);

    /// <summary>"1 Botox treatment", "50.00 USD of facial credit", "2 HydraFacial package sessions".</summary>
    private static string Quantity(string benefitKey, long quantity, Dictionary<string, string> services, string currency)
    {
        var colon = benefitKey.IndexOf(':', StringComparison.Ordinal);
        var (kind, target) = colon < 0 ? ("", benefitKey) : (benefitKey[..colon], benefitKey[(colon + 1)..]);
        var name = services.TryGetValue(target, out var service) ? service : target;
        return kind switch
        {
            "units" => Invariant($"{quantity} {name} {(quantity == 1 ? "treatment" : "treatments")}"),
            "dollars" => Invariant($"{quantity / 100m:0.00} {currency.ToUpperInvariant()} of {name} credit"),
            "package" => Invariant($"{quantity} {name} package {(quantity == 1 ? "session" : "sessions")}"),
            _ => Invariant($"{quantity} × {benefitKey}"),
        };
    }

    /// <summary>
    /// When a lot lapses, as the member would say it: a lapse at midnight (a membership ending) is the end of the day
    /// before; any other is its time on its day, since credit expiring at 09:00 cannot be used that afternoon.
    /// </summary>
    private static string Lapse(DateTimeOffset at, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(at, zone).DateTime;
        return local.TimeOfDay == TimeSpan.Zero
            ? $"at the end of {LocalDay(DateOnly.FromDateTime(local).AddDays(-1))}"
            : $"at {local.ToString("HH:mm", CultureInfo.InvariantCulture)} on {LocalDay(DateOnly.FromDateTime(local))}";
    }

    private static string JoinAnd(List<string> parts) =>
        parts.Count <= 1 ? string.Concat(parts) : $"{string.Join(", ", parts.Take(parts.Count - 1))} and {parts[^1]}";
}
