using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CsvHelper;
using MedSpa.Plans;
using MedSpa.Practice;

namespace MedSpa.Domain.Import;

/// <summary>The downloadable template, and the id a file is imported under.</summary>
public static class ImportTemplate
{
    /// <summary>The same file is the same import: its id is its SHA-256, so uploading it again finds the earlier dry run.</summary>
    public static string IdFor(string csv) =>
        "imp_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(csv)))[..32];

    /// <summary>
    /// The header the import reads best, a quantity and an expiry column for each balance of the practice's plans, and
    /// one example member on the first plan at the first location.
    /// </summary>
    public static string Write(IReadOnlyList<PlanVersion> plans, IReadOnlyList<Location> locations, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(plans);
        ArgumentNullException.ThrowIfNull(locations);
        var keys = plans.SelectMany(p => p.Terms.Benefits)
            .Where(b => b.Kind != BenefitKind.Discount && b.Key is not null)
            .Select(b => b.Key!)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        var plan = plans.Count > 0 ? plans[0] : null;
        var started = today.AddMonths(-14);
        var example = new Dictionary<ImportField, string>
        {
            [ImportField.FirstName] = "Jane",
            [ImportField.LastName] = "Example",
            [ImportField.Email] = "jane@example.com",
            [ImportField.Phone] = "+1 555 010 0000",
            [ImportField.HomeLocation] = locations.Count > 0 ? locations[0].Name : "",
            [ImportField.Plan] = plan?.Terms.Name ?? "",
            [ImportField.MonthlyPrice] = plan is null ? "" : (plan.Terms.MonthlyPrice.Amount / 100m).ToString("0.00", CultureInfo.InvariantCulture),
            [ImportField.MemberSince] = started.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            [ImportField.BillingDay] = started.Day.ToString(CultureInfo.InvariantCulture),
            [ImportField.TermEnd] = started.AddMonths(plan?.Terms.MinimumTermMonths ?? 12).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            [ImportField.Status] = "active",
            [ImportField.PausedUntil] = "",
            // Left blank: a made-up id would only come back as "needs card".
            [ImportField.StripeCustomer] = "",
            [ImportField.PaymentMethod] = "",
        };

        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = new CsvWriter(text, CultureInfo.InvariantCulture))
        {
            foreach (var (_, header) in ImportSheet.TemplateColumns)
            {
                csv.WriteField(header);
            }

            foreach (var key in keys)
            {
                csv.WriteField(key);
                csv.WriteField($"{key} expires");
            }

            csv.NextRecord();
            foreach (var (field, _) in ImportSheet.TemplateColumns)
            {
                csv.WriteField(example[field]);
            }

            foreach (var key in keys)
            {
                var benefit = plan?.Terms.Benefits.FirstOrDefault(b => b.Key == key);
                csv.WriteField(benefit is null ? "" : key.StartsWith("dollars:", StringComparison.Ordinal) ? "25.00" : "1");
                csv.WriteField(benefit is { Rollover: null } ? today.AddDays(20).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "");
            }

            csv.NextRecord();
        }

        return text.ToString();
    }
}
