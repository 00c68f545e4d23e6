using System.Collections.Immutable;
using System.Globalization;
using MedSpa.Billing;
using MedSpa.Domain.Billing;
using MedSpa.Members;

namespace MedSpa.Domain.Members;

/// <summary>
/// What the card processor tells us after the fact (webhooks). Every decision here is idempotent: the processor
/// delivers at least once and in any order, so a fact already recorded, or one about something that is no longer
/// current, records nothing.
/// </summary>
public sealed partial record Member
{
    /// <summary>Disputes opened against this member's payments, by dispute id.</summary>
    public ImmutableDictionary<string, ChargeDisputed> Disputes { get; init; } = ImmutableDictionary<string, ChargeDisputed>.Empty;

    /// <summary>Refund ids already recorded.</summary>
    public ImmutableHashSet<string> RefundIds { get; init; } = [];

    /// <summary>
    /// Settles an attempt from its PaymentIntent as the processor has it now. Unlike <see cref="ResolveCharge"/>, an
    /// attempt this member never made is not an error: the processor's metadata is not ours to trust blindly.
    /// </summary>
    public IReadOnlyList<MemberEvent> SettleFromProcessor(ProcessorCharge charge, DateTimeOffset now, DunningPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(charge);
        var attempt = ChargeAttempts.Find(a => a.AttemptId == charge.AttemptId);
        return attempt is null || attempt.Result is not null
            ? []
            : ResolveCharge(charge.AttemptId, charge.Result, charge.PaymentIntentId, charge.DeclineCode, charge.Message, now, policy);
    }

    /// <summary>
    /// Records refunds not yet recorded. The category is the refunded payment's (found by its PaymentIntent), so
    /// reports net it against the right line; a refund of money we never recorded still counts as subscription.
    /// Failed or cancelled refunds gave nothing back and are skipped.
    /// </summary>
    public IReadOnlyList<MemberEvent> RecordRefunds(IReadOnlyList<ProcessorRefund> refunds, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(refunds);
        RequireProfile();
        var decision = new Decision(this);
        foreach (var refund in refunds.Where(r => r.Status is "succeeded" or "pending").OrderBy(r => r.RefundId, StringComparer.Ordinal))
        {
            if (decision.State.RefundIds.Contains(refund.RefundId))
            {
                continue;
            }

            var category = Payments.Find(p => p.Reference is not null && p.Reference == refund.PaymentIntentId && p.Status == PaymentStatus.Succeeded)?.Category
                ?? BillingCategory.Subscription;
            decision.Add(new RefundRecorded(refund.RefundId, refund.ChargeId, refund.PaymentIntentId, refund.Amount, category) { OccurredAt = now });
        }

        return decision.Events;
    }

    /// <summary>
    /// Flags the member with a dispute and tells staff, once per dispute: a chargeback has a deadline for evidence,
    /// so the desk must hear of it the day it is opened.
    /// </summary>
    public IReadOnlyList<MemberEvent> RecordDispute(ProcessorDispute dispute, string staffEmail, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(dispute);
        var profile = RequireProfile();
        if (Disputes.ContainsKey(dispute.DisputeId))
        {
            return [];
        }

        var amount = string.Create(CultureInfo.InvariantCulture,
            $"{dispute.Amount.Amount / 100}.{Math.Abs(dispute.Amount.Amount % 100):00} {dispute.Amount.Currency.ToUpperInvariant()}");
        var due = dispute.EvidenceDueBy is { } by ? string.Create(CultureInfo.InvariantCulture, $"; evidence is due by {by:yyyy-MM-dd}") : "";
        return
        [
            new ChargeDisputed(dispute.DisputeId, dispute.ChargeId, dispute.PaymentIntentId, dispute.Amount, dispute.Reason, dispute.Status, dispute.EvidenceDueBy) { OccurredAt = now },
            new NoticeIssued($"notice:{dispute.DisputeId}", NoticeKind.DisputeOpened, staffEmail,
                $"{profile.FullName} disputed a {amount} card payment ({dispute.Reason}){due}. Dispute {dispute.DisputeId}.") { OccurredAt = now },
        ];
    }

    /// <summary>Removes the card on file when it is <paramref name="paymentMethodId"/>; any other card is not on file, so nothing changes.</summary>
    public IReadOnlyList<MemberEvent> RemoveCard(string paymentMethodId, string reason, DateTimeOffset now) =>
        Card?.PaymentMethodId == paymentMethodId
            ? [new CardOnFileRemoved(paymentMethodId, reason) { OccurredAt = now }]
            : [];

    /// <summary>New details for the card on file (the network reissued it); a card that is not on file is ignored.</summary>
    public IReadOnlyList<MemberEvent> UpdateCard(CardOnFile card, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(card);
        return Card?.PaymentMethodId == card.PaymentMethodId && CustomerId is { } customerId
            ? SaveCard(customerId, card, now)
            : [];
    }

    public DisputeView[] DisputeViews(string memberId) =>
        [.. Disputes.Values.OrderByDescending(d => d.OccurredAt).Select(d => DisputeView(memberId, d))];

    public static DisputeView DisputeView(string memberId, ChargeDisputed d) =>
        new(d.DisputeId, memberId, d.ChargeId, d.PaymentIntentId, d.Amount, d.Reason, d.Status, d.OccurredAt, d.EvidenceDueBy);

    private Member ApplyProcessorEvent(MemberEvent e) => e switch
    {
        RefundRecorded refund => this with
        {
            RefundIds = RefundIds.Add(refund.RefundId),
            StaffRefunds = refund.RequestedAs is { } requested ? StaffRefunds.SetItem(requested, refund.RefundId) : StaffRefunds,
            Payments = Payments.Add(new PaymentView(
                refund.RefundId, refund.Category, refund.Amount, PaymentMethodKind.CardOnFile, PaymentStatus.Refunded, refund.OccurredAt,
                refund.PaymentIntentId ?? refund.ChargeId)),
        },
        ChargeDisputed disputed => this with { Disputes = Disputes.SetItem(disputed.DisputeId, disputed) },
        CardOnFileRemoved removed when Card?.PaymentMethodId == removed.PaymentMethodId => this with { Card = null },
        _ => this,
    };
}
