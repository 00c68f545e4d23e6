using MedSpa.Members;

namespace MedSpa.Web.Members;

/// <summary>Placeholder until the PDF rendering lands from its branch.</summary>
public static class AgreementPdf
{
    public static byte[] Render(SignedAgreement agreement, MemberProfile member) => throw new NotImplementedException();
}
