using MedSpa.Practice;

namespace MedSpa.Web.Plans;

/// <summary>What the shared editor partial needs: the form as typed and the menu and locations to pick from.</summary>
public sealed record PlanEditor(PlanForm Form, PracticeCatalogue Catalogue);
