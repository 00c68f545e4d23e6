using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MedSpa.Members;
using MedSpa.Web.Members;
using UglyToad.PdfPig;

namespace MedSpa.Web.Tests;

public sealed class AgreementPdfTests
{
    private const string Agreement =
        "MEMBERSHIP AGREEMENT\n" +
        "\n" +
        "Member: Zoë Ångström\n" +
        "Plan: Glow Premium (plan_premium, version 3)\n" +
        "\n" +
        "1. Price and billing\n" +
        "The membership costs $199.00 USD per month. After that, $199.00 USD is charged on the 31st day of each month, " +
        "or on the month's last day when the month is shorter.\n" +
        "\n" +
        "2. Included benefits\n" +
        "- 1 × Botox (per month). Unused Botox treatments roll over up to 3 in total.\n" +
        "- €50.00 EUR of facial credit per month.\n";

    private static readonly MemberProfile Zoe = new(
        "mem_01jx9k2m3n4p5q6r7s8t9v0w1x", "Zoë", "Ångström", "zoe@example.com", null, "loc_downtown",
        new DateTimeOffset(2027, 1, 2, 10, 0, 0, TimeSpan.Zero), Registrar.Staff);

    private static SignedAgreement Signed(string text, string? userAgent = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X)") => new(
        "plan_premium",
        3,
        text,
        Sha256(text),
        "Zoë Ångström",
        new DateTimeOffset(2027, 1, 31, 9, 5, 9, TimeSpan.FromHours(-5)),
        "portal",
        "203.0.113.7",
        userAgent);

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static (int Pages, string Text) Read(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return (document.NumberOfPages, string.Concat(document.GetPages().Select(p => p.Text)));
    }

    /// <summary>Every glyph inside the 54 pt (¾ inch) margins of a US Letter page.</summary>
    private static void AssertWithinMargins(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        foreach (var page in document.GetPages())
        {
            Assert.Equal((612d, 792d), (page.Width, page.Height));
            Assert.All(page.Letters, letter =>
            {
                Assert.InRange(letter.BoundingBox.Left, 53, 559);
                Assert.InRange(letter.BoundingBox.Right, 53, 559);
                Assert.InRange(letter.BoundingBox.Bottom, 20, 739);
            });
        }
    }

    [Fact]
    public void The_file_is_a_PDF()
    {
        var pdf = AgreementPdf.Render(Signed(Agreement), Zoe);

        Assert.Equal("%PDF-"u8.ToArray(), pdf[..5]);
    }

    [Fact]
    public void The_agreement_text_and_the_signature_evidence_can_be_read_back()
    {
        var agreement = Signed(Agreement);

        var (pages, text) = Read(AgreementPdf.Render(agreement, Zoe));

        Assert.Equal(1, pages);
        Assert.Contains("Plan: Glow Premium (plan_premium, version 3)", text, StringComparison.Ordinal);
        Assert.Contains("- 1 × Botox (per month). Unused Botox treatments roll over up to 3 in total.", text, StringComparison.Ordinal);
        Assert.Contains("- €50.00 EUR of facial credit per month.", text, StringComparison.Ordinal);
        Assert.Contains("Zoë Ångström", text, StringComparison.Ordinal);
        Assert.Contains(agreement.Sha256, text, StringComparison.Ordinal);
        Assert.Contains("2027-01-31T14:05:09Z", text, StringComparison.Ordinal);
        Assert.Contains("portal", text, StringComparison.Ordinal);
        Assert.Contains("203.0.113.7", text, StringComparison.Ordinal);
        Assert.Contains("Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X)", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_long_agreement_flows_onto_more_pages_without_losing_a_line()
    {
        var text = string.Concat(Enumerable.Range(1, 150).Select(i =>
            string.Create(CultureInfo.InvariantCulture, $"Clause {i}. The member and the practice agree to everything written in clause number {i} of this agreement.\n")));
        var agreement = Signed(text);
        var pdf = AgreementPdf.Render(agreement, Zoe);

        var (pages, extracted) = Read(pdf);
        AssertWithinMargins(pdf);

        Assert.True(pages > 1, $"{pages} page(s)");
        Assert.Contains("Clause 1. The member", extracted, StringComparison.Ordinal);
        Assert.Contains("Clause 150. The member", extracted, StringComparison.Ordinal);
        Assert.Contains(agreement.Sha256, extracted, StringComparison.Ordinal);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"page {pages} of {pages}"), extracted, StringComparison.Ordinal);
    }

    [Fact]
    public void A_word_wider_than_the_page_is_cut_rather_than_drawn_past_the_margin()
    {
        var token = string.Concat(Enumerable.Repeat("abcdefghij", 40));

        var pdf = AgreementPdf.Render(Signed(Agreement, userAgent: token), Zoe);

        var (_, text) = Read(pdf);
        AssertWithinMargins(pdf);

        Assert.Contains(token[..40], text, StringComparison.Ordinal);
        Assert.Contains(token[^40..], text, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_signature_details_are_shown_as_not_recorded()
    {
        var agreement = Signed(Agreement) with { IpAddress = null, UserAgent = null, SignedVia = "desk:stf_front" };

        var (_, text) = Read(AgreementPdf.Render(agreement, Zoe));

        Assert.Contains("desk:stf_front", text, StringComparison.Ordinal);
        Assert.Contains("not recorded", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_text_that_does_not_match_its_hash_is_refused()
    {
        var tampered = Signed(Agreement) with { Text = Agreement.Replace("$199.00", "$99.00", StringComparison.Ordinal) };

        Assert.Throws<ArgumentException>(() => AgreementPdf.Render(tampered, Zoe));
    }
}
