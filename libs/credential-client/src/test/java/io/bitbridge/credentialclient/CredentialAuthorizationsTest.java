package io.bitbridge.credentialclient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.bitbridge.credentialapi.Authorization;
import io.bitbridge.credentialapi.WebhookSecrets;
import io.bitbridge.events.CredentialKind;
import io.bitbridge.events.Provider;
import jakarta.ws.rs.WebApplicationException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** What is held and for how long; the guards (timeout, retries, breaker) are CDI's and tried in the services' tests. */
class CredentialAuthorizationsTest {
    private static final Duration MAX_AGE = Duration.ofMinutes(5);

    private final MovableClock clock = new MovableClock(Instant.parse("2026-12-01T10:00:00Z"));
    private final ScriptedCredentialService service = new ScriptedCredentialService();
    private final CredentialAuthorizations authorizations = new CredentialAuthorizations(service, () -> "Bearer service-token", MAX_AGE, clock);

    @Test
    void anAuthorizationIsHeldForTheMaxAgeThenAskedForAgain() {
        Authorization token = authorization(null);
        service.answers(() -> token, () -> token);

        assertEquals(Optional.of(token), authorizations.forCredential("c1"));
        clock.move(MAX_AGE.minusSeconds(1));
        assertEquals(Optional.of(token), authorizations.forCredential("c1"));
        assertEquals(1, service.asked, "held: credential-service asked once");

        clock.move(Duration.ofSeconds(1));
        assertEquals(Optional.of(token), authorizations.forCredential("c1"));
        assertEquals(2, service.asked, "asked again once the max age has passed");
    }

    @Test
    void anOAuthTokenIsAskedForAgainAMinuteBeforeItExpires() {
        Authorization expiring = authorization(clock.instant().plus(Duration.ofMinutes(3)));
        service.answers(() -> expiring, () -> expiring);

        authorizations.forCredential("c1");
        clock.move(Duration.ofMinutes(2).minusSeconds(1));
        authorizations.forCredential("c1");
        assertEquals(1, service.asked);
        clock.move(Duration.ofSeconds(1));
        authorizations.forCredential("c1");
        assertEquals(2, service.asked, "within a minute of its expiry the token is not handed out again");
    }

    @Test
    void anUnknownCredentialIsRememberedAsUnknownUntilForgottenOrTheMaxAgeHasPassed() {
        Authorization created = authorization(null);
        service.answers(ScriptedCredentialService::notFound, () -> created, ScriptedCredentialService::notFound);

        assertEquals(Optional.empty(), authorizations.forCredential("c1"));
        assertEquals(Optional.empty(), authorizations.forCredential("c1"));
        assertEquals(1, service.asked, "a deleted credential is not asked about on every event");

        authorizations.forget("c1");
        assertEquals(Optional.of(created), authorizations.forCredential("c1"), "a lifecycle event makes it asked again");

        authorizations.forget("c1");
        assertEquals(Optional.empty(), authorizations.forCredential("c1"));
        clock.move(MAX_AGE);
        assertThrows(IllegalStateException.class, () -> authorizations.forCredential("c1"), "asked again after the max age");
    }

    @Test
    void aCredentialNeedingReconnectionIsNeitherHeldNorRemembered() {
        Authorization reconnected = authorization(null);
        service.answers(() -> {
            throw new WebApplicationException(409);
        }, () -> reconnected);

        assertThrows(CredentialNeedsReconnectException.class, () -> authorizations.forCredential("c1"));
        assertEquals(Optional.of(reconnected), authorizations.forCredential("c1"));
    }

    @Test
    void anAnswerWithoutAnAuthorizationIsAnOutageNotAnEmptyCredential() {
        service.answers(() -> null);
        assertThrows(CredentialServiceUnavailableException.class, () -> authorizations.forCredential("c1"));
    }

    private static Authorization authorization(Instant expiresAt) {
        return new Authorization("Bearer bitbucket-token", expiresAt, "https://api.bitbucket.org/2.0", "x-token-auth", "secret",
                null, false, CredentialKind.BITBUCKET_CLOUD_OAUTH, Provider.BITBUCKET_CLOUD);
    }

    /** credential-service's answers, one per call in order; a call beyond them fails the test. */
    private static final class ScriptedCredentialService implements CredentialServiceClient {
        private final Deque<Supplier<Authorization>> answers = new ArrayDeque<>();
        int asked;

        @SafeVarargs
        final void answers(Supplier<Authorization>... next) {
            answers.addAll(java.util.List.of(next));
        }

        static Authorization notFound() {
            throw new WebApplicationException(404);
        }

        @Override
        public Authorization authorization(String credentialId, String authorization) {
            assertEquals("Bearer service-token", authorization);
            asked++;
            if (answers.isEmpty()) {
                throw new IllegalStateException("credential-service asked once more than expected");
            }
            return answers.poll().get();
        }

        @Override
        public WebhookSecrets webhookSecrets(String credentialId, String authorization) {
            throw new UnsupportedOperationException();
        }
    }

    private static final class MovableClock extends Clock {
        private Instant now;

        MovableClock(Instant start) {
            this.now = start;
        }

        void move(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
