using MedSpa.Domain.Import;
using MedSpa.Domain.Tests.Members;
using MedSpa.Domain.Tests.Plans;
using MedSpa.Import;
using MedSpa.Members;
using static MedSpa.Domain.Tests.Members.LifecycleExamples;

namespace MedSpa.Domain.Tests.Import;

/// <summary>Reading a practice's member spreadsheet and checking each row, before anything is written.</summary>
public sealed class ImportSheetTests
{
    private static readonly DateTimeOffset Now = EnrolledAt; // 10 March 2027, 10:00 in New York

    [Theory]
    [InlineData("Email Address")]
    [InlineData("E-mail")]
    [InlineData("EMAIL")]
    [InlineData("email_address")]
    public void Common_header_variants_name_the_same_column(string header)
    {
        var sheet = ImportSheet.Read($"Full Name,{header},Tier,Start Date,Next bill day\nAva Stone,  ava@example.com  ,Premium,2025-01-15,15\n");

        var row = Assert.Single(sheet.Rows);
        Assert.Equal("ava@example.com", row.Cell(ImportField.Email));
        Assert.Equal("Premium", row.Cell(ImportField.Plan));
        Assert.Equal("15", row.Cell(ImportField.BillingDay));
        Assert.Equal(2, row.Line);
    }

    [Fact]
    public void Credit_columns_are_named_by_benefit_key_with_their_expiry_beside_them()
    {
        var sheet = ImportSheet.Read("name,email,plan,start date,units:svc_tox,units:svc_tox expires,dollars:facial,Notes\nAva Stone,ava@example.com,Premium,2025-01-15,2,,$35.50,vip\n");

        var row = Assert.Single(sheet.Rows);
        Assert.Equal(("2", ""), row.Credits["units:svc_tox"]);
        Assert.Equal(("$35.50", ""), row.Credits["dollars:facial"]);
        Assert.Equal(["Notes"], sheet.Ignored);
    }

    [Theory]
    [InlineData("name,plan,start date\nAva,Premium,2025-01-01\n", "missing_columns")]
    [InlineData("", "invalid_csv")]
    [InlineData("name,email,plan,start\n\"Ava,ava@example.com,Premium,2025-01-01\n", "invalid_csv")]
    [InlineData("PK\u0003\u0004\0\0binary", "invalid_csv")]
    public void A_file_that_is_not_a_member_sheet_is_refused_with_a_code(string csv, string code)
    {
        var refused = Assert.Throws<CommandRejectedException>(() => ImportSheet.Read(csv));
        Assert.Equal(code, refused.Code);
    }

    [Fact]
    public void Each_bad_row_reports_every_problem_by_code_and_good_rows_say_what_they_create()
    {
        const string csv = """
            first name,last name,email,home location,plan,monthly price,membership start date,billing day,status,paused until,units:svc_tox,dollars:facial,dollars:facial expires
            Ava,Stone,ava@example.com,Downtown,Premium,$199.00,2025-01-15,15,active,,2,$20,2027-03-31
            Ben,Ode,not-an-email,Downtown,Gold,149,1/15/2025,0,active,,,,
            Cy,Ray,cy@example.com,Nowhere,Premium,$189.00,15.01.2025,,sleeping,,,,
            Di,Ho,di@example.com,Downtown,premium,,14 Feb 2026,,paused,4/1/2027,,,
            Ed,Ku,ed@example.com,Downtown,Premium,,2026-02-14,,active,,,,
            Ed,Ku,ED@example.com ,Downtown,Premium,,2026-02-14,,active,,,,
            Flo,Ma,flo@example.com,Downtown,Premium,,2026-02-14,31,cancelled,,,,
            Gus,Lo,gus@example.com,Downtown,Premium,,2026-02-14,10,active,,,,
            """;
        var existing = new Dictionary<string, string>
        {
            ["gus@example.com"] = "mem_someoneelse",
            ["ava@example.com"] = "mem_unrelated",
        };

        var rows = ImportCheck.Check(ImportSheet.Read(csv), [PlanOf(PlanExamples.Premium)], PlanExamples.Catalogue.Locations, new Dictionary<string, string>(), Now);
        var report = rows.Select(r => (r.Report.Line, r.Report.Outcome, Codes: string.Join(' ', r.Report.Problems.Select(p => p.Code)))).ToList();

        Assert.Equal(
        [
            (2, ImportOutcome.Create, ""),
            (3, ImportOutcome.Error, "invalid_email unknown_plan invalid_billing_day"),
            (4, ImportOutcome.Error, "unknown_location price_differs_from_plan invalid_date invalid_status"),
            (5, ImportOutcome.Create, ""),
            (6, ImportOutcome.Error, "duplicate_member"),
            (7, ImportOutcome.Error, "duplicate_member"),
            (8, ImportOutcome.Create, ""),
            (9, ImportOutcome.Create, ""),
        ], report);

        // Nobody is charged on import day unless it is their billing day: Ava's next bill is her own 15th.
        Assert.Equal(new DateOnly(2027, 3, 15), rows[0].Report.NextBillingDate);
        Assert.Equal(MembershipStatus.Paused, rows[3].Report.Status);
        Assert.Equal(new DateOnly(2027, 4, 1), rows[3].Report.NextBillingDate);
        Assert.Null(rows[6].Report.NextBillingDate);
        Assert.Equal(new DateOnly(2027, 3, 10), rows[7].Report.NextBillingDate);
        Assert.Equal([new OpeningBalance("units:svc_tox", 2, null), new OpeningBalance("dollars:facial", 2_000, new DateOnly(2027, 3, 31))], rows[0].Import!.Balances);

        var again = ImportCheck.Check(ImportSheet.Read(csv), [PlanOf(PlanExamples.Premium)], PlanExamples.Catalogue.Locations, existing, Now);
        Assert.Equal("duplicate_member", Assert.Single(again[7].Report.Problems).Code);
        Assert.Equal("duplicate_member", Assert.Single(again[0].Report.Problems).Code);
    }

    [Fact]
    public void A_row_imported_before_under_its_derived_id_is_reported_as_already_imported()
    {
        const string csv = "name,email,plan,start date\nAva Stone,ava@example.com,Premium,2025-01-15\n";
        var existing = new Dictionary<string, string> { ["ava@example.com"] = ImportCheck.MemberIdFor("ava@example.com") };

        var row = Assert.Single(ImportCheck.Check(ImportSheet.Read(csv), [PlanOf(PlanExamples.Premium)], PlanExamples.Catalogue.Locations, existing, Now));

        Assert.Equal(ImportOutcome.AlreadyImported, row.Report.Outcome);
        Assert.Null(row.Import);
        Assert.Equal(ImportCheck.MemberIdFor("ava@example.com"), row.Report.MemberId);
        Assert.NotEqual(ImportCheck.MemberIdFor("ava@example.com"), ImportCheck.MemberIdFor("ben@example.com"));
        Assert.Matches("^mem_[0-9a-hjkmnp-tv-z]{26}$", ImportCheck.MemberIdFor("ava@example.com"));
    }

    [Fact]
    public void A_card_is_kept_only_when_attached_to_the_customer_and_not_expired()
    {
        var today = new DateOnly(2027, 3, 10);
        var visa = new CardOnFile("pm_1", "visa", "4242", 12, 2030);
        Assert.NotNull(ImportCheck.Card("cus_1", "pm_1", "cus_1", visa, MembershipStatus.Active, today).Card);
        Assert.Equal(ImportCodes.NeedsCard, ImportCheck.Card("cus_1", "pm_1", "cus_2", visa, MembershipStatus.Active, today).Warning!.Code);
        Assert.Equal(ImportCodes.NeedsCard, ImportCheck.Card("cus_1", "pm_1", null, null, MembershipStatus.Paused, today).Warning!.Code);
        Assert.Equal(ImportCodes.NeedsCard, ImportCheck.Card("cus_1", "pm_1", "cus_1", visa with { ExpYear = 2027, ExpMonth = 2 }, MembershipStatus.Active, today).Warning!.Code);
        Assert.NotNull(ImportCheck.Card("cus_1", "pm_1", "cus_1", visa with { ExpYear = 2027, ExpMonth = 3 }, MembershipStatus.Active, today).Card);
        Assert.Equal(ImportCodes.NeedsCard, ImportCheck.Card(null, null, null, null, MembershipStatus.Active, today).Warning!.Code);
        Assert.Equal((null, null), ImportCheck.Card(null, null, null, null, MembershipStatus.Cancelled, today));
    }
}
