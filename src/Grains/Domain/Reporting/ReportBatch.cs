namespace MedSpa.Domain.Reporting;

/// <summary>Where a membership is counted: the local day, the plan version and the client's home location.</summary>
public readonly record struct TierDay(DateOnly Day, string PlanId, int PlanVersion, string LocationId);

/// <summary>The columns of <c>report_membership_daily</c>, in table order.</summary>
public enum MembershipMeasure
{
    Active,
    Mrr,
    PastDue,
    Paused,
    Suspended,
    Pending,
    Joined,
    Reactivated,
    PausesStarted,
    Suspensions,
    CancelledVoluntary,
    CancelledInvoluntary,
}

public readonly record struct ChurnKey(TierDay At, string Reason, bool Involuntary);

public readonly record struct CreditKey(TierDay At, string BenefitKey, string Kind);

/// <summary>The columns of <c>report_credits_daily</c>, in table order.</summary>
public enum CreditMeasure
{
    Allocated,
    Redeemed,
    Expired,
    Adjusted,
}

public readonly record struct RevenueKey(DateOnly Day, string LocationId, string ClientKind, string Key);

public readonly record struct ClientMonthKey(DateOnly Month, string LocationId, string ClientKind);

public readonly record struct PlanMoveKey(DateOnly Day, string LocationId, string FromPlan, int FromVersion, string ToPlan, int ToVersion, string Direction);

/// <summary>A client as the at-risk list reads them, after their whole log is folded.</summary>
public sealed record ReportMember(
    string MemberId,
    long LastSeq,
    string Name,
    string Email,
    string LocationId,
    string PlanId,
    int PlanVersion,
    string Status,
    string TimeZone,
    DateOnly? CardExpires,
    IReadOnlyList<ReportLot> OpenLots,
    IReadOnlyDictionary<DateOnly, int> Visits);

public sealed record ReportLot(string LotId, string BenefitKey, long Granted, long Remaining, DateTimeOffset? ExpiresAt);

/// <summary>
/// What folding some events adds to the projection: sums per key, so a batch of thousands of clients is a few
/// thousand rows to add, and the clients whose per-client rows are replaced.
/// </summary>
public sealed class ReportBatch
{
    private readonly bool _discards;

    public ReportBatch()
    {
    }

    private ReportBatch(bool discards) => _discards = discards;

    /// <summary>A batch that keeps nothing: for folding events already in the projection.</summary>
    public static ReportBatch Discard { get; } = new(discards: true);

    public Dictionary<TierDay, long[]> Membership { get; } = [];

    public Dictionary<ChurnKey, long> ChurnReasons { get; } = [];

    public Dictionary<CreditKey, long[]> Credits { get; } = [];

    public Dictionary<TierDay, (decimal Fixed, decimal Slope)> Deferred { get; } = [];

    public Dictionary<RevenueKey, long> Revenue { get; } = [];

    public Dictionary<ClientMonthKey, long> Clients { get; } = [];

    public Dictionary<PlanMoveKey, long> PlanMoves { get; } = [];

    public List<ReportMember> Members { get; } = [];

    private long _events;

    public long Events
    {
        get => _events;
        set => _events = _discards ? 0 : value;
    }


    public void Add(TierDay at, MembershipMeasure measure, long amount)
    {
        if (amount == 0 || _discards)
        {
            return;
        }

        if (!Membership.TryGetValue(at, out var row))
        {
            Membership[at] = row = new long[Enum.GetValues<MembershipMeasure>().Length];
        }

        row[(int)measure] += amount;
    }

    public void Add(CreditKey at, CreditMeasure measure, long amount)
    {
        if (amount == 0 || _discards)
        {
            return;
        }

        if (!Credits.TryGetValue(at, out var row))
        {
            Credits[at] = row = new long[Enum.GetValues<CreditMeasure>().Length];
        }

        row[(int)measure] += amount;
    }

    public void Add(ChurnKey at, long count) => Sum(ChurnReasons, at, count);

    public void Add(RevenueKey at, long amount) => Sum(Revenue, at, amount);

    public void Add(ClientMonthKey at, long count) => Sum(Clients, at, count);

    public void Add(PlanMoveKey at, long count) => Sum(PlanMoves, at, count);

    public void AddDeferral(TierDay at, decimal fixedPart, decimal slope)
    {
        if (_discards)
        {
            return;
        }

        var (f, s) = Deferred.GetValueOrDefault(at);
        Deferred[at] = (f + fixedPart, s + slope);
    }

    /// <summary>
    /// Adds everything <paramref name="other"/> holds to this batch, key by key as it holds it (a sum that came to
    /// zero included), so folding clients into batches of their own and adding those up is the same as folding them all
    /// into this one.
    /// </summary>
    public void AddFrom(ReportBatch other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (_discards)
        {
            return;
        }

        AddRows(Membership, other.Membership);
        AddRows(Credits, other.Credits);
        foreach (var (at, (fixedPart, slope)) in other.Deferred)
        {
            AddDeferral(at, fixedPart, slope);
        }

        AddSums(ChurnReasons, other.ChurnReasons);
        AddSums(Revenue, other.Revenue);
        AddSums(Clients, other.Clients);
        AddSums(PlanMoves, other.PlanMoves);
        Members.AddRange(other.Members);
        Events += other.Events;

        static void AddRows<TKey>(Dictionary<TKey, long[]> rows, Dictionary<TKey, long[]> more)
            where TKey : notnull
        {
            foreach (var (key, row) in more)
            {
                if (!rows.TryGetValue(key, out var mine))
                {
                    rows[key] = mine = new long[row.Length];
                }

                for (var i = 0; i < row.Length; i++)
                {
                    mine[i] += row[i];
                }
            }
        }

        static void AddSums<TKey>(Dictionary<TKey, long> sums, Dictionary<TKey, long> more)
            where TKey : notnull
        {
            foreach (var (key, amount) in more)
            {
                sums[key] = sums.GetValueOrDefault(key) + amount;
            }
        }
    }

    private void Sum<TKey>(Dictionary<TKey, long> sums, TKey key, long amount)
        where TKey : notnull
    {
        if (amount != 0 && !_discards)
        {
            sums[key] = sums.GetValueOrDefault(key) + amount;
        }
    }
}
