package io.bitbridge.bitbucket.webhook;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WebhookSignatureTest {
    private static final byte[] BODY = "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII);
    /** RFC 4231, test case 2 (key "Jefe"). */
    private static final String RFC_4231_CASE_2 = "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";

    @Test
    void signsAsHmacSha256OfTheRawBody() {
        assertEquals(RFC_4231_CASE_2, WebhookSignature.sign("Jefe", BODY));
    }

    @Test
    void acceptsTheSignatureUnderAnyOfTheSecretsInEitherHexCase() {
        assertTrue(WebhookSignature.verify(RFC_4231_CASE_2, BODY, List.of("Jefe")));
        assertTrue(WebhookSignature.verify(RFC_4231_CASE_2, BODY, List.of("rotated-away", "Jefe")));
        String upperCaseHex = "sha256=" + RFC_4231_CASE_2.substring("sha256=".length()).toUpperCase(Locale.ROOT);
        assertTrue(WebhookSignature.verify(" " + upperCaseHex + " ", BODY, List.of("Jefe")));
    }

    @Test
    void refusesAnotherSecretBodyAlgorithmOrAMalformedHeader() {
        assertFalse(WebhookSignature.verify(RFC_4231_CASE_2, BODY, List.of("not-jefe")));
        assertFalse(WebhookSignature.verify(RFC_4231_CASE_2, BODY, List.of()));
        assertFalse(WebhookSignature.verify(RFC_4231_CASE_2, "what do ya want for nothing!".getBytes(StandardCharsets.US_ASCII),
                List.of("Jefe")));
        assertFalse(WebhookSignature.verify(RFC_4231_CASE_2.replace("sha256=", "sha1="), BODY, List.of("Jefe")));
        assertFalse(WebhookSignature.verify(RFC_4231_CASE_2.substring(0, RFC_4231_CASE_2.length() - 2), BODY, List.of("Jefe")));
        assertFalse(WebhookSignature.verify(RFC_4231_CASE_2.replace('c', 'x'), BODY, List.of("Jefe")));
        assertFalse(WebhookSignature.verify(null, BODY, List.of("Jefe")));
    }

    @Test
    void threadsSigningWithDifferentSecretsDoNotMixThemUp() {
        IntStream.range(0, 2_000).parallel().forEach(i -> {
            byte[] body = ("delivery " + i).getBytes(StandardCharsets.UTF_8);
            String signature = WebhookSignature.sign("secret-" + i, body);
            assertTrue(WebhookSignature.verify(signature, body, List.of("secret-" + i)), "delivery " + i);
            assertFalse(WebhookSignature.verify(signature, body, List.of("secret-" + (i + 1))), "delivery " + i);
        });
    }
}
