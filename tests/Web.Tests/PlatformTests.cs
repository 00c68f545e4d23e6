using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MedSpa.Tests;

namespace MedSpa.Web.Tests;

public sealed class PlatformTests(SiloFixture fixture) : IClassFixture<SiloFixture>
{
    [Fact]
    public async Task Ready_when_the_silo_and_the_database_answer()
    {
        var response = await fixture.Silo.AnonymousClient().GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Healthy", report.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        Assert.Equal("Healthy", report.GetProperty("checks").GetProperty("silo").GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_the_API()
    {
        var document = await fixture.Silo.AnonymousClient().GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        Assert.True(document.GetProperty("paths").TryGetProperty("/api/v1/admin/clock/advance", out _));
    }

    [Fact]
    public async Task An_unknown_API_path_is_a_problem_404()
    {
        var response = await fixture.Silo.AdminClient().GetAsync("/api/v1/no-such-thing");

        await ProblemAssert.IsProblem(response, HttpStatusCode.NotFound, "not_found");
    }
}

public sealed class MemoryModeTests
{
    [Fact]
    public async Task A_memory_silo_needs_no_database_and_serves_the_API()
    {
        await using var silo = await TestSilo.StartAsync(database: null);

        var health = await silo.AnonymousClient().GetFromJsonAsync<JsonElement>("/health/ready");
        Assert.Equal("Healthy", health.GetProperty("status").GetString());
        Assert.False(health.GetProperty("checks").TryGetProperty("database", out _));
        var advanced = await silo.AdminClient().PostAsJsonAsync("/api/v1/admin/clock/advance", new { by = "P1D" });
        Assert.Equal(HttpStatusCode.OK, advanced.StatusCode);
    }
}
