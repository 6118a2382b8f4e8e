package io.bitbridge.events;

/** Every Kafka topic name, once. A breaking change gets a new {@code .vN} topic, never an edited schema. */
public final class Topics {
    public static final String PUSH = "bitbucket.push.v1";
    public static final String PULL_REQUEST = "bitbucket.pullrequest.v1";
    public static final String PUSH_EXPANDED = "bitbucket.push.expanded.v1";
    public static final String CREDENTIALS_LIFECYCLE = "credentials.lifecycle.v1";
    public static final String REPOSITORIES_CATALOG = "repositories.catalog.v1";
    public static final String TASKS_LINKS = "tasks.links.v1";
    public static final String BUILDS_TRIGGERS = "builds.triggers.v1";
    public static final String GITOPS_COMMIT_REQUESTS = "gitops.commit-requests.v1";
    public static final String GITOPS_COMMIT_RESULTS = "gitops.commit-results.v1";
    public static final String GITOPS_SYNC = "gitops.sync.v1";

    private Topics() {
    }

    /**
     * Where one consuming service puts the records of {@code topic} it gave up on, e.g.
     * {@code bitbucket.push.v1.build-trigger.dlq}: per service, not per consumer group, so the instances of a service
     * that reads every event in its own group (the gateway) still share one.
     */
    public static String deadLetter(String topic, String consumer) {
        return topic + "." + consumer + ".dlq";
    }
}
