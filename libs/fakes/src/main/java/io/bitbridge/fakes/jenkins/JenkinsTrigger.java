package io.bitbridge.fakes.jenkins;

import java.time.Instant;
import java.util.Map;

/**
 * One build request as the fake saw it, accepted or not, for test assertions.
 *
 * @param jobPath   the job's full name ("Folder/Sub/Job"), or the raw path when the job is unknown
 * @param endpoint  "build" or "buildWithParameters"
 * @param user      the authenticated user, or null for anonymous / failed authentication
 * @param auth      "token", "password" or "anonymous"
 * @param status    the HTTP status the fake answered
 * @param queueId   the queue item the request created or matched, or null
 */
public record JenkinsTrigger(String jobPath, String endpoint, Map<String, String> parameters, String user,
                             String auth, int status, Long queueId, Instant at) {
}
