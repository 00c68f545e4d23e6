using System.Globalization;
using MedSpa.Members;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ApplicationModels;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace MedSpa.Web.Portal;

/// <summary>What holds for every page under <c>/Portal</c>, set once here rather than remembered by each page.</summary>
public static class PortalPages
{
    public static PageConventionCollection AddPortalConventions(this PageConventionCollection conventions)
    {
        conventions.AddFolderApplicationModelConvention("/Portal", model =>
        {
            // Not AuthorizeFolder: its policy would still authenticate the member scheme on [AllowAnonymous] pages, and
            // the sign-in form's antiforgery token (issued to nobody) would then fail for a member already signed in,
            // where a used link must be told it is used (410), not a bad request.
            if (!model.HandlerTypeAttributes.OfType<IAllowAnonymous>().Any())
            {
                model.EndpointMetadata.Add(new AuthorizeAttribute(PortalAccess.Member));
            }

            model.Filters.Add(new OwnMembershipOnly());
        });
        return conventions;
    }
}

/// <summary>
/// A command the rules refused, shown on the page that asked (<c>_Refusal.cshtml</c>) with the problem's status, so
/// the member reads why and nothing changed.
/// </summary>
public static class PortalRefusal
{
    public const string Key = "PortalRefusal";

    public static PageResult Refused(this PageModel page, CommandRejectedException refusal) => page.Refused(refusal.Message, Problems.Problems.StatusFor(refusal.Kind));

    public static PageResult Refused(this PageModel page, string message, int status)
    {
        page.ViewData[Key] = message;
        var result = page.Page();
        result.StatusCode = status;
        return result;
    }
}

/// <summary>
/// A portal page addressed to a member (a route with <c>{id}</c>, as in the links notices send) opens only for the
/// member signed in: any other id is 404, exactly as for an id nobody has, so a member can neither change nor learn of
/// anyone else's membership. The check runs before any handler, so a refused POST changes nothing. Portal pages hold
/// a member's details and sometimes a token: never cached, never sent on as a referrer.
/// </summary>
internal sealed class OwnMembershipOnly : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var http = context.HttpContext;
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers["Referrer-Policy"] = "no-referrer";
        if (context.RouteData.Values.TryGetValue("id", out var id)
            && !string.Equals(Convert.ToString(id, CultureInfo.InvariantCulture), http.User.MemberId(), StringComparison.Ordinal))
        {
            context.Result = new NotFoundResult();
            return;
        }

        await next();
    }
}

/// <summary>How the portal words amounts, dates and states for a member (not the API's codes).</summary>
public static class PortalText
{
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-US");

    public static string Amount(Money money) => Amount(money.Amount, money.Currency);

    public static string Amount(long minorUnits, string? currency) => currency?.ToUpperInvariant() switch
    {
        "USD" => (minorUnits / 100m).ToString("$#,##0.00", English),
        null => minorUnits.ToString(English),
        var code => $"{(minorUnits / 100m).ToString("#,##0.00", English)} {code}",
    };

    public static string Date(DateOnly date) => date.ToString("MMM d, yyyy", English);

    public static string Date(DateTimeOffset instant) => instant.ToString("MMM d, yyyy", English);

    public static string Status(MembershipStatus status) => status switch
    {
        MembershipStatus.None => "Not a member",
        MembershipStatus.PendingPayment => "Waiting for the first payment",
        MembershipStatus.Active => "Active",
        MembershipStatus.PastDue => "Payment overdue",
        MembershipStatus.Suspended => "Suspended",
        MembershipStatus.Paused => "Paused",
        MembershipStatus.Cancelled => "Cancelled",
        _ => status.ToString(),
    };

    /// <summary>The stylesheet's status classes are the API's snake_case names.</summary>
    public static string StatusClass(MembershipStatus status) => status switch
    {
        MembershipStatus.PendingPayment => "pending_payment",
        MembershipStatus.PastDue => "past_due",
        _ => status.ToString().ToLowerInvariant(),
    };

    public static string Category(BillingCategory category, DateOnly? periodStart) => category switch
    {
        BillingCategory.Subscription => periodStart is { } start ? $"Membership from {Date(start)}" : "Membership",
        BillingCategory.Treatment => "Treatment",
        BillingCategory.Package => "Package",
        BillingCategory.AddOn => "Add-on",
        _ => category.ToString(),
    };

    public static string Method(PaymentMethodKind? method) => method switch
    {
        PaymentMethodKind.CardOnFile => "card on file",
        PaymentMethodKind.CardTerminal => "card at the desk",
        PaymentMethodKind.Cash => "cash",
        _ => "",
    };

    public static string Card(CardOnFile card) =>
        $"{(card.Brand is { Length: > 0 } brand ? char.ToUpperInvariant(brand[0]) + brand[1..] : "Card")} ending {card.Last4 ?? "····"}"
        + (card.ExpMonth is { } month && card.ExpYear is { } year ? $", expires {month:00}/{year % 100:00}" : "");
}
