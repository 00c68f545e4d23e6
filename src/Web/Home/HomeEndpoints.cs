using MedSpa.Clock;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace MedSpa.Web.Home;

public static class HomeEndpoints
{
    public static IEndpointRouteBuilder MapHome(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", (IOptions<ClockOptions> clock) => Results.Content(Page.Render("Home", $"""
            <h1>MedSpa</h1>
            <p>The membership engine of the practice: plans, enrolment, billing, credits and reports.</p>
            <ul>
              <li><a href="/login">Staff sign-in</a> (with an API key)</li>
              <li><a href="/mailbox">Mailbox</a>: mail sent while no SMTP server is configured</li>
              <li><a href="/dashboard">Orleans dashboard</a> (administrators)</li>
              <li><a href="/openapi/v1.json">HTTP API (OpenAPI)</a></li>
              <li><a href="/health/ready">Readiness</a></li>
            </ul>
            <p>Clock: {(clock.Value.Mode == ClockMode.Simulated ? "simulated (<code>POST /api/v1/admin/clock/advance</code>)" : "real")}.</p>
            """), "text/html")).AllowAnonymous().ExcludeFromDescription();
        return app;
    }
}
