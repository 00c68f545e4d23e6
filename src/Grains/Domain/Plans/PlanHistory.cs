using System.Collections.Immutable;
using MedSpa.Plans;
using MedSpa.Practice;

namespace MedSpa.Domain.Plans;

/// <summary>
/// A tier's versions. Terms are never edited in place: members signed up to a version and keep it, so a change is a
/// new version and every earlier one stays as it was.
/// </summary>
public static class PlanHistory
{
    /// <summary>The plan <paramref name="planId"/> with its first version; 409 <c>plan_exists</c> when there is one already.</summary>
    public static Plan Create(Plan? existing, string planId, PlanTerms terms, PracticeCatalogue catalogue, DateTimeOffset now)
    {
        if (existing is not null)
        {
            throw Reject.Conflict("plan_exists", $"There is already a plan {planId}; change it with PUT /api/v1/plans/{planId}.");
        }

        var first = new PlanVersion(planId, 1, now, PlanRules.Normalise(terms, catalogue));
        return new Plan(planId, now, ImmutableList.Create(first));
    }

    /// <summary>
    /// The plan with a new current version, or <paramref name="existing"/> itself when the terms are the current ones
    /// already, so repeating an edit adds nothing.
    /// </summary>
    public static Plan Revise(Plan? existing, string planId, PlanTerms terms, PracticeCatalogue catalogue, DateTimeOffset now)
    {
        var plan = Require(existing, planId);
        var next = PlanRules.Normalise(terms, catalogue);
        if (PlanRules.Same(next, plan.Current.Terms))
        {
            return plan;
        }

        // An immutable list, not a collection expression: the compiler's own read-only list type has no Orleans codec.
        var versions = ImmutableList.CreateRange(plan.Versions).Add(new PlanVersion(plan.Id, plan.Current.Version + 1, now, next));
        return plan with { Versions = versions };
    }

    /// <summary>404 <c>plan_not_found</c> when the plan was never created.</summary>
    public static Plan Require(Plan? existing, string planId) =>
        existing ?? throw Reject.NotFound("plan_not_found", $"There is no plan {planId}.");
}
