using System.Data.Common;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace MedSpa.Web.Problems;

/// <summary>
/// Every error the API returns is RFC 9457 problem details carrying a stable <c>code</c>: refusals from the rules,
/// malformed requests, and the bare statuses of authentication and routing alike.
/// </summary>
public static class Problems
{
    public const string MalformedRequest = "malformed_request";

    public const string RateLimited = "rate_limited";

    /// <summary>503 for a failure that passes by itself (a silo lost, the database restarting): repeat the request.</summary>
    public const string TemporarilyUnavailable = "temporarily_unavailable";

    public static IServiceCollection AddMedSpaProblems(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            problem.Extensions.TryAdd("code", CodeForStatus(problem.Status ?? context.HttpContext.Response.StatusCode));
            problem.Extensions.TryAdd("traceId", context.HttpContext.TraceIdentifier);
        });
        services.AddExceptionHandler<RefusalHandler>();
        // Since .NET 10 an exception a handler answered is not logged by default; only a refusal or a malformed
        // request is an expected answer. A 500 (or a 503) with nothing in the log could not be looked into.
        services.Configure<ExceptionHandlerOptions>(options => options.SuppressDiagnosticsCallback = context =>
            context.Exception is CommandRejectedException or BadHttpRequestException);
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        return services;
    }

    /// <summary>The codes of responses that carry no more specific one.</summary>
    private static string CodeForStatus(int status) => status switch
    {
        StatusCodes.Status400BadRequest => MalformedRequest,
        StatusCodes.Status401Unauthorized => "unauthenticated",
        StatusCodes.Status403Forbidden => "forbidden",
        StatusCodes.Status404NotFound => "not_found",
        StatusCodes.Status405MethodNotAllowed => "method_not_allowed",
        StatusCodes.Status409Conflict => "conflict",
        StatusCodes.Status413PayloadTooLarge => "payload_too_large",
        StatusCodes.Status415UnsupportedMediaType => "unsupported_media_type",
        StatusCodes.Status429TooManyRequests => RateLimited,
        _ when status >= 500 => "internal_error",
        _ => "error",
    };

    public static int StatusFor(RejectionKind kind) => kind switch
    {
        RejectionKind.NotFound => StatusCodes.Status404NotFound,
        RejectionKind.Conflict => StatusCodes.Status409Conflict,
        RejectionKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status400BadRequest,
    };

    private sealed class RefusalHandler(IProblemDetailsService problems) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
        {
            var (status, code, detail) = exception switch
            {
                CommandRejectedException refusal => (StatusFor(refusal.Kind), refusal.Code, refusal.Message),
                BadHttpRequestException bad => (bad.StatusCode, CodeForBadRequest(bad), bad.Message),
                _ when IsPassing(exception) => (StatusCodes.Status503ServiceUnavailable, TemporarilyUnavailable,
                    "Part of the cluster or its database is briefly out of reach; the request can be repeated."),
                _ => (StatusCodes.Status500InternalServerError, "internal_error", "An unexpected error occurred."),
            };

            context.Response.StatusCode = status;
            if (status == StatusCodes.Status503ServiceUnavailable)
            {
                context.Response.Headers.RetryAfter = "1";
            }

            var problem = new ProblemDetails { Status = status, Detail = detail, Extensions = { ["code"] = code } };
            return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
        }

        /// <summary>
        /// A silo that died or left while serving the call, a call that timed out while the cluster re-homed its grains,
        /// or PostgreSQL restarting: the failures a client's retry outlives (README, "Several silos, one cluster").
        /// </summary>
        private static bool IsPassing(Exception exception) => exception switch
        {
            SiloUnavailableException or OrleansMessageRejectionException or TimeoutException => true,
            DbException database => database.IsTransient,
            _ => exception.InnerException is { } inner && IsPassing(inner),
        };

        private static string CodeForBadRequest(BadHttpRequestException bad) => bad.StatusCode switch
        {
            StatusCodes.Status413PayloadTooLarge => "payload_too_large",
            StatusCodes.Status415UnsupportedMediaType => "unsupported_media_type",
            _ => MalformedRequest,
        };
    }
}
