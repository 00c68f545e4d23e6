using System.Net;

namespace MedSpa.Web;

/// <summary>The plain shell around the few server-rendered pages.</summary>
internal static class Page
{
    public static string Render(string title, string body) => $$"""
        <!doctype html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <meta name="viewport" content="width=device-width, initial-scale=1">
          <title>{{WebUtility.HtmlEncode(title)}} · MedSpa</title>
          <style>
            body { font-family: system-ui, sans-serif; max-width: 42rem; margin: 3rem auto; padding: 0 1rem; color: #222; }
            a { color: #6b3fa0; } .error { color: #b00020; }
            label, button { display: block; margin: .75rem 0; } input { font: inherit; padding: .4rem; width: 100%; }
          </style>
        </head>
        <body>
        {{body}}
        </body>
        </html>
        """;
}
