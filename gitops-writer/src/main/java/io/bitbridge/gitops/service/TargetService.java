package io.bitbridge.gitops.service;

import io.bitbridge.common.rest.ProblemException;
import io.bitbridge.gitops.client.WebhookAttacher;
import io.bitbridge.gitops.repository.Target;
import io.bitbridge.gitops.repository.TargetRepository;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Attaching, changing and removing targets; attaching asks for the repository's webhook. Blocking. */
@ApplicationScoped
public class TargetService {
    private static final Logger LOG = Logger.getLogger(TargetService.class);

    private final TargetRepository targets;
    private final WebhookAttacher webhooks;

    TargetService(TargetRepository targets, WebhookAttacher webhooks) {
        this.targets = targets;
        this.webhooks = webhooks;
    }

    /** What a target is made of, before it has an id. */
    public record Settings(String clusterName, String clusterId, String credentialId, String owner, String slug, String branch,
                           String path) {
    }

    public Target create(Settings s, String callerAuthorization) {
        Instant now = Instant.now();
        Target target = new Target(UUID.randomUUID(), s.clusterName(), s.clusterId(), s.credentialId(), s.owner(), s.slug(),
                s.branch(), s.path(), null, now, now);
        if (!targets.insert(target)) {
            throw clusterTaken(s);
        }
        return withWebhook(target, callerAuthorization);
    }

    public Target update(UUID id, Settings s, String callerAuthorization) {
        Target before = find(id);
        Target after = new Target(id, s.clusterName(), s.clusterId(), s.credentialId(), s.owner(), s.slug(), s.branch(), s.path(),
                before.webhookStatus(), before.createdAt(), Instant.now());
        if (!targets.update(after)) {
            throw targets.find(id).isPresent() ? clusterTaken(s) : notFound(id);
        }
        boolean sameHook = before.credentialId().equals(after.credentialId()) && before.repository().equalsIgnoreCase(after.repository());
        return sameHook && WebhookAttacher.REGISTERED.equals(before.webhookStatus()) ? after : withWebhook(after, callerAuthorization);
    }

    /** The repository's webhook stays: other targets (or services) may still need the repository's pushes. */
    public void delete(UUID id) {
        if (!targets.delete(id)) {
            throw notFound(id);
        }
    }

    public Target find(UUID id) {
        return targets.find(id).orElseThrow(() -> notFound(id));
    }

    public List<Target> list() {
        return targets.list();
    }

    /** The target is attached whatever happens to its webhook; the view says whether the webhook is registered. */
    private Target withWebhook(Target target, String callerAuthorization) {
        String status;
        try {
            status = webhooks.register(target.credentialId(), target.workspace(), target.repoSlug(), callerAuthorization);
        } catch (RuntimeException e) {
            status = "not registered: " + e.getMessage();
            LOG.warnf("webhook of %s for target %s: %s", target.repository(), target.id(), e.getMessage());
        }
        targets.webhookStatus(target.id(), status);
        return new Target(target.id(), target.clusterName(), target.clusterId(), target.credentialId(), target.workspace(),
                target.repoSlug(), target.branch(), target.path(), status, target.createdAt(), target.updatedAt());
    }

    public static ProblemException notFound(UUID id) {
        return new ProblemException("target-not-found", "Target not found", 404, "No target " + id + ".");
    }

    private static ProblemException clusterTaken(Settings s) {
        return new ProblemException("target-exists", "Target exists", 409,
                "Cluster " + s.clusterName() + "-" + s.clusterId() + " already has a target.");
    }
}
