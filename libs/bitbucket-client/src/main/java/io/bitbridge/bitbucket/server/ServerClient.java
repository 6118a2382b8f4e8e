package io.bitbridge.bitbucket.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bitbridge.bitbucket.BitbucketAccount;
import io.bitbridge.bitbucket.BitbucketClient;
import io.bitbridge.bitbucket.BitbucketEndpoint;
import io.bitbridge.bitbucket.BitbucketApiException;
import io.bitbridge.bitbucket.BitbucketCalls;
import io.bitbridge.bitbucket.BitbucketHttp;
import io.bitbridge.bitbucket.WebhookRegistration;
import io.bitbridge.bitbucket.WebhookSpec;
import io.bitbridge.callguard.EndpointGuards;

import static io.bitbridge.bitbucket.BitbucketHttp.segment;
import static io.bitbridge.bitbucket.BitbucketHttp.text;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Bitbucket Server / Data Center 1.0: the user behind an HTTP access token and repository webhooks
 * ({@code /rest/api/1.0/projects/{key}/repos/{slug}/webhooks}, secret in {@code configuration.secret}).
 */
public final class ServerClient implements BitbucketClient {
    private static final int MAX_PAGES = 50;

    private final BitbucketHttp http;

    public ServerClient(BitbucketEndpoint endpoint) {
        this(endpoint, BitbucketCalls.defaultGuards());
    }

    public ServerClient(BitbucketEndpoint endpoint, EndpointGuards guards) {
        this.http = new BitbucketHttp(endpoint, guards);
    }

    /**
     * With a username: that user ({@code /rest/api/1.0/users/{slug}}). Without: any authenticated call, and the
     * name from the {@code X-AUSERNAME} header Data Center puts on authenticated responses. A wrong token is a 401.
     */
    @Override
    public BitbucketAccount currentAccount(Optional<String> username) {
        try {
            return account(username);
        } catch (BitbucketApiException e) {
            if (e.status() != 404) {
                throw e;
            }
            throw e.withReason(e.reason() + ". If the base URL is wrong: it is the instance's address with its context path, "
                    + "e.g. https://bitbucket.example.com or https://example.com/bitbucket, without /rest.");
        }
    }

    private BitbucketAccount account(Optional<String> username) {
        if (username.isPresent()) {
            JsonNode user = http.get("/rest/api/1.0/users/" + segment(username.get())).body();
            return new BitbucketAccount(text(user, "id"), Optional.ofNullable(text(user, "slug")).orElse(username.get()),
                    text(user, "displayName"), null);
        }
        BitbucketHttp.Reply reply = http.get("/rest/api/1.0/repos?limit=1&permission=REPO_READ");
        String name = reply.header("X-AUSERNAME").orElse(null);
        return new BitbucketAccount(reply.header("X-AUSERID").orElse(name), name, name, null);
    }

    @Override
    public WebhookRegistration ensureWebhook(String owner, String repo, WebhookSpec spec, boolean secretChanged) {
        Optional<JsonNode> existing = findHook(owner, repo, spec.url());
        if (existing.isEmpty()) {
            JsonNode created = http.post(hooksPath(owner, repo), body(spec)).body();
            return new WebhookRegistration(text(created, "id"), WebhookRegistration.Outcome.CREATED);
        }
        JsonNode hook = existing.get();
        String id = text(hook, "id");
        Set<String> events = new TreeSet<>();
        hook.path("events").forEach(e -> events.add(e.asText()));
        String knownSecret = text(hook.path("configuration"), "secret");
        boolean differs = !events.equals(new TreeSet<>(spec.events()))
                || !hook.path("active").asBoolean(false)
                || secretChanged
                || (knownSecret != null && !knownSecret.equals(spec.secret()));
        if (!differs) {
            return new WebhookRegistration(id, WebhookRegistration.Outcome.UNCHANGED);
        }
        http.put(hooksPath(owner, repo) + "/" + segment(id), body(spec));
        return new WebhookRegistration(id, WebhookRegistration.Outcome.UPDATED);
    }

    @Override
    public boolean deleteWebhook(String owner, String repo, String url) {
        Optional<JsonNode> existing = findHook(owner, repo, url);
        existing.ifPresent(hook -> http.delete(hooksPath(owner, repo) + "/" + segment(text(hook, "id"))));
        return existing.isPresent();
    }

    private Optional<JsonNode> findHook(String owner, String repo, String url) {
        List<JsonNode> hooks = ServerPages.all(start -> http.get(hooksPath(owner, repo) + "?start=" + start).body(), MAX_PAGES);
        return hooks.stream().filter(hook -> url.equals(text(hook, "url"))).findFirst();
    }

    private static ObjectNode body(WebhookSpec spec) {
        ObjectNode body = BitbucketHttp.json().createObjectNode();
        body.put("name", spec.description());
        body.put("url", spec.url());
        body.put("active", true);
        spec.events().stream().sorted().forEach(body.putArray("events")::add);
        // PUT replaces the hook, so the secret always travels
        body.putObject("configuration").put("secret", spec.secret());
        return body;
    }

    private static String hooksPath(String projectKey, String repo) {
        return "/rest/api/1.0/projects/" + segment(projectKey) + "/repos/" + segment(repo) + "/webhooks";
    }
}
