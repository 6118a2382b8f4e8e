package io.bitbridge.buildtrigger.service;

import java.util.Map;

/**
 * One trigger tag found in a commit message.
 *
 * @param kind       what the tag asks for
 * @param text       the tag as written, for {@code TRIGGERED_BY} and the records
 * @param job        the named Jenkins job ({@code Folder/Sub/Job}, case as written); null for a default build or job
 * @param parameters inline parameters in the order written ({@code #jenkins:Job(A=1,B=2)}); empty when none
 */
public record TriggerTag(Kind kind, String text, String job, Map<String, String> parameters) {

    public enum Kind {
        /** {@code #ci} or {@code #build}: the repository's default build. */
        DEFAULT_BUILD,
        /** {@code #jenkins}: the repository's default Jenkins job. */
        DEFAULT_JOB,
        /** {@code #jenkins:Job}: that job. */
        NAMED_JOB
    }

    public TriggerTag {
        parameters = parameters == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parameters));
    }

    /** Default builds are what {@code [skip ci]} suppresses. */
    public boolean isDefault() {
        return kind != Kind.NAMED_JOB;
    }
}
