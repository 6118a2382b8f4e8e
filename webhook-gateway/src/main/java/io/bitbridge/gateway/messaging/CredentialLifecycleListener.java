package io.bitbridge.gateway.messaging;

import io.bitbridge.events.CredentialLifecycleEvent;
import io.bitbridge.events.EventJson;
import io.bitbridge.gateway.service.WebhookSecretsCache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.io.UncheckedIOException;

/**
 * Drops a credential's cached webhook secrets whenever credential-service announces any change to it
 * (rotation, deletion, status). Every gateway instance reads every event (its own consumer group).
 */
@ApplicationScoped
public class CredentialLifecycleListener {
    private static final Logger LOG = Logger.getLogger(CredentialLifecycleListener.class);

    private final WebhookSecretsCache secrets;

    CredentialLifecycleListener(WebhookSecretsCache secrets) {
        this.secrets = secrets;
    }

    @Incoming("credential-lifecycle")
    public Uni<Void> onEvent(byte[] value) {
        CredentialLifecycleEvent event;
        try {
            event = value == null ? null : EventJson.fromBytes(value, CredentialLifecycleEvent.class);
        } catch (UncheckedIOException | IllegalArgumentException e) {
            event = null;
        }
        if (event == null || event.credentialId() == null) {
            // Cannot tell which credential changed: forgetting all is safe, keeping a stale secret is not.
            LOG.warn("unreadable credentials.lifecycle event; dropping every cached webhook secret");
            return secrets.forgetAll();
        }
        return secrets.forget(event.credentialId());
    }
}
