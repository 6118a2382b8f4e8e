package io.bitbridge.gitops.service;

import io.bitbridge.bitbucket.BitbucketApiException;
import io.bitbridge.bitbucket.BitbucketUnreachableException;
import io.bitbridge.bitbucket.RepositoryProvisioning;
import io.bitbridge.common.rest.ProblemException;
import io.bitbridge.credentialapi.Authorization;
import io.bitbridge.credentialclient.CredentialNeedsReconnectException;
import io.bitbridge.credentialclient.CredentialServiceUnavailableException;
import io.bitbridge.events.Provider;
import io.bitbridge.gitops.repository.CommitRecord;
import io.bitbridge.gitops.repository.Target;
import io.bitbridge.gitops.repository.TargetRepository;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * A repository made ready for a cluster, as {@code flux bootstrap bitbucket-server} does it, for Server / Data Center
 * and Cloud: the repository created unless it exists (an existing one is reused), the groups granted write access
 * unless they have it, the initial files committed in one commit on the branch (created when missing; files that
 * already match make no commit), the target attached (an identical one is reused). Each step finds out before it
 * changes anything, so a second run changes nothing. Blocking.
 */
@ApplicationScoped
public class BootstrapService {
    private final BitbucketAccess access;
    private final TargetRepository targets;
    private final TargetService targetService;
    private final CommitService commits;

    BootstrapService(BitbucketAccess access, TargetRepository targets, TargetService targetService, CommitService commits) {
        this.access = access;
        this.targets = targets;
        this.commits = commits;
        this.targetService = targetService;
    }

    /**
     * What to bootstrap: the owner (project key or workspace; null with {@code personal}), the target's settings
     * (with the owner still unresolved when personal), whether the repository is private, the groups, the initial
     * files (relative to the target's path), the commit's message and author, and its request id (null: a new one).
     */
    public record Plan(boolean personal, TargetService.Settings target, boolean isPrivate, List<String> groups,
                       Map<String, byte[]> files, String message, String author, String requestId) {
    }

    /** What a run did. {@code changed} is false when the repository already was as asked. */
    public record Report(String repository, boolean repositoryCreated, List<String> groupsGranted, List<String> groupsKept,
                         Target target, boolean targetCreated, CommitRecord commit) {
        public boolean changed() {
            return repositoryCreated || !groupsGranted.isEmpty() || targetCreated || "COMMITTED".equals(commit.status());
        }
    }

    public Report bootstrap(Plan plan, String callerAuthorization, String requestedBy) {
        Authorization authorization = authorization(plan.target().credentialId());
        String owner = plan.personal() ? personalOwner(authorization) : plan.target().owner();
        TargetService.Settings settings = new TargetService.Settings(plan.target().clusterName(), plan.target().clusterId(),
                plan.target().credentialId(), owner, plan.target().slug(), plan.target().branch(), plan.target().path());
        RepositoryProvisioning provisioning = access.provisioning(authorization);
        boolean created;
        List<String> granted = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        try {
            created = provisioning.ensureRepository(owner, settings.slug(), plan.isPrivate(),
                    "GitOps configuration (cluster " + settings.clusterName() + "-" + settings.clusterId() + ")", settings.branch());
            for (String group : plan.groups()) {
                (provisioning.ensureGroupWrite(owner, settings.slug(), group) ? granted : kept).add(group);
            }
        } catch (BitbucketApiException e) {
            throw e.retryable() ? unreachable("Bitbucket answered " + e.status() + ": " + e.reason())
                    : new ProblemException("bootstrap-rejected", "Bootstrap rejected", 422,
                    "Bitbucket answered " + e.status() + " to " + e.request().orElse("a request") + ": " + e.reason());
        } catch (BitbucketUnreachableException e) {
            throw unreachable(e.getMessage());
        }
        boolean targetCreated = false;
        Target target = targets.forCluster(settings.clusterName(), settings.clusterId()).orElse(null);
        if (target == null) {
            target = targetService.create(settings, callerAuthorization);
            targetCreated = true;
        } else if (!same(target, settings)) {
            throw new ProblemException("target-exists", "Target exists", 409, "Cluster " + settings.clusterName() + "-"
                    + settings.clusterId() + " already has a target elsewhere (" + target.repository() + " " + target.branch() + " "
                    + target.path() + ").");
        }
        String requestId = plan.requestId() != null ? plan.requestId() : "bootstrap-" + UUID.randomUUID();
        CommitOrder order = new CommitOrder(requestId, plan.message(), plan.author(), requestedBy,
                new DesiredState.Patch(plan.files(), List.of()), true);
        CommitRecord commit = commits.execute(target, order).record();
        return new Report(owner + "/" + settings.slug(), created, granted, kept, target, targetCreated, commit);
    }

    private Authorization authorization(String credentialId) {
        try {
            return access.authorization(credentialId);
        } catch (BitbucketAccess.UnusableCredentialException | CredentialNeedsReconnectException e) {
            throw new ProblemException("bootstrap-rejected", "Bootstrap rejected", 422, e.getMessage());
        } catch (CredentialServiceUnavailableException e) {
            throw unreachable(e.getMessage());
        }
    }

    /** A Server / Data Center user's personal project is {@code ~{userSlug}}; Bitbucket Cloud has no personal repositories. */
    private static String personalOwner(Authorization authorization) {
        if (authorization.provider() == Provider.BITBUCKET_CLOUD || authorization.gitUsername() == null) {
            throw new ProblemException("bootstrap-rejected", "Bootstrap rejected", 422,
                    "Bitbucket Cloud repositories belong to a workspace: give owner instead of personal.");
        }
        return "~" + authorization.gitUsername().toLowerCase(Locale.ROOT);
    }

    private static boolean same(Target target, TargetService.Settings settings) {
        return target.credentialId().equals(settings.credentialId()) && target.workspace().equalsIgnoreCase(settings.owner())
                && target.repoSlug().equalsIgnoreCase(settings.slug()) && target.branch().equals(settings.branch())
                && target.path().equals(settings.path());
    }

    private static ProblemException unreachable(String detail) {
        return new ProblemException("bootstrap-failed", "Bootstrap failed", 502, detail);
    }
}
