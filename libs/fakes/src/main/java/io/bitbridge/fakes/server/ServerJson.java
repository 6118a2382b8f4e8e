package io.bitbridge.fakes.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bitbridge.fakes.common.FakeJson;
import io.bitbridge.fakes.common.FakeResponse;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;

/** Renders the Server fake's objects the way Bitbucket Data Center's REST API and webhooks do. */
final class ServerJson {

    /** Webhook dates look like {@code 2018-07-05T19:21:30+0000} (offset without a colon). */
    static final DateTimeFormatter EVENT_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssZ", Locale.ROOT);
    private static final int MAX_LIMIT = 1000;

    private final String baseUrl;
    private final ServerModel model;

    ServerJson(String baseUrl, ServerModel model) {
        this.baseUrl = baseUrl;
        this.model = model;
    }

    static String eventDate() {
        return OffsetDateTime.now(ZoneOffset.UTC).format(EVENT_DATE);
    }

    ObjectNode user(ServerUser user) {
        ObjectNode node = FakeJson.object()
                .put("name", user.name())
                .put("emailAddress", user.emailAddress())
                .put("active", true)
                .put("displayName", user.displayName())
                .put("id", user.id())
                .put("slug", user.slug())
                .put("type", "NORMAL");
        node.set("links", selfLink(baseUrl + "/users/" + user.slug()));
        return node;
    }

    ObjectNode project(ServerProject project) {
        ObjectNode node = FakeJson.object()
                .put("key", project.key())
                .put("id", project.id())
                .put("name", project.name());
        if (project.description() != null) {
            node.put("description", project.description());
        }
        node.put("public", project.isPublic()).put("type", project.type());
        if (project.isPersonal()) {
            node.set("owner", user(project.owner()));
            node.set("links", selfLink(baseUrl + "/users/" + project.owner().slug()));
        } else {
            node.set("links", selfLink(baseUrl + "/projects/" + project.key()));
        }
        return node;
    }

    String httpCloneUrl(ServerRepository repository) {
        return baseUrl + "/scm/" + repository.project().key().toLowerCase(Locale.ROOT) + "/" + repository.slug() + ".git";
    }

    ObjectNode repository(ServerRepository repository) {
        ObjectNode node = FakeJson.object()
                .put("slug", repository.slug())
                .put("id", repository.id())
                .put("name", repository.name())
                .put("hierarchyId", String.format(Locale.ROOT, "%020x", repository.id()));
        if (repository.description() != null) {
            node.put("description", repository.description());
        }
        node.put("scmId", "git")
                .put("state", "AVAILABLE")
                .put("statusMessage", "Available")
                .put("forkable", true)
                .put("archived", false);
        node.set("project", project(repository.project()));
        node.put("public", repository.isPublic());
        ObjectNode links = node.putObject("links");
        ArrayNode clone = links.putArray("clone");
        clone.addObject().put("href", httpCloneUrl(repository)).put("name", "http");
        clone.addObject().put("href", "ssh://git@" + host() + ":7999/" + repository.project().key().toLowerCase(Locale.ROOT)
                + "/" + repository.slug() + ".git").put("name", "ssh");
        String browse = repository.project().isPersonal()
                ? baseUrl + "/users/" + repository.project().owner().slug() + "/repos/" + repository.slug() + "/browse"
                : baseUrl + "/projects/" + repository.project().key() + "/repos/" + repository.slug() + "/browse";
        links.putArray("self").addObject().put("href", browse);
        return node;
    }

    private String host() {
        return baseUrl.replaceFirst("^https?://", "").replaceFirst(":\\d+$", "").replaceFirst("/.*$", "");
    }

    /** A commit author: the full user when the e-mail belongs to one (as DC does), else just name and e-mail. */
    ObjectNode person(PersonIdent ident) {
        return model.userByEmail(ident.getEmailAddress()).map(this::user)
                .orElseGet(() -> FakeJson.object().put("name", ident.getName()).put("emailAddress", ident.getEmailAddress()));
    }

    static ObjectNode minimalCommit(RevCommit commit) {
        return FakeJson.object().put("id", commit.name()).put("displayId", commit.abbreviate(11).name());
    }

    /** RestCommit. */
    ObjectNode commit(RevCommit commit) {
        ObjectNode node = FakeJson.object()
                .put("id", commit.name())
                .put("displayId", commit.abbreviate(11).name());
        node.set("author", person(commit.getAuthorIdent()));
        node.put("authorTimestamp", commit.getAuthorIdent().getWhenAsInstant().toEpochMilli());
        node.set("committer", person(commit.getCommitterIdent()));
        node.put("committerTimestamp", commit.getCommitterIdent().getWhenAsInstant().toEpochMilli());
        node.put("message", commit.getFullMessage());
        ArrayNode parents = node.putArray("parents");
        for (RevCommit parent : commit.getParents()) {
            parents.add(minimalCommit(parent));
        }
        return node;
    }

    static ObjectNode path(String path) {
        ObjectNode node = FakeJson.object();
        ArrayNode components = node.putArray("components");
        for (String part : path.split("/")) {
            components.add(part);
        }
        int slash = path.lastIndexOf('/');
        String name = path.substring(slash + 1);
        node.put("parent", slash < 0 ? "" : path.substring(0, slash)).put("name", name);
        int dot = name.lastIndexOf('.');
        if (dot > 0) {
            node.put("extension", name.substring(dot + 1));
        }
        node.put("toString", path);
        return node;
    }

    /** RestChange from a tree diff. */
    static ObjectNode change(DiffEntry entry) {
        boolean deleted = entry.getChangeType() == DiffEntry.ChangeType.DELETE;
        ObjectNode node = FakeJson.object()
                .put("contentId", deleted ? ServerGit.ZERO : entry.getNewId().name());
        if (entry.getChangeType() != DiffEntry.ChangeType.ADD) {
            node.put("fromContentId", entry.getOldId().name());
        }
        node.set("path", path(deleted ? entry.getOldPath() : entry.getNewPath()));
        if (entry.getChangeType() == DiffEntry.ChangeType.RENAME || entry.getChangeType() == DiffEntry.ChangeType.COPY) {
            node.set("srcPath", path(entry.getOldPath()));
        }
        node.put("executable", (deleted ? entry.getOldMode() : entry.getNewMode()) == FileMode.EXECUTABLE_FILE);
        node.put("percentUnchanged", -1);
        node.put("type", switch (entry.getChangeType()) {
            case ADD -> "ADD";
            case DELETE -> "DELETE";
            case MODIFY -> "MODIFY";
            case RENAME -> "MOVE";
            case COPY -> "COPY";
        });
        node.put("nodeType", "FILE");
        node.put("srcExecutable", entry.getOldMode() == FileMode.EXECUTABLE_FILE);
        return node;
    }

    /** RestBranch. */
    static ObjectNode branch(Ref ref, boolean isDefault) {
        return FakeJson.object()
                .put("id", ref.getName())
                .put("displayId", Repository.shortenRefName(ref.getName()))
                .put("type", "BRANCH")
                .put("latestCommit", ref.getObjectId().name())
                .put("latestChangeset", ref.getObjectId().name())
                .put("isDefault", isDefault);
    }

    static ObjectNode webhook(ServerWebhook webhook, String scopeType) {
        ObjectNode node = FakeJson.object()
                .put("id", webhook.id())
                .put("name", webhook.name())
                .put("createdDate", webhook.createdDate())
                .put("updatedDate", webhook.updatedDate());
        ArrayNode events = node.putArray("events");
        webhook.events().forEach(events::add);
        ObjectNode configuration = node.putObject("configuration");
        webhook.configuration().forEach(configuration::put);
        node.put("url", webhook.url())
                .put("active", webhook.active())
                .put("scopeType", scopeType)
                .put("sslVerificationRequired", webhook.sslVerificationRequired());
        if (webhook.credentialsUsername() != null) {
            // Bitbucket never echoes the receiver password.
            node.putObject("credentials").put("username", webhook.credentialsUsername());
        }
        return node;
    }

    /** {@code {"errors":[{context,message,exceptionName}]}} as a response. */
    static FakeResponse error(int status, String context, String message, String exceptionName) {
        ObjectNode body = FakeJson.object();
        ObjectNode error = body.putArray("errors").addObject();
        if (context == null) {
            error.putNull("context");
        } else {
            error.put("context", context);
        }
        error.put("message", message).put("exceptionName", exceptionName);
        return FakeResponse.json(status, body);
    }

    /**
     * A page in DC's envelope. {@code start}/{@code limit} come from the query (default 0/25, limit capped at 1000);
     * {@code nextPageStart} only appears when more values follow.
     */
    static <T> ObjectNode page(List<T> all, int start, int limit, Function<T, JsonNode> render) {
        int effectiveLimit = Math.max(1, Math.min(limit, MAX_LIMIT));
        int from = Math.min(Math.max(start, 0), all.size());
        int to = Math.min(from + effectiveLimit, all.size());
        ObjectNode page = FakeJson.object()
                .put("size", to - from)
                .put("limit", effectiveLimit)
                .put("isLastPage", to >= all.size())
                .put("start", from);
        ArrayNode values = page.putArray("values");
        all.subList(from, to).forEach(v -> values.add(render.apply(v)));
        if (to < all.size()) {
            page.put("nextPageStart", to);
        }
        return page;
    }

    private static ObjectNode selfLink(String href) {
        ObjectNode links = FakeJson.object();
        links.putArray("self").addObject().put("href", href);
        return links;
    }
}
