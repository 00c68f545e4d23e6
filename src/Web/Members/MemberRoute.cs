using System.Security.Claims;
using MedSpa.Members;
using Microsoft.AspNetCore.Http;

namespace MedSpa.Web.Members;

/// <summary>What every <c>/members/{id}</c> endpoint needs: the member's grain, and who signed at the desk.</summary>
internal static class MemberRoute
{
    /// <summary>Ids that cannot be a member's are answered without activating a grain.</summary>
    public static IMemberGrain Member(IGrainFactory grains, string id) =>
        id.StartsWith("mem_", StringComparison.Ordinal) && id.Length <= 64
            ? grains.GetGrain<IMemberGrain>(id)
            : throw new CommandRejectedException(RejectionKind.NotFound, "member_not_found", "There is no client with this id.");

    public static SignatureContext Signature(HttpContext http) => new(
        $"desk:{http.User.FindFirstValue(ClaimTypes.Name)}",
        http.Connection.RemoteIpAddress?.ToString(),
        http.Request.Headers.UserAgent.ToString() is { Length: > 0 } userAgent ? userAgent : null);
}
