using System.Collections.Frozen;
using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace MedSpa.Domain.Import;

/// <summary>The columns of a member spreadsheet the import understands.</summary>
public enum ImportField
{
    Name,
    FirstName,
    LastName,
    Email,
    Phone,
    HomeLocation,
    Plan,
    MonthlyPrice,
    MemberSince,
    BillingDay,
    TermEnd,
    Status,
    PausedUntil,
    StripeCustomer,
    PaymentMethod,
}

/// <summary>One data row: its line in the file (the header is line 1), its cells by field, and its credit balances by benefit key.</summary>
public sealed record SheetRow(int Line, IReadOnlyDictionary<ImportField, string> Cells, IReadOnlyDictionary<string, (string Quantity, string Expires)> Credits)
{
    public string Cell(ImportField field) => Cells.GetValueOrDefault(field, "");
}

/// <summary>
/// A member spreadsheet read with CsvHelper: headers matched whatever their case, spacing and punctuation ("Email
/// Address", "E-mail", "Plan Name", "Tier", "Next bill day"...), every cell trimmed, blank lines skipped. Credit
/// balances are a column per benefit key (<c>units:neurotoxin</c>, <c>dollars:facial</c>) with an optional
/// "<c>units:neurotoxin expires</c>" beside it.
/// </summary>
public sealed record ImportSheet(IReadOnlyList<string> Headers, IReadOnlyList<string> Ignored, IReadOnlyList<SheetRow> Rows)
{
    public const int MaxRows = 20_000;

    private const string ExpiresSuffix = " expires";

    /// <summary>The column names of the template, in its order.</summary>
    public static readonly IReadOnlyList<(ImportField Field, string Header)> TemplateColumns =
    [
        (ImportField.FirstName, "first name"), (ImportField.LastName, "last name"), (ImportField.Email, "email"), (ImportField.Phone, "phone"),
        (ImportField.HomeLocation, "home location"), (ImportField.Plan, "plan"), (ImportField.MonthlyPrice, "monthly price"),
        (ImportField.MemberSince, "membership start date"), (ImportField.BillingDay, "billing day"), (ImportField.TermEnd, "minimum term end"),
        (ImportField.Status, "status"), (ImportField.PausedUntil, "paused until"), (ImportField.StripeCustomer, "stripe customer id"),
        (ImportField.PaymentMethod, "payment method id"),
    ];

    private static readonly FrozenDictionary<string, ImportField> Aliases = new Dictionary<string, ImportField>
    {
        ["name"] = ImportField.Name, ["fullname"] = ImportField.Name, ["membername"] = ImportField.Name, ["clientname"] = ImportField.Name,
        ["firstname"] = ImportField.FirstName, ["first"] = ImportField.FirstName, ["givenname"] = ImportField.FirstName, ["forename"] = ImportField.FirstName,
        ["lastname"] = ImportField.LastName, ["last"] = ImportField.LastName, ["surname"] = ImportField.LastName, ["familyname"] = ImportField.LastName,
        ["email"] = ImportField.Email, ["emailaddress"] = ImportField.Email, ["mail"] = ImportField.Email,
        ["phone"] = ImportField.Phone, ["phonenumber"] = ImportField.Phone, ["mobile"] = ImportField.Phone, ["cell"] = ImportField.Phone,
        ["mobilephone"] = ImportField.Phone, ["telephone"] = ImportField.Phone, ["tel"] = ImportField.Phone,
        ["homelocation"] = ImportField.HomeLocation, ["location"] = ImportField.HomeLocation, ["clinic"] = ImportField.HomeLocation,
        ["homeclinic"] = ImportField.HomeLocation, ["site"] = ImportField.HomeLocation,
        ["plan"] = ImportField.Plan, ["planname"] = ImportField.Plan, ["tier"] = ImportField.Plan, ["membership"] = ImportField.Plan,
        ["membershipplan"] = ImportField.Plan, ["membershiptier"] = ImportField.Plan,
        ["monthlyprice"] = ImportField.MonthlyPrice, ["price"] = ImportField.MonthlyPrice, ["monthlyfee"] = ImportField.MonthlyPrice,
        ["fee"] = ImportField.MonthlyPrice, ["monthlyrate"] = ImportField.MonthlyPrice, ["rate"] = ImportField.MonthlyPrice,
        ["membershipstartdate"] = ImportField.MemberSince, ["startdate"] = ImportField.MemberSince, ["membersince"] = ImportField.MemberSince,
        ["start"] = ImportField.MemberSince, ["joined"] = ImportField.MemberSince, ["joindate"] = ImportField.MemberSince, ["datejoined"] = ImportField.MemberSince,
        ["billingday"] = ImportField.BillingDay, ["billingdayofmonth"] = ImportField.BillingDay, ["billday"] = ImportField.BillingDay,
        ["nextbillday"] = ImportField.BillingDay, ["billingdom"] = ImportField.BillingDay,
        ["minimumtermend"] = ImportField.TermEnd, ["termend"] = ImportField.TermEnd, ["minimumtermenddate"] = ImportField.TermEnd,
        ["commitmentend"] = ImportField.TermEnd, ["contractend"] = ImportField.TermEnd,
        ["status"] = ImportField.Status, ["membershipstatus"] = ImportField.Status,
        ["pauseduntil"] = ImportField.PausedUntil, ["pauseend"] = ImportField.PausedUntil, ["resumeson"] = ImportField.PausedUntil,
        ["resumedate"] = ImportField.PausedUntil,
        ["stripecustomerid"] = ImportField.StripeCustomer, ["stripecustomer"] = ImportField.StripeCustomer, ["customerid"] = ImportField.StripeCustomer,
        ["paymentmethodid"] = ImportField.PaymentMethod, ["stripepaymentmethodid"] = ImportField.PaymentMethod,
        ["paymentmethod"] = ImportField.PaymentMethod, ["stripepaymentmethod"] = ImportField.PaymentMethod,
    }.ToFrozenDictionary();

    /// <summary>
    /// Reads the file. 400 <c>invalid_csv</c> for something that is not a CSV of rows (binary, unbalanced quotes),
    /// <c>missing_columns</c> without an email, a name and a plan column, <c>too_many_rows</c> past <see cref="MaxRows"/>.
    /// </summary>
    public static ImportSheet Read(string csv)
    {
        ArgumentNullException.ThrowIfNull(csv);
        if (csv.Contains('\0', StringComparison.Ordinal))
        {
            throw Reject.Invalid("invalid_csv", "This is not a CSV file: save the spreadsheet as CSV (comma separated values) and upload that.");
        }

        string? badData = null;
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            TrimOptions = TrimOptions.Trim,
            IgnoreBlankLines = true,
            BadDataFound = args => badData ??= args.RawRecord,
            DetectColumnCountChanges = false,
        };
        using var reader = new StringReader(csv.TrimStart('\uFEFF'));
        using var parser = new CsvParser(reader, config);
        if (!parser.Read())
        {
            throw Reject.Invalid("invalid_csv", "The file is empty: it needs a header row and a row per member.");
        }

        var headers = parser.Record!.Select(h => h.Trim()).ToArray();
        var fields = new Dictionary<int, ImportField>();
        var credits = new Dictionary<string, (int Quantity, int Expires)>(StringComparer.Ordinal);
        var ignored = new List<string>();
        for (var i = 0; i < headers.Length; i++)
        {
            var header = headers[i].ToLowerInvariant();
            if (CreditKey(header) is { } key)
            {
                var slot = credits.GetValueOrDefault(key, (-1, -1));
                credits[key] = header.EndsWith(ExpiresSuffix, StringComparison.Ordinal) ? (slot.Item1, i) : (i, slot.Item2);
            }
            else if (Aliases.TryGetValue(Normalise(header), out var field) && !fields.ContainsValue(field))
            {
                fields[i] = field;
            }
            else if (header.Length > 0)
            {
                ignored.Add(headers[i]);
            }
        }

        var missing = new List<string>();
        if (!fields.ContainsValue(ImportField.Email))
        {
            missing.Add("email");
        }

        if (!fields.ContainsValue(ImportField.Name) && !(fields.ContainsValue(ImportField.FirstName) && fields.ContainsValue(ImportField.LastName)))
        {
            missing.Add("name (or first name and last name)");
        }

        if (!fields.ContainsValue(ImportField.Plan))
        {
            missing.Add("plan");
        }

        if (!fields.ContainsValue(ImportField.MemberSince))
        {
            missing.Add("membership start date");
        }

        if (missing.Count > 0)
        {
            throw Reject.Invalid("missing_columns", $"The header row has no {string.Join(", ", missing)} column. Download the template to see every column.");
        }

        var rows = new List<SheetRow>();
        while (parser.Read())
        {
            if (badData is not null)
            {
                throw Reject.Invalid("invalid_csv", $"Line {parser.RawRow} is not valid CSV (a quote is not closed): {Shorten(badData)}");
            }

            var record = parser.Record!;
            if (record.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }

            if (rows.Count == MaxRows)
            {
                throw Reject.Invalid("too_many_rows", $"A file holds at most {MaxRows} members; split it and import each part.");
            }

            string At(int index) => index >= 0 && index < record.Length ? record[index].Trim() : "";
            rows.Add(new SheetRow(
                parser.Row,
                fields.ToDictionary(f => f.Value, f => At(f.Key)),
                credits.ToDictionary(c => c.Key, c => (At(c.Value.Quantity), At(c.Value.Expires)), StringComparer.Ordinal)));
        }

        if (badData is not null)
        {
            throw Reject.Invalid("invalid_csv", $"The file is not valid CSV (a quote is not closed): {Shorten(badData)}");
        }

        return new ImportSheet(headers, ignored, rows);
    }

    /// <summary>The benefit key a credit column is about (<c>units:neurotoxin</c>, with or without " expires"), or null.</summary>
    private static string? CreditKey(string header)
    {
        var key = header.EndsWith(ExpiresSuffix, StringComparison.Ordinal) ? header[..^ExpiresSuffix.Length].TrimEnd() : header;
        return (key.StartsWith("units:", StringComparison.Ordinal) || key.StartsWith("dollars:", StringComparison.Ordinal))
            && key.Length > key.IndexOf(':', StringComparison.Ordinal) + 1 && !key.Any(char.IsWhiteSpace)
            ? key
            : null;
    }

    private static string Normalise(string header) => new([.. header.Where(char.IsLetterOrDigit)]);

    private static string Shorten(string text) => text.Length <= 80 ? text.Trim() : text[..80].Trim() + "…";
}
