package io.bitbridge.bitbucket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bitbridge.bitbucket.cloud.CloudPages;
import io.bitbridge.bitbucket.server.ServerPages;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PagingAndErrorsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void cloudFollowsOpaqueNextLinksIncludingHashCursors() throws Exception {
        List<URI> asked = new ArrayList<>();
        List<JsonNode> values = CloudPages.all(URI.create("https://api.bitbucket.org/2.0/repositories/acme/game/commits/main"), uri -> {
            asked.add(uri);
            return json(asked.size() == 1
                    ? "{\"pagelen\":2,\"values\":[{\"hash\":\"a\"},{\"hash\":\"b\"}],\"next\":\"https://api.bitbucket.org/2.0/repositories/acme/game/commits/main?ctx=3f1a\"}"
                    : "{\"pagelen\":2,\"values\":[{\"hash\":\"c\"}]}");
        }, 10);
        assertEquals(List.of("a", "b", "c"), values.stream().map(v -> v.get("hash").asText()).toList());
        assertEquals("ctx=3f1a", asked.get(1).getQuery());
    }

    @Test
    void cloudRefusesANextLinkToAnotherHostWithoutFetchingIt() {
        List<URI> asked = new ArrayList<>();
        assertThrows(IllegalStateException.class, () -> CloudPages.all(URI.create("https://api.bitbucket.org/2.0/repositories/acme/game/hooks"), uri -> {
            asked.add(uri);
            return json("{\"values\":[{\"uuid\":\"a\"}],\"next\":\"https://collector.example.net/2.0/repositories/acme/game/hooks?page=2\"}");
        }, 10));
        assertEquals(1, asked.size(), "the foreign page was never asked for");
    }

    @Test
    void serverContinuesFromNextPageStartUntilLastPage() {
        List<Integer> starts = new ArrayList<>();
        List<JsonNode> values = ServerPages.all(start -> {
            starts.add(start);
            return json(start == 0
                    ? "{\"size\":2,\"limit\":2,\"isLastPage\":false,\"start\":0,\"nextPageStart\":7,\"values\":[{\"id\":1},{\"id\":5}]}"
                    : "{\"size\":1,\"limit\":2,\"isLastPage\":true,\"start\":7,\"values\":[{\"id\":9}]}");
        }, 10);
        assertEquals(List.of(0, 7), starts);
        assertEquals(3, values.size());
    }

    @Test
    void serverRefusesAPageCursorThatDoesNotMove() {
        assertThrows(IllegalStateException.class, () -> ServerPages.all(
                start -> json("{\"isLastPage\":false,\"nextPageStart\":0,\"values\":[]}"), 10));
    }

    @Test
    void readsTheReasonFromEachProductsErrorEnvelope() {
        assertEquals("Access token expired. Use your refresh token to obtain a new access token.", ErrorEnvelope.reason(bytes(
                "{\"type\":\"error\",\"error\":{\"message\":\"Access token expired. Use your refresh token to obtain a new access token.\"}}")));
        assertEquals("CHANGE-2770 - Functionality has been deprecated (Please read the changelog entry for more details.)", ErrorEnvelope.reason(bytes(
                "{\"type\":\"error\",\"error\":{\"message\":\"CHANGE-2770 - Functionality has been deprecated\",\"detail\":\"Please read the changelog entry for more details.\"}}")));
        assertEquals("Authentication failed. Please check your credentials and try again.", ErrorEnvelope.reason(bytes(
                "{\"errors\":[{\"context\":null,\"message\":\"Authentication failed. Please check your credentials and try again.\",\"exceptionName\":\"com.atlassian.bitbucket.auth.IncorrectPasswordAuthenticationException\"}]}")));
        assertEquals("invalid_grant: Invalid refresh_token", ErrorEnvelope.reason(bytes(
                "{\"error\":\"invalid_grant\",\"error_description\":\"Invalid refresh_token\"}")));
        assertEquals("Rate limit for this resource has been exceeded", ErrorEnvelope.reason(bytes("Rate limit for this resource has been exceeded")));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
