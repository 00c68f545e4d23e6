using MedSpa.Domain;
using MedSpa.Domain.Credits;
using MedSpa.Domain.Members;
using MedSpa.Export;
using MedSpa.Grains.Members;
using MedSpa.Members;
using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans.Concurrency;

namespace MedSpa.Grains.Export;

/// <summary>
/// Reads a page of clients' logs from <c>member_events</c> in one query and folds each exactly as the member grain
/// folds its own (<see cref="Member.Apply"/>, <see cref="CreditLedger.History"/>), so an export says what the member's
/// API says without waking a member grain per client: a 100,000-client export would otherwise fill the silo with
/// activations it has no further use for. Without PostgreSQL (memory mode) there is no log to page through: refused.
/// </summary>
/// <remarks>
/// A client whose log cannot be read or folded is left out of the file and logged as an error with their id, rather
/// than stopping the export: the owner keeps the records of everyone else, and a line half-folded from a damaged log
/// would state balances and prices nobody can stand behind. The member's own pages say their log is unreadable.
/// </remarks>
[StatelessWorker]
public sealed partial class ExportGrain(ILogger<ExportGrain> logger, NpgsqlDataSource? database = null) : Grain, IExportGrain
{
    public const int MaxPageSize = 1000;

    public Task<ExportPage<ExportedMember>> GetMembersAsync(ExportRequest request) =>
        PageAsync<ExportedMember>(request, (id, member, _) => member.Profile is { } p
            ? [new ExportedMember(id, p.FirstName, p.LastName, p.Email, p.Phone, p.HomeLocationId, p.RegisteredAt, p.RegisteredBy,
                member.Status, member.Enrolment?.Plan.Terms.Name, member.Enrolment?.EnrolledOn)]
            : []);

    public Task<ExportPage<ExportedMembership>> GetMembershipsAsync(ExportRequest request) =>
        PageAsync<ExportedMembership>(request, (id, member, _) => member is { Profile: { } p, Enrolment: not null } ? [Membership(id, p, member)] : []);

    public Task<ExportPage<ExportedLedgerEntry>> GetLedgerAsync(ExportRequest request) =>
        PageAsync<ExportedLedgerEntry>(request, (id, member, log) => member.Profile is { } p
            ? [.. CreditLedger.History(log).Select(e =>
                new ExportedLedgerEntry(id, p.FullName, e.Seq, e.At, e.Type, e.BenefitKey, e.LotId, e.Change, e.BalanceAfter, e.Reference, e.Reason))]
            : []);

    private static ExportedMembership Membership(string id, MemberProfile profile, Member member)
    {
        var view = member.Membership(id);
        var (endsOn, reason, involuntary) = (view.PendingCancellation, member.Status, member.LastCancellation) switch
        {
            ({ } pending, _, _) => (pending.EffectiveOn, pending.Reason, false),
            (null, MembershipStatus.Cancelled, { } last) => (last.EffectiveOn, last.Reason, last.Involuntary),
            _ => ((DateOnly?)null, (string?)null, (bool?)null),
        };
        return new ExportedMembership(
            id, profile.FullName, profile.HomeLocationId, view.Status, view.PlanId!, view.PlanName!, view.PlanVersion!.Value,
            view.Price!.Amount, view.Price.Currency, view.TimeZone!, view.EnrolledOn!.Value, view.AnchorDay!.Value,
            view.CurrentPeriodStart, view.NextBillingDate, view.NextPrice?.Amount, view.AmountDue?.Amount, view.TermEnd!.Value,
            view.PausedUntil, endsOn, reason, involuntary, view.Card is not null, view.Card?.Brand, view.Card?.Last4);
    }

    /// <summary>
    /// The clients after <see cref="ExportRequest.After"/>, by id, each read in one statement (so each log is whole and
    /// consistent) and turned into rows by <paramref name="rowsOf"/> when homed at the requested location.
    /// </summary>
    private async Task<ExportPage<T>> PageAsync<T>(ExportRequest request, Func<string, Member, IReadOnlyList<(long Seq, MemberEvent Event)>, IEnumerable<T>> rowsOf)
    {
        ArgumentNullException.ThrowIfNull(request);
        var source = database ?? throw Reject.Unavailable("exports_need_postgres",
            "Exports page through the event log in PostgreSQL; this silo keeps its data in memory.");
        if (request.PageSize is < 1 or > MaxPageSize)
        {
            throw Reject.Invalid("invalid_page_size", $"A page holds 1 to {MaxPageSize} clients.");
        }

        // Every log starts at seq 1, so (member_id, seq = 1) walks the primary key once per client: the page is a range of it.
        await using var command = source.CreateCommand("""
            SELECT e.member_id, e.seq, e.payload::text
            FROM (SELECT member_id FROM member_events WHERE seq = 1 AND member_id > $1 ORDER BY member_id LIMIT $2) page
            JOIN member_events e ON e.member_id = page.member_id
            ORDER BY e.member_id, e.seq
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = request.After ?? "" });
        command.Parameters.Add(new NpgsqlParameter { Value = request.PageSize });
        await using var reader = await command.ExecuteReaderAsync();

        var rows = new List<T>();
        var clients = 0;
        string? current = null;
        var stored = new List<(long Seq, string Payload)>();
        while (await reader.ReadAsync())
        {
            var memberId = reader.GetString(0);
            if (memberId != current)
            {
                Fold();
                current = memberId;
                clients++;
                stored = [];
            }

            stored.Add((reader.GetInt64(1), reader.GetString(2)));
        }

        Fold();
        return new ExportPage<T>(rows, clients == request.PageSize ? current : null);

        void Fold()
        {
            if (current is null)
            {
                return;
            }

            try
            {
                var log = stored.Select(row => (row.Seq, Event: MemberEventJson.Deserialize(row.Payload))).ToList();
                var member = log.Aggregate(Member.Unregistered, (state, entry) => state.Apply(entry.Event));
                if (member.Profile is { } profile && (request.LocationId is null || profile.HomeLocationId == request.LocationId))
                {
                    // Made in full before any is kept, so a client whose rows fail part-way adds none.
                    rows.AddRange(rowsOf(current, member, log).ToList());
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                LogLeftOut(logger, e, current);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Left {MemberId} out of the export: their log cannot be read or folded")]
    private static partial void LogLeftOut(ILogger logger, Exception exception, string memberId);
}
