package io.bitbridge.common.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.bitbridge.common.database.DatabaseReachability;
import io.bitbridge.common.database.DatabaseUnavailableException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.time.Duration;
import java.util.stream.Collectors;

/**
 * Every error of every service leaves as {@code application/problem+json} with a stable type; nothing
 * unexpected leaks a stack trace or an exception message (which could carry a secret).
 */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    /** How soon a client may try again while the database is away: a restart or failover takes seconds. */
    static final Duration DATABASE_RETRY_AFTER = Duration.ofSeconds(5);

    @Inject
    DatabaseReachability database;

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        Response response = e.problem().toResponse();
        return e.retryAfter()
                .map(wait -> Response.fromResponse(response).header("Retry-After", (wait.toMillis() + 999) / 1000).build())
                .orElse(response);
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthorized() {
        return Response.fromResponse(Problem.of("unauthorized", "Unauthorized", 401,
                        "A valid bearer token is required.").toResponse())
                .header("WWW-Authenticate", "Bearer").build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return Problem.of("forbidden", "Forbidden", 403, "The token's role does not allow this.").toResponse();
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e) {
        return Problem.of("malformed-json", "Malformed JSON", 400,
                "The body is not valid JSON for this endpoint (line " + e.getLocation().getLineNr() + ").").toResponse();
    }

    /** Bean Validation on a request body, path or query parameter: 400, naming each field and what it must be. */
    @ServerExceptionMapper
    public Response constraintViolated(ConstraintViolationException e) {
        String detail = e.getConstraintViolations().stream()
                .map(v -> fieldOf(v.getPropertyPath()) + " " + v.getMessage())
                .sorted()
                .collect(Collectors.joining("; "));
        return Problem.of("invalid-request", "Invalid request", 400, detail + ".").toResponse();
    }

    /** The field's name: the last node of {@code method.parameter.field}. */
    private static String fieldOf(Path path) {
        String field = null;
        for (Path.Node node : path) {
            field = node.getName();
        }
        return field == null ? "request" : field;
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known == null ? "HTTP " + status : known.getReasonPhrase();
        return Problem.of("http-" + status, title, status, title + ".").toResponse();
    }

    /**
     * Anything else: 503 (with {@code Retry-After}) when the database does not answer, for whatever exception the lost
     * connection became; else 500.
     */
    @ServerExceptionMapper
    public Uni<Response> unexpected(Throwable e) {
        return database.explain(e).map(explained -> {
            if (explained instanceof DatabaseUnavailableException) {
                LOG.warnf("the database does not answer: a request failed with %s", e.getClass().getName());
                return databaseUnavailable();
            }
            // The class name only: a message may quote input or a secret.
            LOG.errorf("unexpected %s while handling a request", e.getClass().getName());
            return Problem.of("internal", "Internal error", 500, "The request failed unexpectedly; it was not applied.").toResponse();
        });
    }

    private static Response databaseUnavailable() {
        return Response.fromResponse(Problem.of("database-unavailable", "Database unavailable", 503,
                        "The service's database does not answer; the request was not applied. Try again shortly.").toResponse())
                .header("Retry-After", DATABASE_RETRY_AFTER.toSeconds()).build();
    }
}
