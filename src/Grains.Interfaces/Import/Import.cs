using MedSpa.Members;
using Orleans.Concurrency;

namespace MedSpa.Import;

/// <summary>
/// One spreadsheet of a practice moving in (key <c>imp_</c> + the SHA-256 of the file, so the same file is the same
/// import): checked first (a dry run that writes nothing), then confirmed, which creates each good row's member once.
/// </summary>
public interface IImportGrain : IGrainWithStringKey
{
    /// <summary>
    /// Checks every row against the plans, locations, existing clients and the card processor, and keeps the report.
    /// Writes no member. 400 <c>invalid_csv</c>, <c>missing_columns</c>, <c>too_many_rows</c> for a file it cannot read.
    /// </summary>
    [ResponseTimeout("00:30:00")]
    Task<ImportReport> DryRunAsync(string csv, string? fileName);

    /// <summary>The last report, dry run or confirmed. 404 <c>import_not_found</c> before any dry run.</summary>
    [ReadOnly]
    Task<ImportReport> GetReportAsync();

    /// <summary>
    /// Creates the members the last dry run would create, and nothing else. Confirming again (or after a crash part way)
    /// creates each member once. 404 <c>import_not_found</c> without a dry run.
    /// </summary>
    [ResponseTimeout("00:30:00")]
    Task<ImportReport> ConfirmAsync();
}

public enum ImportOutcome
{
    /// <summary>The row is good: confirming creates this member.</summary>
    Create,

    /// <summary>This email was imported before: nothing is written for it (the import's idempotency).</summary>
    AlreadyImported,

    /// <summary>The row is wrong (see the problems) and is skipped.</summary>
    Error,

    /// <summary>After confirmation: the member was created.</summary>
    Created,
}

/// <summary>What is wrong with a row (or, as a warning, what to follow up), by stable code.</summary>
[GenerateSerializer, Immutable]
public sealed record ImportProblem(
    [property: Id(0)] string Code,
    [property: Id(1)] string Message,
    [property: Id(2)] string? Column = null);

/// <summary>One data row of the file (<see cref="Line"/> counts the header as line 1) and what the import does with it.</summary>
[GenerateSerializer, Immutable]
public sealed record ImportRowReport(
    [property: Id(0)] int Line,
    [property: Id(1)] string? Email,
    [property: Id(2)] string? Name,
    [property: Id(3)] ImportOutcome Outcome,
    [property: Id(4)] IReadOnlyList<ImportProblem> Problems,
    [property: Id(5)] IReadOnlyList<ImportProblem> Warnings,
    [property: Id(6)] string? MemberId = null,
    [property: Id(7)] string? PlanName = null,
    [property: Id(8)] MembershipStatus? Status = null,
    [property: Id(9)] DateOnly? NextBillingDate = null);

/// <summary>Answer of the dry run and of the confirmation: every row, and the totals staff read first.</summary>
[GenerateSerializer, Immutable]
public sealed record ImportReport(
    [property: Id(0)] string ImportId,
    [property: Id(1)] string? FileName,
    [property: Id(2)] DateTimeOffset CheckedAt,
    [property: Id(3)] DateTimeOffset? ConfirmedAt,
    [property: Id(4)] int ToCreate,
    [property: Id(5)] int AlreadyImported,
    [property: Id(6)] int Errors,
    [property: Id(7)] int Created,
    [property: Id(8)] IReadOnlyList<ImportRowReport> Rows)
{
    /// <summary>Members imported (or to import) without a card that can be charged: the desk collects one from each.</summary>
    public IReadOnlyList<ImportRowReport> NeedsCard =>
        [.. Rows.Where(r => r.Outcome is ImportOutcome.Create or ImportOutcome.Created && r.Warnings.Any(w => w.Code == ImportCodes.NeedsCard))];
}

public static class ImportCodes
{
    public const string NeedsCard = "needs_card";
}

/// <summary>A credit balance carried over: how much of a benefit is left, and until when (null: never expires).</summary>
[GenerateSerializer, Immutable]
public sealed record OpeningBalance(
    [property: Id(0)] string BenefitKey,
    [property: Id(1)] long Quantity,
    [property: Id(2)] DateOnly? ExpiresOn);

/// <summary>A card the processor confirmed belongs to the customer and can be charged.</summary>
[GenerateSerializer, Immutable]
public sealed record ImportedCard(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] CardOnFile Card);

/// <summary>
/// A member as the practice's old records have them, checked: created by <see cref="IMemberGrain.ImportAsync"/> with
/// their membership as it stands, never charged on import. <see cref="ImportKey"/> (the email) makes it idempotent.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record MemberImport(
    [property: Id(0)] string ImportKey,
    [property: Id(1)] NewClient Client,
    [property: Id(2)] string PlanId,
    [property: Id(3)] DateOnly MemberSince,
    [property: Id(4)] int BillingDay,
    [property: Id(5)] DateOnly? TermEnd,
    [property: Id(6)] MembershipStatus Status,
    [property: Id(7)] DateOnly? PausedUntil,
    [property: Id(8)] IReadOnlyList<OpeningBalance> Balances,
    [property: Id(9)] ImportedCard? Card);

/// <summary>
/// Where a spreadsheet comes in (one per deployment, any silo): the template, and the dry run of a file, which it hands to
/// the <see cref="IImportGrain"/> named by the file's hash.
/// </summary>
public interface IImportDeskGrain : IGrainWithStringKey
{
    const string Key = "practice";

    /// <summary>The CSV template: every column the import reads, a column per balance the practice's plans carry, and an example row.</summary>
    [ReadOnly]
    Task<string> GetTemplateAsync();

    /// <summary>The dry run of <paramref name="csv"/>; the answer's <see cref="ImportReport.ImportId"/> is what to confirm.</summary>
    [ResponseTimeout("00:30:00")]
    Task<ImportReport> DryRunAsync(string csv, string? fileName);
}
