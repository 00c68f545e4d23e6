using System.Data.Common;
using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MedSpa.Web.Problems;

/// <summary>
/// Every error the API returns is RFC 9457 problem details carrying a stable <c>code</c>: refusals from the rules,
/// malformed requests, and the bare statuses of authentication and routing alike.
/// </summary>
public static partial class Problems
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
            problem.Extensions.TryAdd("traceId", TraceId(context.HttpContext));
        });
        services.AddExceptionHandler<RefusalHandler>();
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
        RejectionKind.Damaged => StatusCodes.Status500InternalServerError,
        _ => StatusCodes.Status400BadRequest,
    };

    /// <summary>
    /// The id a problem carries and its log entry is written under: the request's W3C trace (what the telemetry has it
    /// under too) or, with no trace, the server's own request id. Staff quote it; support finds the entry by it.
    /// </summary>
    public static string TraceId(HttpContext context) => Activity.Current?.Id ?? context.TraceIdentifier;

    /// <remarks>
    /// Since .NET 10 the exception handler middleware no longer logs an exception a handler has handled, so this one
    /// logs what a client cannot fix: every 500 at Error with the exception, a passing failure (503) as a Warning.
    /// </remarks>
    private sealed partial class RefusalHandler(IProblemDetailsService problems, ILogger<RefusalHandler> logger) : IExceptionHandler
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

            var traceId = TraceId(context);
            if (status == StatusCodes.Status503ServiceUnavailable)
            {
                LogPassing(logger, exception, context.Request.Method, context.Request.Path, traceId);
            }
            else if (status >= StatusCodes.Status500InternalServerError)
            {
                LogFailed(logger, exception, context.Request.Method, context.Request.Path, status, code, traceId);
            }

            context.Response.StatusCode = status;
            if (status == StatusCodes.Status503ServiceUnavailable)
            {
                context.Response.Headers.RetryAfter = "1";
            }

            var problem = new ProblemDetails { Status = status, Detail = detail, Extensions = { ["code"] = code, ["traceId"] = traceId } };
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

        [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path} failed with {Status} {Code} (trace {TraceId})")]
        private static partial void LogFailed(ILogger logger, Exception exception, string method, PathString path, int status, string code, string traceId);

        [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Path} answered 503: part of the cluster or its database was out of reach (trace {TraceId})")]
        private static partial void LogPassing(ILogger logger, Exception exception, string method, PathString path, string traceId);

        private static string CodeForBadRequest(BadHttpRequestException bad) => bad.StatusCode switch
        {
            StatusCodes.Status413PayloadTooLarge => "payload_too_large",
            StatusCodes.Status415UnsupportedMediaType => "unsupported_media_type",
            _ => MalformedRequest,
        };
    }
}
