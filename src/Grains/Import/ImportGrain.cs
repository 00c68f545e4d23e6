using System.Collections.Immutable;
using MedSpa.Domain;
using MedSpa.Domain.Billing;
using MedSpa.Domain.Import;
using MedSpa.Grains.Billing;
using MedSpa.Import;
using MedSpa.Members;
using MedSpa.Plans;
using MedSpa.Practice;

namespace MedSpa.Grains.Import;

[GenerateSerializer]
public sealed record ImportState
{
    [Id(0)] public ImportReport? Report { get; init; }

    /// <summary>The members the last dry run would create, with the card the processor vouched for.</summary>
    [Id(1)] public ImmutableList<MemberImport> Pending { get; init; } = [];
}

/// <summary>
/// One member spreadsheet: the dry run checks it against the practice (plans, locations, clients) and Stripe and keeps
/// the report; confirming creates what the report says it would, a few members at a time.
/// </summary>
public sealed class ImportGrain(
    [PersistentState("import", StorageNames.Practice)] IPersistentState<ImportState> state, IPaymentGateway gateway, TimeProvider clock)
    : Grain, IImportGrain
{
    /// <summary>How many members are looked up at Stripe or written at once: enough to keep both busy, few enough to stay under the rate limit.</summary>
    private const int Parallelism = 8;

    private IMemberDirectoryGrain Directory => GrainFactory.GetGrain<IMemberDirectoryGrain>(IMemberDirectoryGrain.Key);

    public async Task<ImportReport> DryRunAsync(string csv, string? fileName)
    {
        var sheet = ImportSheet.Read(csv);
        var now = clock.GetUtcNow();
        var plans = (await GrainFactory.GetGrain<IPlanDirectoryGrain>(IPlanDirectoryGrain.Key).ListAsync()).Select(p => p.Current).ToList();
        var locations = (await GrainFactory.GetGrain<IPracticeGrain>(IPracticeGrain.Key).GetCatalogueAsync()).Locations;
        var emails = sheet.Rows.Select(r => Domain.Members.Member.UsableEmail(r.Cell(ImportField.Email))).OfType<string>().Distinct().ToList();
        var existing = await Directory.FindManyByEmailAsync(emails);
        var rows = ImportCheck.Check(sheet, plans, locations, existing, now).ToArray();

        var reports = new ImportRowReport[rows.Length];
        var pending = new MemberImport?[rows.Length];
        await ForEachAsync(Enumerable.Range(0, rows.Length), async i =>
        {
            var row = rows[i];
            if (row.Import is not { } import)
            {
                reports[i] = row.Report;
                return;
            }

            var snapshot = row.CustomerId is not null && row.PaymentMethodId is not null
                ? await gateway.GetPaymentMethodAsync(row.PaymentMethodId)
                : null;
            var zone = TimeZoneInfo.FindSystemTimeZoneById(locations.Single(l => l.Id == import.Client.HomeLocationId).TimeZone);
            var (card, warning) = ImportCheck.Card(row.CustomerId, row.PaymentMethodId, snapshot?.CustomerId, snapshot?.Card, import.Status, BillingCalendar.LocalDate(now, zone));
            reports[i] = warning is null ? row.Report : row.Report with { Warnings = [warning] };
            pending[i] = import with { Card = card };
        });

        var report = Summarise(new ImportReport(this.GetPrimaryKeyString(), fileName, now, null, 0, 0, 0, 0, reports));
        await Save(new ImportState { Report = report, Pending = [.. pending.OfType<MemberImport>()] });
        return report;
    }

    public Task<ImportReport> GetReportAsync() => Task.FromResult(RequireReport());

    public async Task<ImportReport> ConfirmAsync()
    {
        var report = RequireReport();
        var pending = state.State.Pending;
        var ids = pending.ToDictionary(p => p.ImportKey, p => ImportCheck.MemberIdFor(p.ImportKey), StringComparer.Ordinal);
        // Listed in the directory first, in one write, as a registration claims its email before it is recorded.
        var refused = (await Directory.ClaimManyAsync(
            [.. pending.Select(p => new MemberSummary(ids[p.ImportKey], $"{p.Client.FirstName} {p.Client.LastName}", p.ImportKey, p.Client.Phone, p.Client.HomeLocationId))]))
            .ToHashSet(StringComparer.Ordinal);

        var outcomes = new Dictionary<string, ImportProblem?>(StringComparer.Ordinal);
        await ForEachAsync(pending, async import =>
        {
            var id = ids[import.ImportKey];
            ImportProblem? problem = null;
            if (refused.Contains(id))
            {
                problem = new ImportProblem("duplicate_member", $"A client with {import.ImportKey} registered here since the dry run.", "email");
            }
            else
            {
                try
                {
                    await GrainFactory.GetGrain<IMemberGrain>(id).ImportAsync(import);
                }
                catch (CommandRejectedException rejected) when (rejected.Kind != RejectionKind.Unavailable)
                {
                    problem = new ImportProblem(rejected.Code, rejected.Message);
                }
            }

            lock (outcomes)
            {
                outcomes[import.ImportKey] = problem;
            }
        });

        var rows = report.Rows.Select(row => row.Email is { } email && outcomes.TryGetValue(email, out var problem) && row.Outcome is ImportOutcome.Create or ImportOutcome.Created
            ? problem is null ? row with { Outcome = ImportOutcome.Created } : row with { Outcome = ImportOutcome.Error, Problems = [problem] }
            : row).ToList();
        var confirmed = Summarise(report with { ConfirmedAt = clock.GetUtcNow(), Rows = rows });
        await Save(state.State with { Report = confirmed });
        return confirmed;
    }

    private ImportReport RequireReport() =>
        state.State.Report ?? throw Reject.NotFound("import_not_found", "There is no dry run of this file: upload it again to check it first.");

    private static ImportReport Summarise(ImportReport report) => report with
    {
        ToCreate = report.Rows.Count(r => r.Outcome == ImportOutcome.Create),
        AlreadyImported = report.Rows.Count(r => r.Outcome == ImportOutcome.AlreadyImported),
        Errors = report.Rows.Count(r => r.Outcome == ImportOutcome.Error),
        Created = report.Rows.Count(r => r.Outcome == ImportOutcome.Created),
    };

    private async Task Save(ImportState next)
    {
        state.State = next;
        await state.WriteStateAsync();
    }

    /// <summary>Runs <paramref name="work"/> over the items, a few at a time, on this grain's scheduler.</summary>
    private static async Task ForEachAsync<T>(IEnumerable<T> items, Func<T, Task> work)
    {
        using var slots = new SemaphoreSlim(Parallelism);
        await Task.WhenAll(items.Select(async item =>
        {
            await slots.WaitAsync();
            try
            {
                await work(item);
            }
            finally
            {
                slots.Release();
            }
        }));
    }
}
