using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MedSpa.Tests;
using UglyToad.PdfPig;

namespace MedSpa.Web.Tests;

/// <summary>The signature drawn at enrolment over HTTP: kept with the agreement and drawn on its PDF, checked first, and optional.</summary>
public sealed class EnrolmentSignatureTests(ClinicFixture fixture) : IClassFixture<ClinicFixture>
{
    private const string OnePixelPng = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

    private readonly HttpClient _admin = fixture.Silo.AdminClient();

    private Clinic Clinic => fixture.Clinic;

    [Fact]
    public async Task A_drawn_signature_is_kept_with_the_agreement_and_drawn_on_its_pdf()
    {
        var id = await Clinic.RegisterAsync("Sig", "Drawn");

        await _admin.PostOkAsync($"/api/v1/members/{id}/enrolment",
            new { planId = Clinic.PremiumPlanId, agreement = new { signedName = "Sig Drawn", accepted = true, signatureImage = OnePixelPng } });

        var agreement = await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/members/{id}/agreement");
        Assert.Equal(OnePixelPng, agreement.GetProperty("signatureImage").GetString());
        Assert.Single(await PdfImagesAsync(id));
    }

    [Fact]
    public async Task An_agreement_signed_without_a_drawing_renders_as_before()
    {
        var id = await Clinic.RegisterAsync("Sig", "Typed");

        await _admin.PostOkAsync($"/api/v1/members/{id}/enrolment",
            new { planId = Clinic.PremiumPlanId, agreement = new { signedName = "Sig Typed", accepted = true } });

        var agreement = await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/members/{id}/agreement");
        Assert.True(!agreement.TryGetProperty("signatureImage", out var image) || image.ValueKind == JsonValueKind.Null);
        Assert.Empty(await PdfImagesAsync(id));
    }

    [Fact]
    public async Task A_signature_that_is_not_a_png_is_refused_and_enrols_nobody()
    {
        var id = await Clinic.RegisterAsync("Sig", "Bogus");

        var response = await _admin.PostAsJsonAsync($"/api/v1/members/{id}/enrolment",
            new { planId = Clinic.PremiumPlanId, agreement = new { signedName = "Sig Bogus", accepted = true, signatureImage = Convert.ToBase64String("<svg>not a png</svg>"u8.ToArray()) } });

        await ProblemAssert.IsProblem(response, HttpStatusCode.BadRequest, "invalid_signature_image");
        Assert.Equal("none", (await _admin.MembershipAsync(id)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_agreement_can_be_read_before_signing_and_is_the_text_then_signed()
    {
        var id = await Clinic.RegisterAsync("Sig", "Reader");

        var draft = await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/members/{id}/agreement-preview?planId={Clinic.PremiumPlanId}");
        Assert.Equal("none", (await _admin.MembershipAsync(id)).GetProperty("status").GetString());
        await _admin.PostOkAsync($"/api/v1/members/{id}/enrolment",
            new { planId = Clinic.PremiumPlanId, agreement = new { signedName = "Sig Reader", accepted = true } });

        var signed = await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/members/{id}/agreement");
        Assert.Equal(draft.GetProperty("text").GetString(), signed.GetProperty("text").GetString());
        Assert.Equal(draft.GetProperty("sha256").GetString(), signed.GetProperty("sha256").GetString());
        Assert.True((await _admin.MembershipAsync(id)).GetProperty("hasSignedAgreement").GetBoolean());
    }

    private async Task<List<UglyToad.PdfPig.Content.IPdfImage>> PdfImagesAsync(string id)
    {
        using var pdf = PdfDocument.Open(await _admin.GetByteArrayAsync($"/api/v1/members/{id}/agreement.pdf"));
        return pdf.GetPages().SelectMany(p => p.GetImages()).ToList();
    }
}
