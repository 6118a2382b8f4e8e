package io.bitbridge.fakes.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import io.bitbridge.fakes.common.FakeJson;
import io.bitbridge.fakes.common.FormData;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.StringJoiner;

/** A small HTTP client for the Cloud fake's tests: one credential, plain JDK HttpClient. */
final class CloudTestClient {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).build();

    private final String base;
    private final String authorization;

    private CloudTestClient(String base, String authorization) {
        this.base = base;
        this.authorization = authorization;
    }

    static CloudTestClient anonymous(BitbucketCloudFake fake) {
        return new CloudTestClient(fake.baseUri().toString(), null);
    }

    static CloudTestClient basic(BitbucketCloudFake fake, String user, String secret) {
        return new CloudTestClient(fake.baseUri().toString(), "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + secret).getBytes(StandardCharsets.UTF_8)));
    }

    static CloudTestClient bearer(BitbucketCloudFake fake, String token) {
        return new CloudTestClient(fake.baseUri().toString(), "Bearer " + token);
    }

    /** The sandbox user's API token. */
    static CloudTestClient sandbox(BitbucketCloudFake fake) {
        return basic(fake, BitbucketCloudFake.SANDBOX_EMAIL, BitbucketCloudFake.SANDBOX_API_TOKEN);
    }

    /** A response with its body as text. */
    record Reply(int status, String body, HttpResponse<String> raw) {
        JsonNode json() {
            return FakeJson.parse(body);
        }

        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    Reply get(String pathOrUrl) {
        return send(request(pathOrUrl).GET());
    }

    Reply delete(String path) {
        return send(request(path).DELETE());
    }

    Reply postJson(String path, Object body) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(FakeJson.bytes(body))));
    }

    Reply putJson(String path, Object body) {
        return send(request(path).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(FakeJson.bytes(body))));
    }

    /** A form post; keys may repeat by listing them in {@code fields} as {@code name -> value} pairs. */
    Reply postForm(String path, String... nameValuePairs) {
        StringJoiner body = new StringJoiner("&");
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            body.add(URLEncoder.encode(nameValuePairs[i], StandardCharsets.UTF_8) + "="
                    + URLEncoder.encode(nameValuePairs[i + 1], StandardCharsets.UTF_8));
        }
        return send(request(path).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    Reply postMultipart(String path, FormData.MultipartBuilder form) {
        return send(request(path).header("Content-Type", form.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(form.build())));
    }

    Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpRequest.Builder request(String pathOrUrl) {
        URI uri = URI.create(pathOrUrl.startsWith("http") ? pathOrUrl : base + pathOrUrl);
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder;
    }

    static Map<String, String> query(URI uri) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        if (uri.getRawQuery() != null) {
            FormData.parseUrlEncoded(uri.getRawQuery()).forEach((k, v) -> out.put(k, v.get(0)));
        }
        return out;
    }
}
