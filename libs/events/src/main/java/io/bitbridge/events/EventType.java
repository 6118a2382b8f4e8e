package io.bitbridge.events;

import java.util.Arrays;
import java.util.Optional;

/** Ties each event record to its topic, CloudEvents {@code ce_type} and checked-in JSON Schema. */
public enum EventType {
    PUSH(PushEvent.class, Topics.PUSH, "io.bitbridge.bitbucket.push.v1", "push-event"),
    PUSH_EXPANDED(PushEvent.class, Topics.PUSH_EXPANDED, "io.bitbridge.bitbucket.push.expanded.v1", "push-event"),
    PULL_REQUEST(PullRequestEvent.class, Topics.PULL_REQUEST, "io.bitbridge.bitbucket.pullrequest.v1", "pull-request-event"),
    CREDENTIAL_LIFECYCLE(CredentialLifecycleEvent.class, Topics.CREDENTIALS_LIFECYCLE, "io.bitbridge.credentials.lifecycle.v1", "credential-lifecycle-event"),
    REPOSITORY_CATALOG(RepositoryCatalogEvent.class, Topics.REPOSITORIES_CATALOG, "io.bitbridge.repositories.catalog.v1", "repository-catalog-event"),
    TASK_LINK(TaskLinkEvent.class, Topics.TASKS_LINKS, "io.bitbridge.tasks.links.v1", "task-link-event"),
    BUILD_TRIGGER(BuildTriggerEvent.class, Topics.BUILDS_TRIGGERS, "io.bitbridge.builds.triggers.v1", "build-trigger-event"),
    GITOPS_COMMIT_REQUEST(GitOpsCommitRequest.class, Topics.GITOPS_COMMIT_REQUESTS, "io.bitbridge.gitops.commit-requests.v1", "gitops-commit-request"),
    GITOPS_COMMIT_RESULT(GitOpsCommitResult.class, Topics.GITOPS_COMMIT_RESULTS, "io.bitbridge.gitops.commit-results.v1", "gitops-commit-result"),
    GITOPS_SYNC(GitOpsSyncEvent.class, Topics.GITOPS_SYNC, "io.bitbridge.gitops.sync.v1", "gitops-sync-event");

    private final Class<? extends Record> recordType;
    private final String topic;
    private final String ceType;
    private final String schemaName;

    EventType(Class<? extends Record> recordType, String topic, String ceType, String schemaName) {
        this.recordType = recordType;
        this.topic = topic;
        this.ceType = ceType;
        this.schemaName = schemaName;
    }

    public Class<? extends Record> recordType() {
        return recordType;
    }

    public String topic() {
        return topic;
    }

    public String ceType() {
        return ceType;
    }

    /** Class-path location of the JSON Schema, e.g. {@code /schemas/push-event.schema.json}. */
    public String schemaResource() {
        return "/schemas/" + schemaName + ".schema.json";
    }

    /**
     * What the record key is. Every record of one key lands on one partition, so they are read in order; the
     * consumers of a topic scale out up to its partition count.
     */
    public String key() {
        return switch (this) {
            case PUSH, PUSH_EXPANDED, PULL_REQUEST, BUILD_TRIGGER -> "the repository key provider:host/owner/slug (lower case)";
            case CREDENTIAL_LIFECYCLE -> "the credential id";
            case REPOSITORY_CATALOG -> "the credential id, a slash and the repository key";
            case TASK_LINK -> "the task id, such as GAME-789";
            case GITOPS_COMMIT_REQUEST, GITOPS_COMMIT_RESULT, GITOPS_SYNC -> "the GitOps target";
        };
    }

    /** Whether the topic is compacted: Kafka keeps at least the latest record of each key, which is the current state. */
    public boolean compacted() {
        return this == CREDENTIAL_LIFECYCLE || this == REPOSITORY_CATALOG;
    }

    public static Optional<EventType> byCeType(String ceType) {
        return Arrays.stream(values()).filter(t -> t.ceType.equals(ceType)).findFirst();
    }
}
