package io.bitbridge.bitbucket.cloud;

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

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Bitbucket Cloud 2.0: {@code /2.0/user} and repository hooks ({@code /2.0/repositories/{ws}/{slug}/hooks}). */
public final class CloudClient implements BitbucketClient {
    public static final String DEFAULT_API_BASE_URL = "https://api.bitbucket.org";
    private static final String API_VERSION = "/2.0";
    private static final int MAX_PAGES = 50;

    private final BitbucketHttp http;

    public CloudClient(BitbucketEndpoint endpoint) {
        this(endpoint, BitbucketCalls.defaultGuards());
    }

    public CloudClient(BitbucketEndpoint endpoint, EndpointGuards guards) {
        this.http = new BitbucketHttp(endpoint.at(apiRoot(endpoint.apiBaseUrl())), guards);
    }

    /**
     * The API root without the version: Atlassian writes the base URL as {@code https://api.bitbucket.org/2.0}, this
     * client adds {@code /2.0} to every path itself, so either form is accepted, with or without a trailing slash.
     */
    public static URI apiRoot(URI apiBaseUrl) {
        String base = apiBaseUrl.toString().replaceAll("/+$", "");
        return URI.create(base.endsWith(API_VERSION) ? base.substring(0, base.length() - API_VERSION.length()) : base);
    }

    @Override
    public BitbucketAccount currentAccount(Optional<String> username) {
        BitbucketHttp.Reply reply;
        try {
            reply = http.get(API_VERSION + "/user");
        } catch (BitbucketApiException e) {
            if (e.status() != 404) {
                throw e;
            }
            throw e.withReason(e.reason() + ". The API base URL should be Bitbucket Cloud's API root, "
                    + DEFAULT_API_BASE_URL + " (or " + DEFAULT_API_BASE_URL + API_VERSION + ").");
        }
        JsonNode user = reply.body();
        return new BitbucketAccount(text(user, "uuid"), Optional.ofNullable(text(user, "nickname")).orElse(text(user, "username")),
                text(user, "display_name"), reply.header("X-OAuth-Scopes").orElse(null));
    }

    @Override
    public WebhookRegistration ensureWebhook(String owner, String repo, WebhookSpec spec, boolean secretChanged) {
        Optional<JsonNode> existing = findHook(owner, repo, spec.url());
        if (existing.isEmpty()) {
            JsonNode created = http.post(hooksPath(owner, repo), body(spec, true)).body();
            return new WebhookRegistration(text(created, "uuid"), WebhookRegistration.Outcome.CREATED);
        }
        JsonNode hook = existing.get();
        String uuid = text(hook, "uuid");
        boolean eventsDiffer = !eventsOf(hook).equals(new TreeSet<>(spec.events()));
        boolean inactive = !hook.path("active").asBoolean(false);
        // Cloud never returns the secret: resend it when ours changed or the hook lost it.
        boolean secretDiffers = secretChanged || !hook.path("secret_set").asBoolean(false);
        if (!eventsDiffer && !inactive && !secretDiffers) {
            return new WebhookRegistration(uuid, WebhookRegistration.Outcome.UNCHANGED);
        }
        http.put(hookPath(owner, repo, uuid), body(spec, secretDiffers));
        return new WebhookRegistration(uuid, WebhookRegistration.Outcome.UPDATED);
    }

    @Override
    public boolean deleteWebhook(String owner, String repo, String url) {
        Optional<JsonNode> existing = findHook(owner, repo, url);
        existing.ifPresent(hook -> http.delete(hookPath(owner, repo, text(hook, "uuid"))));
        return existing.isPresent();
    }

    private Optional<JsonNode> findHook(String owner, String repo, String url) {
        List<JsonNode> hooks = CloudPages.all(http.resolve(hooksPath(owner, repo)), uri -> http.get(uri).body(), MAX_PAGES);
        return hooks.stream().filter(hook -> url.equals(text(hook, "url"))).findFirst();
    }

    private static ObjectNode body(WebhookSpec spec, boolean withSecret) {
        ObjectNode body = BitbucketHttp.json().createObjectNode();
        body.put("description", spec.description());
        body.put("url", spec.url());
        body.put("active", true);
        spec.events().stream().sorted().forEach(body.putArray("events")::add);
        if (withSecret) {
            // omitted on PUT, Cloud leaves the secret unchanged
            body.put("secret", spec.secret());
        }
        return body;
    }

    private static Set<String> eventsOf(JsonNode hook) {
        Set<String> events = new TreeSet<>();
        hook.path("events").forEach(e -> events.add(e.asText()));
        return events;
    }

    private static String hooksPath(String owner, String repo) {
        return "/2.0/repositories/" + segment(owner) + "/" + segment(repo) + "/hooks";
    }

    private static String hookPath(String owner, String repo, String uuid) {
        // the uid keeps its braces, URL-escaped
        return hooksPath(owner, repo) + "/" + segment(uuid);
    }
}
