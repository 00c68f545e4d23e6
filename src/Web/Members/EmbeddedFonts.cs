using PdfSharp.Fonts;

namespace MedSpa.Web.Members;

/// <summary>
/// PDFsharp's Linux build finds no fonts by itself, and a fresh host or container may have none installed, so the PDFs
/// use DejaVu Sans shipped inside this assembly (Bitstream Vera licence, see Fonts/DejaVuSans-LICENSE.txt).
/// Bold and italic are simulated from the one regular face, which keeps the assembly to a single font file.
/// </summary>
internal sealed class EmbeddedFonts : IFontResolver
{
    public const string Family = "DejaVu Sans";

    private const string Face = "MedSpa.Web.DejaVuSans";
    private const string ResourceName = "MedSpa.Web.Members.Fonts.DejaVuSans.ttf";

    private static readonly Lock Gate = new();

    private readonly byte[] _regular;

    // PDFsharp has one resolver per process; keeping the one found at start-up lets other families still resolve.
    private readonly IFontResolver? _next;

    private EmbeddedFonts(byte[] regular, IFontResolver? next)
    {
        _regular = regular;
        _next = next;
    }

    /// <summary>
    /// Installs the resolver once per process, before any PDF is drawn. PDFsharp refuses a resolver change after fonts
    /// were used, so anything else in the process that needs its own resolver must chain to this one, not replace it.
    /// </summary>
    public static void EnsureInstalled()
    {
        lock (Gate)
        {
            if (GlobalFontSettings.FontResolver is EmbeddedFonts)
            {
                return;
            }

            GlobalFontSettings.FontResolver = new EmbeddedFonts(ReadRegularFace(), GlobalFontSettings.FontResolver);
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        string.Equals(familyName, Family, StringComparison.OrdinalIgnoreCase)
            ? new FontResolverInfo(Face, mustSimulateBold: bold, mustSimulateItalic: italic)
            : _next?.ResolveTypeface(familyName, bold, italic);

    public byte[]? GetFont(string faceName) =>
        string.Equals(faceName, Face, StringComparison.Ordinal) ? _regular : _next?.GetFont(faceName);

    private static byte[] ReadRegularFace()
    {
        using var stream = typeof(EmbeddedFonts).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The font resource {ResourceName} is missing from {typeof(EmbeddedFonts).Assembly.GetName().Name}.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
