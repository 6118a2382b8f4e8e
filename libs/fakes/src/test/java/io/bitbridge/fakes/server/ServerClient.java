package io.bitbridge.fakes.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.bitbridge.fakes.common.FakeJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.function.BiConsumer;

/** A small HTTP client for the Server fake's tests; every exchange can be handed to a contract checker. */
final class ServerClient {

    static final String SANDBOX_BEARER = "Bearer " + BitbucketServerFake.SANDBOX_TOKEN;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String baseUrl;
    private final BiConsumer<HttpRequestSnapshot, HttpResponse<String>> observer;

    /** What was sent, for contract validation. */
    record HttpRequestSnapshot(String method, String pathAndQuery, String body, String authorization) {
    }

    ServerClient(String baseUrl, BiConsumer<HttpRequestSnapshot, HttpResponse<String>> observer) {
        this.baseUrl = baseUrl;
        this.observer = observer;
    }

    static String basic(String user, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    HttpResponse<String> call(String method, String pathAndQuery, String jsonBody, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery))
                .timeout(Duration.ofSeconds(20))
                .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(jsonBody));
        if (jsonBody != null) {
            request.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            observer.accept(new HttpRequestSnapshot(method, pathAndQuery, jsonBody, authorization), response);
            return response;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> get(String path) {
        return call("GET", path, null, SANDBOX_BEARER);
    }

    /** The JSON body of a response that must have {@code status}. */
    static JsonNode json(HttpResponse<String> response, int status) {
        assertEquals(status, response.statusCode(), response.body());
        return FakeJson.parse(response.body());
    }

    /** The first error message of DC's error envelope. */
    static String errorMessage(HttpResponse<String> response) {
        return FakeJson.parse(response.body()).path("errors").path(0).path("message").asText();
    }
}
