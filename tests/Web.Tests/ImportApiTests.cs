using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using MedSpa.Access;
using MedSpa.Silo.Import;
using MedSpa.Tests;
using MedSpa.Web.Import;

namespace MedSpa.Web.Tests;

/// <summary>
/// Moving in, the smaller ways in: the template (which imports as it is), files that are not a member sheet, the
/// dashboard page from upload to confirmation, and the <c>import</c> command against the running product.
/// </summary>
public sealed partial class ImportApiTests(ClinicFixture fixture) : IClassFixture<ClinicFixture>
{
    private readonly HttpClient _admin = fixture.Silo.AdminClient();

    [Fact]
    public async Task The_template_names_every_column_and_each_balance_of_the_plans_and_its_example_row_checks_clean()
    {
        var response = await _admin.GetAsync("/api/v1/import/template");
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var template = await response.Content.ReadAsStringAsync();
        var header = template.Split("\r\n")[0];
        Assert.StartsWith("first name,last name,email,phone,home location,plan,monthly price,membership start date,billing day,minimum term end,status,", header, StringComparison.Ordinal);
        Assert.EndsWith("dollars:facial,dollars:facial expires,units:neurotoxin,units:neurotoxin expires", header, StringComparison.Ordinal);

        var report = await DryRunAsync(template);
        var row = Assert.Single(report.GetProperty("rows").EnumerateArray());
        Assert.Equal(("create", "jane@example.com", "Premium"), (row.GetProperty("outcome").GetString(), row.GetProperty("email").GetString(), row.GetProperty("planName").GetString()));
        Assert.Equal("needs_card", Assert.Single(row.GetProperty("warnings").EnumerateArray()).GetProperty("code").GetString());
        Assert.Empty(await _admin.GetFromJsonAsync<JsonElement[]>("/api/v1/members?q=jane@example.com") ?? []);
    }

    [Theory]
    [InlineData("{\"members\": []}", "application/json", "invalid_csv")]
    [InlineData("name;email;plan\nAva;ava@example.com;Premium\n", "text/csv", "missing_columns")]
    [InlineData("name,email,plan,start date\n\"Ava,ava@example.com,Premium,2025-01-01\n", "text/csv", "invalid_csv")]
    public async Task A_file_that_is_not_a_member_sheet_is_a_problem_with_a_code_and_nothing_is_kept(string body, string type, string code)
    {
        var response = await _admin.PostAsync("/api/v1/import/dry-run", new StringContent(body, Encoding.UTF8, type));
        await ProblemAssert.IsProblem(response, HttpStatusCode.BadRequest, code);

        var binary = new ByteArrayContent([0x50, 0x4b, 0x03, 0x04, 0xff, 0xfe, 0x00]);
        binary.Headers.ContentType = new("text/csv");
        await ProblemAssert.IsProblem(await _admin.PostAsync("/api/v1/import/dry-run", binary), HttpStatusCode.BadRequest, "invalid_csv");
        await ProblemAssert.IsProblem(await _admin.PostAsync("/api/v1/import/imp_0123456789abcdef0123456789abcdef/confirm", null), HttpStatusCode.NotFound, "import_not_found");
        await ProblemAssert.IsProblem(await _admin.GetAsync("/api/v1/import/mem_1"), HttpStatusCode.NotFound, "import_not_found");
    }

    [Fact]
    public async Task The_page_checks_an_upload_shows_each_row_and_imports_on_confirmation()
    {
        var owner = await fixture.Silo.SignedInClientAsync(await fixture.Silo.StaffAccountAsync(StaffRole.Admin));
        var page = await owner.GetStringAsync("/import");
        Assert.Contains("href=\"/api/v1/import/template\"", page, StringComparison.Ordinal);
        const string csv = "Full Name,E-mail,Tier,Start Date,Billing Day\nPia Page,pia.page@example.com,Premium,1/15/2025,15\nBad Row,bad.row@example.com,Gold,2025-01-15,15\n";

        using var upload = new MultipartFormDataContent
        {
            { new StringContent(Token(page)), "__RequestVerificationToken" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes(csv)) { Headers = { ContentType = new("text/csv") } }, "Upload", "members.csv" },
        };
        var checkedPage = await (await owner.PostAsync("/import?handler=Check", upload)).Content.ReadAsStringAsync();
        Assert.Contains("<strong>1</strong> to create", checkedPage, StringComparison.Ordinal);
        Assert.Matches("<code>unknown_plan</code>", checkedPage);
        Assert.Empty(await _admin.GetFromJsonAsync<JsonElement[]>("/api/v1/members?q=pia.page") ?? []);

        var importId = ImportIdField().Match(checkedPage).Groups["id"].Value;
        var confirm = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = Token(checkedPage), ["ImportId"] = importId });
        var done = await (await owner.PostAsync("/import?handler=Confirm", confirm)).Content.ReadAsStringAsync();
        Assert.Contains("<strong>1</strong> members created", done, StringComparison.Ordinal);
        Assert.Contains("Pia Page", done, StringComparison.Ordinal);
        var member = Assert.Single(await _admin.GetFromJsonAsync<JsonElement[]>("/api/v1/members?q=pia.page") ?? []);
        var membership = await _admin.MembershipAsync(member.GetProperty("id").GetString()!);
        Assert.Equal(("active", 15), (membership.GetProperty("status").GetString(), membership.GetProperty("anchorDay").GetInt32()));
        // They signed nothing here, so neither the desk nor the member is offered an agreement to download.
        Assert.False(membership.GetProperty("hasSignedAgreement").GetBoolean());
        Assert.DoesNotContain("data-agreement", await owner.GetStringAsync($"/members/{member.GetProperty("id").GetString()}"), StringComparison.Ordinal);

        // Without antiforgery the confirmation is refused.
        var forged = await owner.PostAsync("/import?handler=Confirm", new FormUrlEncodedContent(new Dictionary<string, string> { ["ImportId"] = importId }));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        var desk = await fixture.Silo.SignedInClientAsync(await fixture.Silo.StaffAccountAsync(StaffRole.FrontDesk));
        Assert.NotEqual(HttpStatusCode.OK, (await desk.GetAsync("/import")).StatusCode);
    }

    [Fact]
    public async Task A_sheet_larger_than_other_requests_may_be_is_still_read_and_a_larger_one_than_any_practice_is_refused()
    {
        // Past the API's 1 MB for every other request: a large practice's sheet, here one row with a long note.
        var notes = new string('n', 1536 * 1024);
        var report = await DryRunAsync($"name,email,plan,start date,billing day,notes\nLarge Lena,large.lena@example.com,Premium,2025-01-15,15,{notes}\n");
        Assert.Equal("create", Assert.Single(report.GetProperty("rows").EnumerateArray()).GetProperty("outcome").GetString());

        // Asking first (100-continue) lets the server refuse on the length alone, before the client sends 16 MB it would cut off.
        using var huge = new HttpRequestMessage(HttpMethod.Post, "/api/v1/import/dry-run")
        {
            Content = new ByteArrayContent(new byte[(int)ImportEndpoints.MaxFileBytes + 1]) { Headers = { ContentType = new("text/csv") } },
            Headers = { ExpectContinue = true, ConnectionClose = true },
        };
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await _admin.SendAsync(huge)).StatusCode);
    }

    [Fact]
    public async Task The_command_dry_runs_by_default_and_imports_with_confirm_through_the_api()
    {
        var file = Path.Combine(Path.GetTempPath(), $"medspa-import-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(file, "name,email,plan,start date,next bill day\nCora Command,cora.command@example.com,Premium,14 Feb 2025,14th\nNo Email,,Premium,2025-02-14,14\n");
        try
        {
            var args = new[] { file, "--url", fixture.Silo.BaseAddress.ToString(), "--api-key", TestSilo.AdminKey };
            using var output = new StringWriter();
            using var errors = new StringWriter();
            Assert.Equal(0, await ImportCommand.RunAsync(args, output, errors));
            Assert.Contains("1 to create, 0 created, 0 already imported, 1 with errors", output.ToString(), StringComparison.Ordinal);
            Assert.Contains("line 3", output.ToString(), StringComparison.Ordinal);
            Assert.Contains("invalid_email", output.ToString(), StringComparison.Ordinal);
            Assert.Empty(await _admin.GetFromJsonAsync<JsonElement[]>("/api/v1/members?q=cora.command") ?? []);

            using var confirmed = new StringWriter();
            Assert.Equal(0, await ImportCommand.RunAsync([.. args, "--confirm"], confirmed, errors));
            Assert.Contains("0 to create, 1 created, 0 already imported, 1 with errors", confirmed.ToString(), StringComparison.Ordinal);
            Assert.Single(await _admin.GetFromJsonAsync<JsonElement[]>("/api/v1/members?q=cora.command") ?? []);

            using var refused = new StringWriter();
            Assert.Equal(2, await ImportCommand.RunAsync([file, "--url", fixture.Silo.BaseAddress.ToString(), "--api-key", "wrong-key"], new StringWriter(), refused));
            Assert.Contains("401", refused.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private async Task<JsonElement> DryRunAsync(string csv)
    {
        var response = await _admin.PostAsync("/api/v1/import/dry-run", new StringContent(csv, Encoding.UTF8, "text/csv"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static string Token(string html)
    {
        var token = AntiforgeryField().Match(html);
        Assert.True(token.Success, html);
        return WebUtility.HtmlDecode(token.Groups["value"].Value);
    }

    [GeneratedRegex(@"name=""__RequestVerificationToken""[^>]*value=""(?<value>[^""]+)""")]
    private static partial Regex AntiforgeryField();

    [GeneratedRegex(@"name=""ImportId"" value=""(?<id>imp_[0-9a-f]+)""")]
    private static partial Regex ImportIdField();
}
