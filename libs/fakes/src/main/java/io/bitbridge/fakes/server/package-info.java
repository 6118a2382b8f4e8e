/**
 * A stateful Bitbucket Server / Data Center 9.x fake: {@link io.bitbridge.fakes.server.BitbucketServerFake}.
 *
 * <p>Use {@code BitbucketServerFake.start()} (empty, free port) or {@code sandbox(0)} (the sandbox preset on a free
 * port: user {@code sandbox}, token {@code sandbox-server-token}, password {@code sandbox-password}, project
 * {@code OPS} with {@code platform} on {@code main}); add users, tokens, projects and repositories through
 * {@link io.bitbridge.fakes.server.ServerModel}. Repositories are real in-memory JGit repositories.
 *
 * <ul>
 *   <li>REST 1.0 ({@code /rest/api/1.0} or {@code latest}): projects and personal projects ({@code ~user}),
 *       repositories (list, create 201/409/400, get, update 201, delete 202), branches and default branch,
 *       repository group permissions, commits ({@code since}/{@code until}/{@code path}/{@code merges}), one commit,
 *       changes, raw files, users, repository and project webhooks (CRUD, {@code test} ping), build statuses on
 *       commits ({@code commits/{id}/builds}: POST 204, GET and DELETE by {@code key}), all paged lists in
 *       DC's envelope and every error in {@code {"errors":[{context,message,exceptionName}]}}.</li>
 *   <li>HTTP access tokens ({@code /rest/access-tokens/1.0}) and repository access keys
 *       ({@code /rest/keys/1.0/.../ssh}).</li>
 *   <li>Git smart HTTP at {@code /scm/{key}/{slug}.git} with Basic {@code user:token}, pushes into empty
 *       repositories included.</li>
 *   <li>Authentication: any token as Bearer, personal tokens and passwords also as Basic; insufficient permission
 *       is 401 (as on DC); {@code X-AUSERNAME} on authenticated answers; optional rate limiting (429 +
 *       {@code Retry-After}).</li>
 *   <li>Webhooks: {@code repo:refs_changed} for every ref change (git push, {@code commitFiles}, {@code deleteRef},
 *       branch creation, PR merge) with {@code commits[]}/{@code toCommit} as Data Center sends them, and
 *       {@code pr:*} through {@code pullRequestEvent}; headers {@code X-Event-Key}, {@code X-Request-Id},
 *       {@code X-Hub-Signature: sha256=...} when the hook has {@code configuration.secret}; no retries.</li>
 *   <li>DC's webhook circuit breaker (5 failures in a row, then skipped for 10 s doubling up to 10 h; adjustable
 *       with {@code webhookCircuitBreaker}) and {@code webhooks/{id}/latest}.</li>
 * </ul>
 *
 * <p>Not modelled: pull-request REST resources, the deprecated repository-less {@code /rest/build-status/1.0}, branch restrictions, webhook statistics, SSH transport, mirrors.
 * Project and repository tokens act as their creator (DC uses a bot user).
 */
package io.bitbridge.fakes.server;
