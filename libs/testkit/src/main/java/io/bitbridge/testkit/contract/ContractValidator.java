package io.bitbridge.testkit.contract;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import org.apache.http.client.utils.URLEncodedUtils;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Validates requests and/or responses against one of Atlassian's saved Bitbucket OpenAPI documents (see
 * {@link BitbucketContracts}). Each problem comes back as one line
 * {@code "METHOD /spec/path -> status: key message"}; messages the product's known spec gaps explain, and those
 * an extra {@link Tolerance} of the caller explains, are left out.
 */
public final class ContractValidator {

    /**
     * A message the caller accepts although the document rejects it. Each product's known spec gaps are
     * tolerated already ({@link BitbucketContracts}); a caller adds only what is particular to it.
     */
    @FunctionalInterface
    public interface Tolerance {
        /**
         * @param status the response status, or -1 when only the request is validated
         * @param path   the path as the document writes it (after the product's path mapping)
         */
        boolean tolerates(String key, String message, String method, String path, int status);

        default Tolerance or(Tolerance other) {
            return (key, message, method, path, status) -> tolerates(key, message, method, path, status)
                    || other.tolerates(key, message, method, path, status);
        }
    }

    /** A request as sent (path and query still percent-encoded); headers may be in any case. */
    public record Sent(String method, String rawPath, String rawQuery, Map<String, List<String>> headers,
                       String body) {
    }

    /** What an HTTP exchange carried; headers may be in any case. */
    public record Exchange(String method, String rawPath, String rawQuery, Map<String, List<String>> requestHeaders,
                           String requestBody, int status, Map<String, List<String>> responseHeaders,
                           String responseBody) {
    }

    private final OpenApiInteractionValidator validator;
    private final UnaryOperator<String> specPath;
    private final Tolerance tolerance;

    ContractValidator(OpenApiInteractionValidator validator, UnaryOperator<String> specPath, Tolerance tolerance) {
        this.validator = validator;
        this.specPath = specPath;
        this.tolerance = tolerance;
    }

    /** The same document and spec gaps, plus what {@code extra} accepts (e.g. invalid input a test sends on purpose). */
    public ContractValidator tolerating(Tolerance extra) {
        return new ContractValidator(validator, specPath, tolerance.or(extra));
    }

    /** Requests (e.g. the ones a fake received), each against the document. */
    public List<String> validateRequests(Collection<Sent> received) {
        List<String> problems = new ArrayList<>();
        received.forEach(sent -> problems.addAll(validateRequest(sent)));
        return problems;
    }

    public List<String> validateRequest(Sent sent) {
        Request request = request(sent.method(), sent.rawPath(), sent.rawQuery(), sent.headers(), sent.body());
        return problems(validator.validateRequest(request), sent.method(), specPath(sent.rawPath()), -1);
    }

    /** The response alone, for the operation that {@code method} and {@code rawPath} name. */
    public List<String> validateResponse(String method, String rawPath, int status, Map<String, List<String>> headers,
                                         String body) {
        String path = specPath(rawPath);
        ValidationReport report = validator.validateResponse(path, Request.Method.valueOf(method),
                response(status, headers, body));
        return problems(report, method, path, status);
    }

    /** Request and response together. */
    public List<String> validate(Exchange exchange) {
        Request request = request(exchange.method(), exchange.rawPath(), exchange.rawQuery(), exchange.requestHeaders(),
                exchange.requestBody());
        ValidationReport report = validator.validate(request,
                response(exchange.status(), exchange.responseHeaders(), exchange.responseBody()));
        return problems(report, exchange.method(), specPath(exchange.rawPath()), exchange.status());
    }

    /** The path as the document writes it, e.g. Data Center's {@code /rest/api/1.0/...} as {@code /rest/api/latest/...}. */
    public String specPath(String rawPath) {
        return specPath.apply(rawPath);
    }

    private Request request(String method, String rawPath, String rawQuery, Map<String, List<String>> headers,
                            String body) {
        SimpleRequest.Builder request = new SimpleRequest.Builder(Request.Method.valueOf(method), specPath(rawPath));
        if (rawQuery != null) {
            URLEncodedUtils.parse(rawQuery, StandardCharsets.UTF_8)
                    .forEach(parameter -> request.withQueryParam(parameter.getName(), parameter.getValue()));
        }
        headers.forEach(request::withHeader);
        if (body != null && !body.isEmpty()) {
            request.withBody(body);
        }
        return request.build();
    }

    private static SimpleResponse response(int status, Map<String, List<String>> headers, String body) {
        SimpleResponse.Builder response = SimpleResponse.Builder.status(status);
        headers.forEach(response::withHeader);
        if (body != null && !body.isEmpty()) {
            response.withBody(body);
        }
        return response.build();
    }

    private List<String> problems(ValidationReport report, String method, String path, int status) {
        List<String> problems = new ArrayList<>();
        String prefix = method + " " + path + (status < 0 ? "" : " -> " + status) + ": ";
        report.getMessages().forEach(message -> collect(message, method, path, status, prefix, problems));
        return problems;
    }

    /** Composite messages (allOf/oneOf) are judged by their leaves, so a tolerance names one precise finding. */
    private void collect(ValidationReport.Message message, String method, String path, int status, String prefix,
                         List<String> problems) {
        if (!message.getNestedMessages().isEmpty()) {
            message.getNestedMessages().forEach(nested -> collect(nested, method, path, status, prefix, problems));
            return;
        }
        boolean counts = message.getLevel() == ValidationReport.Level.ERROR
                || message.getLevel() == ValidationReport.Level.WARN;
        if (counts && !tolerance.tolerates(message.getKey(), message.getMessage(), method, path, status)) {
            problems.add(prefix + message.getKey() + " " + message.getMessage()
                    + (message.getAdditionalInfo().isEmpty() ? "" : " " + message.getAdditionalInfo()));
        }
    }
}
