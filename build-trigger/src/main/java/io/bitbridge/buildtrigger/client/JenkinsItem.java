package io.bitbridge.buildtrigger.client;

import java.net.URI;

/** Where Jenkins has a trigger: a queue item ({@code build} null while it waits) or a build it already became. */
public record JenkinsItem(URI queueItem, JenkinsBuildRef build) {

    public static JenkinsItem queued(URI queueItem) {
        return new JenkinsItem(queueItem, null);
    }

    public static JenkinsItem started(JenkinsBuildRef build) {
        return new JenkinsItem(null, build);
    }

    public boolean started() {
        return build != null;
    }
}
