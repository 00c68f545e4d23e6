using System.Net.Http.Json;
using System.Text.Json;

namespace MedSpa.Web.Tests;

/// <summary>The calls tests about members make through the staff API, in one place.</summary>
internal static class AdminApi
{
    /// <summary>POSTs and returns the answer, failing the test with the problem details when it is not a success.</summary>
    public static async Task<JsonElement> PostOkAsync(this HttpClient admin, string path, object body)
    {
        var response = await admin.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Moves the simulated clock to <paramref name="to"/>; nothing when it is already there or later.</summary>
    public static async Task AdvanceClockToAsync(this HttpClient admin, DateTimeOffset to)
    {
        var now = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/admin/clock")).GetProperty("now").GetDateTimeOffset();
        if (to <= now)
        {
            return;
        }

        using var advance = new HttpRequestMessage(HttpMethod.Post, "/api/v1/admin/clock/advance") { Content = JsonContent.Create(new { to }) };
        var response = await admin.SendAsync(advance);
        Assert.True(response.IsSuccessStatusCode, $"advance to {to:O}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public static async Task<JsonElement> MembershipAsync(this HttpClient admin, string id) =>
        await admin.GetFromJsonAsync<JsonElement>($"/api/v1/members/{id}/membership");

    /// <summary>The member's log, oldest first, as (type, payload).</summary>
    public static async Task<List<(string Type, JsonElement Payload)>> EventsAsync(this HttpClient admin, string id) =>
        (await admin.GetFromJsonAsync<JsonElement[]>($"/api/v1/members/{id}/events"))!
            .Select(e => (e.GetProperty("type").GetString()!, e.GetProperty("payload").Clone()))
            .ToList();

    /// <summary>The kinds of the notices issued to the member, in order.</summary>
    public static async Task<List<string>> NoticeKindsAsync(this HttpClient admin, string id) =>
        (await admin.EventsAsync(id)).Where(e => e.Type == "notice_issued").Select(e => e.Payload.GetProperty("kind").GetString()!).ToList();
}
