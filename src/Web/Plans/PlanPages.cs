using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace MedSpa.Web.Plans;

/// <summary>What the administrator's plan pages share.</summary>
internal static class PlanPages
{
    /// <summary>
    /// A number field that did not bind (letters in "Units") is refused like any bad input, rather than silently read
    /// as blank, which the rules could take for "not set".
    /// </summary>
    public static void RequireBound(ModelStateDictionary state)
    {
        if (state.FirstOrDefault(e => e.Value?.Errors.Count > 0) is { Key: { } field, Value: { } entry })
        {
            throw new CommandRejectedException(RejectionKind.Invalid, "malformed_request",
                $"{field.Replace("Form.", "", StringComparison.Ordinal)}: {entry.Errors[0].ErrorMessage}");
        }
    }
}
