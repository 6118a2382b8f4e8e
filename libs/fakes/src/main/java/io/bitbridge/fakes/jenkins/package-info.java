/**
 * A stateful Jenkins remote-access-API fake: {@link io.bitbridge.fakes.jenkins.JenkinsFake}.
 *
 * <p>Use {@code JenkinsFake.start()} (empty, free port) or {@code sandbox(0)} (user {@code sandbox} with API token
 * {@code sandbox-jenkins-token}; jobs {@code GameBuild} with parameters BRANCH and COMMIT, {@code ci-default},
 * {@code Folder/Sub/Job}); add jobs, folders and users through {@link io.bitbridge.fakes.jenkins.JenkinsModel}.
 *
 * <ul>
 *   <li>Item tree with folders: {@code /job/a/job/b/...}, each segment URL-encoded ({@code %20}).</li>
 *   <li>{@code POST .../build} and {@code .../buildWithParameters} (query or form fields, {@code delay=}):
 *       201 with {@code Location: {base}/queue/item/N/}; 303 to the existing item for an identical queued
 *       {@code buildWithParameters}; 404 unknown job, 409 disabled job, 403 without Job/Build, 500 for
 *       {@code buildWithParameters} on a job without parameters, 400 for {@code build} on a parameterized job
 *       without the {@code json} field.</li>
 *   <li>Authentication: Basic {@code user:apiToken} needs no crumb; Basic {@code user:password} needs the crumb
 *       from {@code /crumbIssuer/api/json} together with that request's session cookie (403 "No valid crumb was
 *       included in the request" otherwise); a wrong secret is 401 "Invalid password/token for user: X" with
 *       {@code WWW-Authenticate: Basic realm="Jenkins"}. {@code JenkinsModel.endEveryWebSession()} ends every web
 *       session (their crumbs turn invalid; the crumb issuer opens a new session with {@code Set-Cookie}).</li>
 *   <li>Queue and builds: the quiet period (configurable) passes, then {@code /queue/item/N/api/json} shows
 *       {@code executable.number}/{@code url}; {@code /queue/api/json} lists the waiting items with their
 *       parameters; builds report {@code building}/{@code result}; queue items are forgotten after a retention
 *       (5 minutes by default).</li>
 *   <li>Every build request is recorded ({@link io.bitbridge.fakes.jenkins.JenkinsTrigger}) and listed at
 *       {@code GET /_sandbox/triggers} ({@code DELETE} clears).</li>
 * </ul>
 */
package io.bitbridge.fakes.jenkins;
