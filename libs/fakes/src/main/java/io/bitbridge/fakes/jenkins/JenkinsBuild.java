package io.bitbridge.fakes.jenkins;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** A started build. It counts as running until its duration has passed, then has the job's result. */
public final class JenkinsBuild {

    private final JenkinsJob job;
    private final int number;
    private final long queueId;
    private final Map<String, String> parameters;
    private final long startedAt;
    private final String cause;

    JenkinsBuild(JenkinsJob job, int number, long queueId, Map<String, String> parameters, long startedAt, String cause) {
        this.job = job;
        this.number = number;
        this.queueId = queueId;
        this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters)); // keeps the definition order
        this.startedAt = startedAt;
        this.cause = cause;
    }

    public JenkinsJob job() {
        return job;
    }

    public int number() {
        return number;
    }

    public long queueId() {
        return queueId;
    }

    public Map<String, String> parameters() {
        return parameters;
    }

    public long startedAt() {
        return startedAt;
    }

    String cause() {
        return cause;
    }

    boolean isBuilding(long now, long buildDurationMillis) {
        return now < startedAt + buildDurationMillis;
    }

    /** Null while the build is running, as in Jenkins' api/json. */
    String result(long now, long buildDurationMillis) {
        return isBuilding(now, buildDurationMillis) ? null : job.buildResult();
    }
}
