package io.bitbridge.fakes.cloud;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bitbridge.fakes.common.FakeJson;
import io.bitbridge.fakes.common.WebhookDelivery;
import io.bitbridge.fakes.common.WebhookSender;
import io.bitbridge.fakes.cloud.CloudModel.AccessToken;
import io.bitbridge.fakes.cloud.CloudModel.ApiToken;
import io.bitbridge.fakes.cloud.CloudModel.AppPassword;
import io.bitbridge.fakes.cloud.CloudModel.AuthorizationCode;
import io.bitbridge.fakes.cloud.CloudModel.OAuthConsumer;
import io.bitbridge.fakes.cloud.CloudModel.Hook;
import io.bitbridge.fakes.cloud.CloudModel.RefreshToken;
import io.bitbridge.fakes.cloud.CloudModel.Repo;
import io.bitbridge.fakes.cloud.CloudModel.ResourceToken;
import io.bitbridge.fakes.cloud.CloudModel.User;
import io.bitbridge.fakes.cloud.CloudModel.Workspace;

import java.io.IOException;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Everything the Cloud fake knows, plus its switches. Callers hold the fake's lock. */
final class CloudState {
    private static final SecureRandom RANDOM = new SecureRandom();

    final Map<String, User> users = new LinkedHashMap<>();
    final Map<String, Workspace> workspaces = new LinkedHashMap<>();
    final Map<String, OAuthConsumer> consumers = new LinkedHashMap<>();
    final Map<String, AuthorizationCode> codes = new LinkedHashMap<>();
    final Map<String, AccessToken> accessTokens = new LinkedHashMap<>();
    final Map<String, RefreshToken> refreshTokens = new LinkedHashMap<>();
    final Map<String, ApiToken> apiTokens = new LinkedHashMap<>();
    final Map<String, AppPassword> appPasswords = new LinkedHashMap<>();
    final Map<String, ResourceToken> resourceTokens = new LinkedHashMap<>();

    volatile boolean rateLimited;
    volatile boolean appPasswordsRemoved;
    volatile boolean consentDenied;
    volatile Duration accessTokenLifetime = Duration.ofHours(1);
    volatile Duration clockOffset = Duration.ZERO;
    /** Who "clicks Allow" on the authorize page; null: the consumer's owner. */
    volatile User consentingUser;

    final CloudJson json;
    final CloudEvents events;
    final WebhookSender sender;

    CloudState(String baseUrl, WebhookSender sender) {
        this.json = new CloudJson(baseUrl, this::userByEmail);
        this.events = new CloudEvents(json);
        this.sender = sender;
    }

    Instant now() {
        return Instant.now().plus(clockOffset);
    }

    static String randomToken(int bytes) {
        byte[] raw = new byte[bytes];
        RANDOM.nextBytes(raw);
        return HexFormat.of().formatHex(raw);
    }

    User userByEmail(String email) {
        return users.values().stream().filter(u -> u.email.equalsIgnoreCase(email)).findFirst().orElse(null);
    }

    User user(String nickname) {
        User user = users.get(nickname);
        if (user == null) {
            throw new IllegalArgumentException("no user " + nickname);
        }
        return user;
    }

    Workspace workspace(String slug) {
        Workspace workspace = workspaces.get(slug);
        if (workspace == null) {
            throw new IllegalArgumentException("no workspace " + slug);
        }
        return workspace;
    }

    Repo repo(String workspace, String slug) {
        Repo repo = workspace(workspace).repositories.get(slug);
        if (repo == null) {
            throw new IllegalArgumentException("no repository " + workspace + "/" + slug);
        }
        return repo;
    }

    /** Finds a repository by slug or {uuid}, as every Cloud path allows. */
    Repo findRepo(Workspace workspace, String slugOrUuid) {
        Repo bySlug = workspace.repositories.get(slugOrUuid);
        if (bySlug != null) {
            return bySlug;
        }
        return workspace.repositories.values().stream().filter(r -> r.uuid.equalsIgnoreCase(slugOrUuid))
                .findFirst().orElse(null);
    }

    Workspace findWorkspace(String slugOrUuid) {
        Workspace bySlug = workspaces.get(slugOrUuid);
        if (bySlug != null) {
            return bySlug;
        }
        return workspaces.values().stream().filter(w -> w.uuid.equalsIgnoreCase(slugOrUuid)).findFirst().orElse(null);
    }

    User ownerOf(Workspace workspace) {
        return workspace.owners.stream().findFirst().orElseThrow();
    }

    AccessToken issueAccessToken(OAuthConsumer consumer, User user) {
        AccessToken token = new AccessToken(randomToken(24), consumer, user, consumer.scopes(),
                now().plus(accessTokenLifetime));
        accessTokens.put(token.token(), token);
        return token;
    }

    RefreshToken issueRefreshToken(OAuthConsumer consumer, User user) {
        RefreshToken token = new RefreshToken(randomToken(16), consumer, user, consumer.scopes());
        refreshTokens.put(token.token(), token);
        return token;
    }

    /** Refs moved (REST, {@code /src} or git push): delivers {@code repo:push}. */
    void pushed(Repo repo, CloudPrincipal who, List<CloudEvents.RefMove> moves) throws IOException {
        if (moves.isEmpty()) {
            return;
        }
        repo.updatedOn = now();
        deliver(repo, "repo:push", events.push(repo, who.user(), ownerOf(repo.workspace), moves));
    }

    /** Delivers an event to every active hook that covers the repository and subscribes to the key. */
    void deliver(Repo repo, String eventKey, ObjectNode body) {
        byte[] bytes = FakeJson.bytes(body);
        String requestUuid = UUID.randomUUID().toString();
        List<Hook> hooks = new ArrayList<>(repo.hooks.values());
        hooks.addAll(repo.workspace.hooks.values());
        for (Hook hook : hooks) {
            if (!hook.active || !hook.events.contains(eventKey) || !hook.covers(repo)) {
                continue;
            }
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("X-Event-Key", eventKey);
            headers.put("X-Hook-UUID", hook.uuid.substring(1, hook.uuid.length() - 1));
            headers.put("X-Request-UUID", requestUuid);
            headers.put("User-Agent", "Bitbucket-Webhooks/2.0");
            headers.put("Content-Type", "application/json");
            sender.send(new WebhookDelivery(hook.uuid, eventKey, URI.create(hook.url), bytes, headers,
                    hook.secret));
        }
    }
}
