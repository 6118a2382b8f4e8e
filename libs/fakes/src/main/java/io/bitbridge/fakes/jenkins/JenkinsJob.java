package io.bitbridge.fakes.jenkins;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One node of the Jenkins item tree: a folder (holds children, cannot be built) or a buildable job.
 * A job with parameter definitions is "parameterized" and must be started with buildWithParameters
 * (or build with a {@code json} form field); builds keep the parameters they were queued with.
 */
public final class JenkinsJob {

    private final List<String> path;
    private final boolean folder;
    private final Map<String, String> parameterDefaults;
    private final Map<String, JenkinsJob> children = new LinkedHashMap<>();
    private final Map<Integer, JenkinsBuild> builds = new LinkedHashMap<>();
    private volatile boolean disabled;
    private volatile String buildResult = "SUCCESS";
    private int nextBuildNumber = 1;

    JenkinsJob(List<String> path, boolean folder, Map<String, String> parameterDefaults) {
        this.path = List.copyOf(path);
        this.folder = folder;
        this.parameterDefaults = Collections.unmodifiableMap(new LinkedHashMap<>(parameterDefaults));
    }

    /** Short name (last path segment). */
    public String name() {
        return path.isEmpty() ? "" : path.get(path.size() - 1);
    }

    /** Full name as Jenkins shows it: segments joined by '/'. */
    public String fullName() {
        return String.join("/", path);
    }

    public List<String> path() {
        return path;
    }

    public boolean isFolder() {
        return folder;
    }

    public boolean isParameterized() {
        return !parameterDefaults.isEmpty();
    }

    public Map<String, String> parameterDefaults() {
        return parameterDefaults;
    }

    public boolean isDisabled() {
        return disabled;
    }

    /** Disabled jobs answer 409 to build requests. */
    public JenkinsJob disabled(boolean value) {
        this.disabled = value;
        return this;
    }

    /** Result that builds of this job finish with (SUCCESS, FAILURE, UNSTABLE, ABORTED). */
    public JenkinsJob buildResult(String result) {
        this.buildResult = result;
        return this;
    }

    String buildResult() {
        return buildResult;
    }

    synchronized Map<String, JenkinsJob> children() {
        return children;
    }

    synchronized JenkinsBuild startBuild(long queueId, Map<String, String> parameters, long now, String cause) {
        JenkinsBuild build = new JenkinsBuild(this, nextBuildNumber++, queueId, parameters, now, cause);
        builds.put(build.number(), build);
        return build;
    }

    synchronized JenkinsBuild build(int number) {
        return builds.get(number);
    }

    synchronized List<JenkinsBuild> builds() {
        return List.copyOf(builds.values());
    }

    synchronized int nextBuildNumber() {
        return nextBuildNumber;
    }
}
