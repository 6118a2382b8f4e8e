package io.bitbridge.fakes.server;

import io.bitbridge.testkit.contract.BitbucketContracts;
import io.bitbridge.testkit.contract.ContractValidator;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects, for the Server fake's tests, every REST exchange that breaks the Data Center 9.2 document
 * ({@link BitbucketContracts#server()}, which already tolerates the document's known gaps).
 */
final class ServerContract {

    /** These tests also send invalid input on purpose and expect the 4xx; only that request side is let pass. */
    private static final ContractValidator VALIDATOR = BitbucketContracts.server().tolerating(
            (key, message, method, path, status) -> key.startsWith("validation.request.") && status >= 400 && status < 500);

    private final List<String> failures = new ArrayList<>();

    /** Validates one exchange if it is a REST call; remembers failures for {@link #failures()}. */
    void check(ServerClient.HttpRequestSnapshot sent, HttpResponse<String> received) {
        String pathAndQuery = sent.pathAndQuery();
        if (!pathAndQuery.startsWith("/rest/")) {
            return;
        }
        int question = pathAndQuery.indexOf('?');
        Map<String, List<String>> headers = new LinkedHashMap<>();
        if (sent.authorization() != null) {
            headers.put("Authorization", List.of(sent.authorization()));
        }
        if (sent.body() != null) {
            headers.put("Content-Type", List.of("application/json"));
        }
        Map<String, List<String>> responseHeaders = new LinkedHashMap<>();
        received.headers().firstValue("Content-Type").ifPresent(type -> responseHeaders.put("Content-Type", List.of(type)));
        failures.addAll(VALIDATOR.validate(new ContractValidator.Exchange(sent.method(),
                question < 0 ? pathAndQuery : pathAndQuery.substring(0, question),
                question < 0 ? null : pathAndQuery.substring(question + 1), headers, sent.body(),
                received.statusCode(), responseHeaders, received.body())));
    }

    List<String> failures() {
        return List.copyOf(failures);
    }
}
