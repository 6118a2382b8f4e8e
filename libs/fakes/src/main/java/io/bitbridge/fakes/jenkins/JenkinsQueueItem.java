package io.bitbridge.fakes.jenkins;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** A queue item: waits out its quiet period, then gets an executable (the build). */
public final class JenkinsQueueItem {

    private final long id;
    private final JenkinsJob job;
    private final Map<String, String> parameters;
    private final long inQueueSince;
    private final long startsAt;
    private final String cause;
    private volatile JenkinsBuild executable;

    JenkinsQueueItem(long id, JenkinsJob job, Map<String, String> parameters, long inQueueSince, long startsAt, String cause) {
        this.id = id;
        this.job = job;
        this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters)); // keeps the definition order
        this.inQueueSince = inQueueSince;
        this.startsAt = startsAt;
        this.cause = cause;
    }

    public long id() {
        return id;
    }

    public JenkinsJob job() {
        return job;
    }

    public Map<String, String> parameters() {
        return parameters;
    }

    public long inQueueSince() {
        return inQueueSince;
    }

    long startsAt() {
        return startsAt;
    }

    String cause() {
        return cause;
    }

    /** The build once the quiet period is over, else null. */
    public JenkinsBuild executable() {
        return executable;
    }

    void started(JenkinsBuild build) {
        this.executable = build;
    }

    boolean isWaiting() {
        return executable == null;
    }
}
