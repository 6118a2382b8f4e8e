package io.bitbridge.buildtrigger.service;

import java.util.Map;

/**
 * One decision for one change: start {@code job} on {@code instance} for the change's head commit, or, when
 * {@code refusal} is set, record why not.
 *
 * @param tag          the tag that asked for the job, as written
 * @param taggedCommit the commit whose message carries the tag
 * @param instance     the Jenkins instance; null when no rule covers the repository and branch
 * @param refType      whether {@code ref} is a branch or a tag
 */
public record PlannedTrigger(String repositoryKey, String ref, io.bitbridge.events.RefType refType, String headCommit,
                             String instance, String job,
                             String tag, String taggedCommit, Map<String, String> parameters, String refusal) {

    public PlannedTrigger {
        parameters = parameters == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parameters));
    }

    public boolean refused() {
        return refusal != null;
    }
}
