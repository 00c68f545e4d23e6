using System.Diagnostics.Metrics;
using System.Text.Json;
using MedSpa.Billing;
using MedSpa.Domain.Members;
using MedSpa.Members;
using MedSpa.Plans;

namespace MedSpa.Grains.Telemetry;

/// <summary>
/// The practice's own metrics (meter <c>MedSpa</c>): what operators watch besides the runtime's. Counters move as the
/// member log records facts, so a retried command that records nothing counts nothing; the gauges are the cluster's
/// state as PostgreSQL holds it, read by <see cref="PracticeGauges"/>.
/// </summary>
public sealed class MedSpaMetrics
{
    public const string MeterName = "MedSpa";

    private readonly Counter<long> _charges;
    private readonly Counter<long> _creditsRedeemed;
    private readonly Counter<long> _suspensions;
    private readonly Histogram<double> _webhookLag;
    private long _pastDue;
    private long _suspended;
    private long _overdue;

    public MedSpaMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        _charges = meter.CreateCounter<long>("medspa.charges", "{charge}", "Card charges resolved, by outcome and purpose.");
        _creditsRedeemed = meter.CreateCounter<long>("medspa.credits.redeemed", "{credit}",
            "Credits redeemed (net of voids), by kind: units are treatments, dollars are minor units.");
        _suspensions = meter.CreateCounter<long>("medspa.memberships.suspensions", "{membership}", "Memberships suspended for non-payment.");
        _webhookLag = meter.CreateHistogram<double>("medspa.webhooks.lag", "s", "From Stripe creating an event to MedSpa having handled it.");
        meter.CreateObservableGauge("medspa.members.past_due", () => Interlocked.Read(ref _pastDue), "{member}",
            "Members whose renewal was declined and who wait for a retry.");
        meter.CreateObservableGauge("medspa.members.suspended", () => Interlocked.Read(ref _suspended), "{member}",
            "Members suspended for non-payment.");
        meter.CreateObservableGauge("medspa.billing.overdue", () => Interlocked.Read(ref _overdue), "{member}",
            "Members whose billing work (a renewal, a retry, a notice) is due and not yet done: the retries and renewals waiting.");
    }

    /// <summary>Counts what a member's newly recorded events say happened; <paramref name="before"/> is the member before them.</summary>
    public void Recorded(Member before, IReadOnlyList<MemberEvent> events)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(events);
        foreach (var e in events)
        {
            switch (e)
            {
                case ChargeResolved resolved:
                    _charges.Add(1, new KeyValuePair<string, object?>("outcome", JsonNamingPolicy.SnakeCaseLower.ConvertName(resolved.Result.ToString())));
                    break;
                case CreditsRedeemed redeemed:
                    Redeemed(before, redeemed.Draws, +1);
                    break;
                case RedemptionVoided voided when before.Credits.Redemptions.TryGetValue(voided.RedemptionId, out var redemption):
                    // A void gives the credits back: they were not used after all.
                    Redeemed(before, redemption.Draws, -1);
                    break;
                case MembershipSuspended:
                    _suspensions.Add(1);
                    break;
            }
        }
    }

    public void WebhookHandled(TimeSpan lag) => _webhookLag.Record(Math.Max(0, lag.TotalSeconds));

    public void Observed(long pastDue, long suspended, long overdue)
    {
        Interlocked.Exchange(ref _pastDue, pastDue);
        Interlocked.Exchange(ref _suspended, suspended);
        Interlocked.Exchange(ref _overdue, overdue);
    }

    private void Redeemed(Member before, IEnumerable<LotDraw> draws, int sign)
    {
        foreach (var draw in draws)
        {
            var kind = before.Credits.Lots.Find(l => l.LotId == draw.LotId)?.Kind == BenefitKind.DollarCredit ? "dollars" : "units";
            _creditsRedeemed.Add(sign * draw.Quantity, new KeyValuePair<string, object?>("kind", kind));
        }
    }
}
