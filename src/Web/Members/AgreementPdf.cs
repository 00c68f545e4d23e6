using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MedSpa.Members;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace MedSpa.Web.Members;

/// <summary>
/// The signed membership agreement as a PDF the member and the practice can keep: the agreement text exactly as
/// signed, wrapped to US Letter pages, then the signature evidence (who, when, how, from where, and the SHA-256 that
/// ties the printed text to the stored one).
/// </summary>
public static class AgreementPdf
{
    private const double PageWidth = 612;
    private const double PageHeight = 792;
    private const double Margin = 54;
    private const double FooterGap = 18;
    private const double LabelWidth = 118;
    private const double BodySize = 10;
    private const double SignatureWidth = 240;
    private const double SignatureHeight = 90;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static byte[] Render(SignedAgreement agreement, MemberProfile member)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        ArgumentNullException.ThrowIfNull(member);

        // The PDF vouches for the hash it prints; printing one the text does not have would be a false attestation.
        var actual = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(agreement.Text)));
        if (!string.Equals(actual, agreement.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException("The agreement's text does not match its SHA-256.", nameof(agreement));
        }

        EmbeddedFonts.EnsureInstalled();
        var body = new XFont(EmbeddedFonts.Family, BodySize, XFontStyleEx.Regular);
        var bold = new XFont(EmbeddedFonts.Family, BodySize, XFontStyleEx.Bold);
        var heading = new XFont(EmbeddedFonts.Family, 12, XFontStyleEx.Bold);
        var small = new XFont(EmbeddedFonts.Family, 8, XFontStyleEx.Regular);

        using var document = new PdfDocument();
        document.Info.Title = "Membership agreement";
        document.Info.Subject = $"{agreement.PlanId} version {agreement.PlanVersion.ToString(Invariant)}, signed by {Printable(agreement.SignedName)}";
        document.Info.Author = "MedSpa";
        // The document is dated by its signature, not by when someone happened to download it.
        document.Info.CreationDate = agreement.SignedAt.UtcDateTime;
        document.Info.ModificationDate = agreement.SignedAt.UtcDateTime;

        var pages = new PageWriter(document);
        try
        {
            var text = agreement.Text.EndsWith('\n') ? agreement.Text[..^1] : agreement.Text;
            foreach (var paragraph in text.Split('\n'))
            {
                pages.Paragraph(paragraph, body);
            }

            var evidence = new (string Label, string Value)[]
            {
                ("Signed name", agreement.SignedName),
                ("Signed at (UTC)", agreement.SignedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", Invariant)),
                ("Signed via", agreement.SignedVia),
                ("IP address", agreement.IpAddress ?? "not recorded"),
                ("User agent", agreement.UserAgent ?? "not recorded"),
                ("Member", $"{member.FullName} ({member.Id}), {member.Email}"),
                ("Plan", $"{agreement.PlanId}, version {agreement.PlanVersion.ToString(Invariant)}"),
            };
            pages.SignatureBlock("Signature", evidence, ("SHA-256 of the agreement text (UTF-8):", agreement.Sha256), heading, bold, body);
            if (agreement.SignatureImage is { Length: > 0 } drawn)
            {
                pages.Image("Drawn signature", drawn, bold);
            }
        }
        finally
        {
            pages.Finish();
        }

        var footerName = Printable(member.FullName);
        for (var i = 0; i < document.PageCount; i++)
        {
            using var graphics = XGraphics.FromPdfPage(document.Pages[i], XGraphicsPdfPageOptions.Append);
            var footer = $"Membership agreement of {footerName} · SHA-256 {agreement.Sha256[..Math.Min(16, agreement.Sha256.Length)]}… · page {(i + 1).ToString(Invariant)} of {document.PageCount.ToString(Invariant)}";
            graphics.DrawString(footer, small, XBrushes.Gray, new XPoint(Margin, PageHeight - Margin + FooterGap), XStringFormats.BaseLineLeft);
        }

        using var output = new MemoryStream();
        document.Save(output, closeStream: false);
        return output.ToArray();
    }

    /// <summary>Control characters (a typed name, a user agent) would draw as nothing or as boxes; show them as spaces.</summary>
    private static string Printable(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            builder.Append(char.IsControl(c) ? ' ' : c);
        }

        return builder.ToString();
    }

    /// <summary>Lays lines top to bottom, starting a new page when the next line would run into the bottom margin.</summary>
    private sealed class PageWriter(PdfDocument document)
    {
        private const double Bottom = PageHeight - Margin;
        private const double Width = PageWidth - (2 * Margin);

        private XGraphics? _graphics;
        private double _y;

        public void Paragraph(string paragraph, XFont font)
        {
            var graphics = Graphics();
            // A bullet's continuation lines hang under its text, so the list still reads as a list once wrapped.
            var hanging = paragraph.StartsWith("- ", StringComparison.Ordinal) ? graphics.MeasureString("- ", font).Width : 0;
            foreach (var (line, first) in Wrap(graphics, Printable(paragraph), font, Width, hanging))
            {
                Draw(line, font, Margin + (first ? 0 : hanging));
            }
        }

        /// <summary>
        /// The evidence as label/value rows, then the fingerprint on a full-width line of its own so the 64 hex digits
        /// are never split and can be copied back out whole.
        /// </summary>
        public void SignatureBlock(
            string title,
            IReadOnlyList<(string Label, string Value)> rows,
            (string Label, string Value) fingerprint,
            XFont heading,
            XFont label,
            XFont value)
        {
            var graphics = Graphics();
            var wrapped = rows
                .Select(r => (r.Label, Lines: Wrap(graphics, Printable(r.Value), value, Width - LabelWidth, 0).Select(l => l.Line).ToList()))
                .ToList();
            var fingerprintLines = Wrap(graphics, Printable(fingerprint.Value), value, Width, 0).Select(l => l.Line).ToList();
            var height = heading.GetHeight()
                + ((3 + wrapped.Sum(r => r.Lines.Count) + 1 + fingerprintLines.Count) * value.GetHeight());

            // The evidence stays on one page with its heading when it fits on one at all.
            if (_y + height > Bottom && height <= Bottom - Margin)
            {
                NewPage();
            }
            else
            {
                Skip(value);
            }

            Draw(title, heading, Margin);
            Skip(value);
            foreach (var (name, lines) in wrapped)
            {
                for (var i = 0; i < lines.Count; i++)
                {
                    var top = Room(value);
                    if (i == 0)
                    {
                        _graphics!.DrawString(name, label, XBrushes.Black, new XPoint(Margin, top), XStringFormats.TopLeft);
                    }

                    _graphics!.DrawString(lines[i], value, XBrushes.Black, new XPoint(Margin + LabelWidth, top), XStringFormats.TopLeft);
                    _y = top + value.GetHeight();
                }
            }

            Skip(value);
            Draw(fingerprint.Label, label, Margin);
            foreach (var line in fingerprintLines)
            {
                Draw(line, value, Margin);
            }
        }

        /// <summary>The drawn signature under its label, scaled down (never up) to fit a signature line, kept together on one page.</summary>
        public void Image(string label, byte[] png, XFont font)
        {
            using var stream = new MemoryStream(png, writable: false);
            using var image = XImage.FromStream(stream);
            var scale = Math.Min(1, Math.Min(SignatureWidth / image.PointWidth, SignatureHeight / image.PointHeight));
            var (width, height) = (image.PointWidth * scale, image.PointHeight * scale);
            Skip(font);
            if (_y + font.GetHeight() + height > Bottom)
            {
                NewPage();
            }

            Draw(label, font, Margin);
            _graphics!.DrawImage(image, Margin, _y, width, height);
            _y += height;
        }

        public void Finish() => _graphics?.Dispose();

        private void Draw(string line, XFont font, double x)
        {
            var top = Room(font);
            if (line.Length > 0)
            {
                _graphics!.DrawString(line, font, XBrushes.Black, new XPoint(x, top), XStringFormats.TopLeft);
            }

            _y = top + font.GetHeight();
        }

        private void Skip(XFont font) => _y += font.GetHeight();

        /// <summary>Where the next line of this font goes: here, or at the top of a new page.</summary>
        private double Room(XFont font)
        {
            Graphics();
            if (_y + font.GetHeight() > Bottom)
            {
                NewPage();
            }

            return _y;
        }

        private XGraphics Graphics()
        {
            if (_graphics is null)
            {
                NewPage();
            }

            return _graphics!;
        }

        private void NewPage()
        {
            _graphics?.Dispose();
            var page = document.AddPage();
            page.Width = XUnit.FromPoint(PageWidth);
            page.Height = XUnit.FromPoint(PageHeight);
            _graphics = XGraphics.FromPdfPage(page);
            _y = Margin;
        }

        /// <summary>
        /// Greedy word wrap. A word wider than the line (a hash, a long user agent token) is cut where it stops
        /// fitting, so nothing is ever drawn past the margin.
        /// </summary>
        private static IEnumerable<(string Line, bool First)> Wrap(XGraphics graphics, string paragraph, XFont font, double width, double hanging)
        {
            var lines = new List<string>();
            var current = new StringBuilder();
            var available = width;
            foreach (var word in paragraph.Split(' '))
            {
                var candidate = current.Length == 0 ? word : $"{current} {word}";
                if (graphics.MeasureString(candidate, font).Width <= available)
                {
                    current.Clear().Append(candidate);
                    continue;
                }

                if (current.Length > 0)
                {
                    lines.Add(current.ToString());
                    current.Clear();
                    available = width - hanging;
                }

                var rest = word;
                while (rest.Length > 0 && graphics.MeasureString(rest, font).Width > available)
                {
                    var fits = 1;
                    while (fits < rest.Length && graphics.MeasureString(rest[..(fits + 1)], font).Width <= available)
                    {
                        fits++;
                    }

                    lines.Add(rest[..fits]);
                    rest = rest[fits..];
                    available = width - hanging;
                }

                current.Append(rest);
            }

            lines.Add(current.ToString());
            return lines.Select((line, i) => (line, i == 0));
        }
    }
}
