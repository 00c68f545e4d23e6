using System.Security.Cryptography;
using System.Text;
using MedSpa.Domain.Members;
using MedSpa.Import;
using MedSpa.Members;
using MedSpa.Plans;
using MedSpa.Practice;

namespace MedSpa.Domain.Import;

/// <summary>A row as checked: its report line, and when it is good the member it creates with the processor ids to verify.</summary>
public sealed record CheckedRow(ImportRowReport Report, MemberImport? Import, string? CustomerId, string? PaymentMethodId);

/// <summary>
/// The dry run's rules: what each row of a member spreadsheet would become. Every problem of a row is reported, by
/// stable code; a row that passes is also run through the member's own import decision
/// (<see cref="Member.Import"/>), so the dry run refuses exactly what confirming would.
/// </summary>
public static class ImportCheck
{
    /// <summary>
    /// The member id an email is imported under: derived from the email, so a retry, a crash part way or the same file
    /// again always lands on the same member and never creates a second one.
    /// </summary>
    public static string MemberIdFor(string email)
    {
        const string crockford = "0123456789abcdefghjkmnpqrstvwxyz";
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("import:" + email));
        var text = new StringBuilder("mem_", 30);
        for (var i = 0; i < 26; i++)
        {
            var bit = i * 5;
            var pair = (hash[bit / 8] << 8) | hash[(bit / 8) + 1];
            text.Append(crockford[(pair >> (11 - (bit % 8))) & 31]);
        }

        return text.ToString();
    }

    /// <param name="existing">Every client already registered, by email (lower case) to member id.</param>
    public static IReadOnlyList<CheckedRow> Check(
        ImportSheet sheet, IReadOnlyList<PlanVersion> plans, IReadOnlyList<Location> locations, IReadOnlyDictionary<string, string> existing, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(sheet);
        ArgumentNullException.ThrowIfNull(existing);
        var linesByEmail = sheet.Rows
            .Select(r => (r.Line, Email: Member.UsableEmail(r.Cell(ImportField.Email))))
            .Where(r => r.Email is not null)
            .GroupBy(r => r.Email!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(r => r.Line).ToList(), StringComparer.Ordinal);
        return [.. sheet.Rows.Select(row => CheckRow(row, plans, locations, existing, linesByEmail, now))];
    }

    private static CheckedRow CheckRow(
        SheetRow row, IReadOnlyList<PlanVersion> plans, IReadOnlyList<Location> locations, IReadOnlyDictionary<string, string> existing,
        Dictionary<string, List<int>> linesByEmail, DateTimeOffset now)
    {
        var problems = new List<ImportProblem>();
        void Problem(string code, string message, string column) => problems.Add(new ImportProblem(code, message, column));

        var (firstName, lastName) = Names(row);
        var name = $"{firstName} {lastName}".Trim();
        var email = Member.UsableEmail(row.Cell(ImportField.Email));
        if (email is null)
        {
            Problem("invalid_email", $"\"{row.Cell(ImportField.Email)}\" is not an email address; it is how the member signs in to the portal.", "email");
        }
        else if (existing.TryGetValue(email, out var holder))
        {
            if (holder == MemberIdFor(email))
            {
                return new CheckedRow(new ImportRowReport(row.Line, email, name, ImportOutcome.AlreadyImported, [], [], holder), null, null, null);
            }

            Problem("duplicate_member", $"A client with {email} is already registered here.", "email");
        }
        else if (linesByEmail[email] is { Count: > 1 } lines)
        {
            Problem("duplicate_member", $"{email} is on lines {string.Join(", ", lines)} of the file: keep one row per member.", "email");
        }

        var location = Location(row.Cell(ImportField.HomeLocation), locations);
        if (location is null)
        {
            Problem("unknown_location", $"There is no location \"{row.Cell(ImportField.HomeLocation)}\" (locations: {string.Join(", ", locations.Select(l => l.Name))}).", "home location");
        }

        var planName = row.Cell(ImportField.Plan);
        var plan = plans.FirstOrDefault(p => string.Equals(p.Terms.Name.Trim(), planName, StringComparison.OrdinalIgnoreCase) || p.PlanId == planName);
        if (plan is null)
        {
            Problem("unknown_plan", $"There is no plan \"{planName}\" (plans: {string.Join(", ", plans.Select(p => p.Terms.Name))}).", "plan");
        }

        if (row.Cell(ImportField.MonthlyPrice) is { Length: > 0 } priceText)
        {
            var price = ImportValues.Money(priceText);
            if (price is null)
            {
                Problem("invalid_price", $"\"{priceText}\" is not an amount such as 149.00.", "monthly price");
            }
            else if (plan is not null && price != plan.Terms.MonthlyPrice.Amount)
            {
                Problem("price_differs_from_plan", $"{plan.Terms.Name} costs {plan.Terms.MonthlyPrice.Amount / 100m:0.00} a month, not {price / 100m:0.00}: members are imported at the plan's price.", "monthly price");
            }
        }

        var memberSince = RequiredDate(row.Cell(ImportField.MemberSince), "membership start date", problems);
        var billingDay = row.Cell(ImportField.BillingDay) is { Length: > 0 } dayText ? ImportValues.BillingDay(dayText) : memberSince?.Day;
        if (billingDay is null && row.Cell(ImportField.BillingDay).Length > 0)
        {
            Problem("invalid_billing_day", $"\"{row.Cell(ImportField.BillingDay)}\" is not a day of the month, 1 to 31.", "billing day");
        }

        var termEnd = OptionalDate(row.Cell(ImportField.TermEnd), "minimum term end", problems);
        var pausedUntil = OptionalDate(row.Cell(ImportField.PausedUntil), "paused until", problems);
        var status = ImportValues.Status(row.Cell(ImportField.Status));
        if (status is null)
        {
            Problem("invalid_status", $"\"{row.Cell(ImportField.Status)}\" is not a status: active, paused or cancelled.", "status");
        }

        var balances = new List<OpeningBalance>();
        foreach (var (key, (quantityText, expiresText)) in row.Credits.Where(c => c.Value.Quantity.Length > 0))
        {
            var dollars = key.StartsWith("dollars:", StringComparison.Ordinal);
            long? quantity = dollars
                ? ImportValues.Money(quantityText)
                : long.TryParse(quantityText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var units) ? units : null;
            if (quantity is null)
            {
                Problem("invalid_balance", $"\"{quantityText}\" is not a balance of {key}.", key);
                continue;
            }

            // The same ceiling the import itself holds the balance to, shown on the row before anything is created.
            var most = Limits.MaxCredit(dollars ? BenefitKind.DollarCredit : BenefitKind.TreatmentUnits);
            if (quantity > most)
            {
                Problem(Limits.QuantityOutOfRange, $"A carried-over {key} balance is at most {most} {(dollars ? "cents" : "units")}.", key);
                continue;
            }

            balances.Add(new OpeningBalance(key, quantity.Value, OptionalDate(expiresText, $"{key} expires", problems)));
        }

        if (problems.Count > 0 || email is null || plan is null || location is null || memberSince is null || billingDay is null || status is null)
        {
            return Refused(row, email, name, problems);
        }

        var import = new MemberImport(
            email, new NewClient(firstName, lastName, email, Blank(row.Cell(ImportField.Phone)), location.Id), plan.PlanId, memberSince.Value,
            billingDay.Value, termEnd, status.Value, pausedUntil, balances, null);
        var memberId = MemberIdFor(email);
        IReadOnlyList<MemberEvent> events;
        try
        {
            events = Member.Unregistered.Import(memberId, import, plan, locations, now);
        }
        catch (CommandRejectedException refused)
        {
            return Refused(row, email, name, [new ImportProblem(refused.Code, refused.Message)]);
        }

        var imported = events.OfType<MemberImported>().Single();
        var report = new ImportRowReport(
            row.Line, email, name, ImportOutcome.Create, [], [], memberId, plan.Terms.Name, imported.Status,
            imported.Status == MembershipStatus.Cancelled ? null : imported.NextPeriodStart);
        return new CheckedRow(report, import, Blank(row.Cell(ImportField.StripeCustomer)), Blank(row.Cell(ImportField.PaymentMethod)));
    }

    /// <summary>
    /// The card a row names, when the processor has it attached to the row's customer and it has not expired by
    /// <paramref name="today"/>; otherwise the member is imported without one and listed for the desk to collect one.
    /// </summary>
    public static (ImportedCard? Card, ImportProblem? Warning) Card(
        string? customerId, string? paymentMethodId, string? attachedTo, CardOnFile? card, MembershipStatus status, DateOnly today)
    {
        if (status == MembershipStatus.Cancelled)
        {
            return (null, null);
        }

        string? why = (customerId, paymentMethodId) switch
        {
            (null, _) or (_, null) => "No Stripe customer and payment method: collect a card before the next billing date.",
            _ when card is null => $"Stripe has no payment method {paymentMethodId}: collect a card before the next billing date.",
            _ when attachedTo != customerId => $"{paymentMethodId} is not attached to {customerId} at Stripe: collect a card before the next billing date.",
            _ when card.ExpYear is { } y && card.ExpMonth is { } m && new DateOnly(y, m, 1).AddMonths(1) <= today => $"The card {card.Last4} expired {m:00}/{y}: collect a new card before the next billing date.",
            _ => null,
        };
        return why is null ? (new ImportedCard(customerId!, card!), null) : (null, new ImportProblem(ImportCodes.NeedsCard, why));
    }

    private static CheckedRow Refused(SheetRow row, string? email, string name, IReadOnlyList<ImportProblem> problems) =>
        new(new ImportRowReport(row.Line, email ?? Blank(row.Cell(ImportField.Email)), name, ImportOutcome.Error, problems, []), null, null, null);

    private static (string First, string Last) Names(SheetRow row)
    {
        if (row.Cell(ImportField.FirstName).Length > 0 || row.Cell(ImportField.LastName).Length > 0)
        {
            return (row.Cell(ImportField.FirstName), row.Cell(ImportField.LastName));
        }

        // "Jane van der Berg": the first word is the first name, the rest the last name.
        var full = row.Cell(ImportField.Name);
        var space = full.IndexOf(' ', StringComparison.Ordinal);
        return space < 0 ? (full, "") : (full[..space], full[(space + 1)..].Trim());
    }

    private static Location? Location(string text, IReadOnlyList<Location> locations) => text.Length == 0
        ? locations.Count == 1 ? locations[0] : null
        : locations.FirstOrDefault(l => l.Id == text || string.Equals(l.Name.Trim(), text, StringComparison.OrdinalIgnoreCase));

    private static DateOnly? RequiredDate(string text, string column, List<ImportProblem> problems)
    {
        if (text.Length == 0)
        {
            problems.Add(new ImportProblem("invalid_date", $"The {column} is missing.", column));
            return null;
        }

        return OptionalDate(text, column, problems);
    }

    private static DateOnly? OptionalDate(string text, string column, List<ImportProblem> problems)
    {
        if (text.Length == 0)
        {
            return null;
        }

        var date = ImportValues.Date(text, out var problem);
        if (problem is not null)
        {
            problems.Add(new ImportProblem("invalid_date", $"The {column}: {problem}", column));
        }

        return date;
    }

    private static string? Blank(string text) => text.Length == 0 ? null : text;
}
