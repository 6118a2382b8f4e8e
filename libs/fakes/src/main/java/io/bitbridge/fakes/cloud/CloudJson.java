package io.bitbridge.fakes.cloud;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bitbridge.fakes.common.FakeJson;
import io.bitbridge.fakes.cloud.CloudModel.Hook;
import io.bitbridge.fakes.cloud.CloudModel.Repo;
import io.bitbridge.fakes.cloud.CloudModel.User;
import io.bitbridge.fakes.cloud.CloudModel.Workspace;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

/** Renders the fake's objects the way Bitbucket Cloud 2.0 does; links point back at the fake. */
final class CloudJson {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx");
    static final List<String> MERGE_STRATEGIES = List.of("merge_commit", "squash", "fast_forward",
            "squash_fast_forward", "rebase_fast_forward", "rebase_merge");

    private final String base;
    private final Function<String, User> userByEmail;

    /** @param base the fake's base URL without trailing slash; API links are {@code base + "/2.0"} */
    CloudJson(String base, Function<String, User> userByEmail) {
        this.base = base;
        this.userByEmail = userByEmail;
    }

    String api() {
        return base + "/2.0";
    }

    String web() {
        return base;
    }

    static String date(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC).format(DATE);
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static ObjectNode href(ObjectNode links, String name, String href) {
        links.putObject(name).put("href", href);
        return links;
    }

    static ObjectNode error(String message) {
        ObjectNode node = FakeJson.object().put("type", "error");
        node.putObject("error").put("message", message);
        return node;
    }

    ObjectNode user(User user) {
        ObjectNode node = FakeJson.object()
                .put("display_name", user.displayName);
        ObjectNode links = node.putObject("links");
        href(links, "self", api() + "/users/" + encode(user.uuid));
        href(links, "avatar", web() + "/account/" + user.nickname + "/avatar/");
        href(links, "html", web() + "/" + encode(user.uuid) + "/");
        node.put("type", "user").put("uuid", user.uuid).put("account_id", user.accountId)
                .put("nickname", user.nickname);
        return node;
    }

    /** {@code GET /2.0/user}: the account fields on top of the short user object. */
    ObjectNode account(User user) {
        ObjectNode node = user(user);
        node.putNull("has_2fa_enabled");
        return node.put("account_status", "active").put("is_staff", false).put("created_on", date(user.createdOn));
    }

    ObjectNode workspace(Workspace workspace) {
        ObjectNode node = FakeJson.object().put("type", "workspace").put("uuid", workspace.uuid)
                .put("name", workspace.name).put("slug", workspace.slug);
        ObjectNode links = node.putObject("links");
        href(links, "avatar", web() + "/workspaces/" + workspace.slug + "/avatar/");
        href(links, "html", web() + "/" + workspace.slug + "/");
        href(links, "self", api() + "/workspaces/" + workspace.slug);
        return node;
    }

    ObjectNode workspaceAccess(Workspace workspace, boolean administrator) {
        ObjectNode node = FakeJson.object().put("type", "workspace_access").put("administrator", administrator);
        ObjectNode ref = workspace(workspace);
        ref.put("type", "workspace_base");
        ((ObjectNode) ref.get("links")).remove("html"); // workspace_base allows avatar and self only
        node.set("workspace", ref);
        ObjectNode links = node.putObject("links");
        href(links, "self", api() + "/user/workspaces/" + workspace.slug + "/permission");
        return node;
    }

    /** Webhook bodies add a {@code self} link the API schema does not allow. */
    ObjectNode project(Workspace workspace, boolean forApi) {
        ObjectNode node = FakeJson.object().put("type", "project").put("key", workspace.projectKey)
                .put("uuid", workspace.projectUuid).put("name", workspace.projectKey);
        ObjectNode links = node.putObject("links");
        if (!forApi) {
            href(links, "self", api() + "/workspaces/" + workspace.slug + "/projects/" + workspace.projectKey);
        }
        href(links, "html", web() + "/" + workspace.slug + "/workspace/projects/" + workspace.projectKey);
        href(links, "avatar", web() + "/" + workspace.slug + "/workspace/projects/" + workspace.projectKey + "/avatar/32");
        return node;
    }

    String repoApi(Repo repo) {
        return api() + "/repositories/" + repo.fullName();
    }

    String repoWeb(Repo repo) {
        return web() + "/" + repo.fullName();
    }

    /** The short repository object used inside other objects. */
    ObjectNode repositoryRef(Repo repo) {
        ObjectNode node = FakeJson.object().put("type", "repository").put("full_name", repo.fullName());
        ObjectNode links = node.putObject("links");
        href(links, "self", repoApi(repo));
        href(links, "html", repoWeb(repo));
        href(links, "avatar", web() + "/ravatar/" + encode(repo.uuid));
        node.put("name", repo.slug).put("uuid", repo.uuid);
        return node;
    }

    /** The repository as webhook bodies carry it (woodpecker 2025 capture). */
    ObjectNode repositoryInEvent(Repo repo, User owner) {
        ObjectNode node = repositoryRef(repo);
        node.put("scm", "git").putNull("website");
        node.set("owner", user(owner));
        node.set("workspace", workspace(repo.workspace));
        node.put("is_private", true);
        node.set("project", project(repo.workspace, false));
        node.putNull("parent");
        return node;
    }

    ObjectNode repository(Repo repo, User owner, long size) {
        ObjectNode node = FakeJson.object().put("type", "repository").put("full_name", repo.fullName());
        ObjectNode links = node.putObject("links");
        href(links, "self", repoApi(repo));
        href(links, "html", repoWeb(repo));
        href(links, "avatar", web() + "/ravatar/" + encode(repo.uuid));
        href(links, "pullrequests", repoApi(repo) + "/pullrequests");
        href(links, "commits", repoApi(repo) + "/commits");
        href(links, "forks", repoApi(repo) + "/forks");
        href(links, "watchers", repoApi(repo) + "/watchers");
        href(links, "downloads", repoApi(repo) + "/downloads");
        href(links, "hooks", repoApi(repo) + "/hooks");
        // Only the links the spec's schema allows; no ssh clone link, as the fake serves git over HTTP only.
        links.putArray("clone").addObject().put("name", "https").put("href", web() + "/" + repo.fullName() + ".git");
        node.put("name", repo.slug).put("slug", repo.slug).put("description", "").put("scm", "git")
                .putNull("website");
        node.set("owner", user(owner));
        node.set("workspace", workspace(repo.workspace));
        node.put("is_private", true);
        node.set("project", project(repo.workspace, true));
        node.put("fork_policy", "no_public_forks").put("created_on", date(repo.createdOn))
                .put("updated_on", date(repo.updatedOn)).put("size", size).put("language", "")
                .put("uuid", repo.uuid);
        node.putObject("mainbranch").put("name", repo.mainBranch).put("type", "branch");
        node.put("has_issues", false).put("has_wiki", false);
        return node; // no "parent": the API sends one only for forks
    }

    ObjectNode author(PersonIdent ident) {
        ObjectNode node = FakeJson.object().put("type", "author")
                .put("raw", ident.getName() + " <" + ident.getEmailAddress() + ">");
        User user = userByEmail.apply(ident.getEmailAddress());
        if (user != null) {
            node.set("user", user(user));
        }
        return node;
    }

    ObjectNode commitRef(Repo repo, String hash) {
        ObjectNode node = FakeJson.object().put("hash", hash);
        ObjectNode links = node.putObject("links");
        href(links, "self", repoApi(repo) + "/commit/" + hash);
        href(links, "html", repoWeb(repo) + "/commits/" + hash);
        node.put("type", "commit");
        return node;
    }

    /**
     * A full commit. API responses ({@code forApi}) carry {@code repository} and follow the spec's schema;
     * webhook bodies follow the captured payloads ({@code committer: {}}, typed summary, no repository).
     */
    ObjectNode commit(Repo repo, RevCommit commit, boolean forApi) {
        return commit(repo, commit, forApi, true);
    }

    /** A ref's {@code target}: the commit with only its {@code self} and {@code html} links. */
    ObjectNode target(Repo repo, RevCommit commit, boolean forApi) {
        return commit(repo, commit, forApi, false);
    }

    private ObjectNode commit(Repo repo, RevCommit commit, boolean forApi, boolean allLinks) {
        String hash = commit.name();
        ObjectNode node = FakeJson.object().put("type", "commit").put("hash", hash)
                .put("date", date(commit.getAuthorIdent().getWhenAsInstant()));
        node.set("author", author(commit.getAuthorIdent()));
        if (!forApi) {
            node.putObject("committer"); // webhook bodies carry an empty committer; the API schema has none
        }
        node.put("message", commit.getFullMessage());
        ObjectNode summary = rendered(commit.getFullMessage());
        if (forApi) {
            summary.remove("type"); // the API's summary schema has no "type"; webhook bodies have it
        }
        node.set("summary", summary);
        ObjectNode links = node.putObject("links");
        href(links, "self", repoApi(repo) + "/commit/" + hash);
        href(links, "html", repoWeb(repo) + "/commits/" + hash);
        if (allLinks) {
            href(links, "diff", repoApi(repo) + "/diff/" + hash);
            href(links, "approve", repoApi(repo) + "/commit/" + hash + "/approve");
            href(links, "comments", repoApi(repo) + "/commit/" + hash + "/comments");
            href(links, "statuses", repoApi(repo) + "/commit/" + hash + "/statuses");
            href(links, "patch", repoApi(repo) + "/patch/" + hash);
        }
        ArrayNode parents = node.putArray("parents");
        for (RevCommit parent : commit.getParents()) {
            parents.add(commitRef(repo, parent.name()));
        }
        if (forApi) {
            node.set("repository", repositoryRef(repo));
        }
        node.putObject("rendered");
        node.putObject("properties");
        return node;
    }

    static ObjectNode rendered(String raw) {
        String firstLine = raw.lines().findFirst().orElse("");
        String html = "<p>" + firstLine.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") + "</p>";
        return FakeJson.object().put("type", "rendered").put("raw", raw).put("markup", "markdown").put("html", html);
    }

    ObjectNode branch(Repo repo, String name, RevCommit target, boolean forApi) {
        ObjectNode node = FakeJson.object().put("name", name);
        node.set("target", target(repo, target, forApi));
        ObjectNode links = node.putObject("links");
        href(links, "self", repoApi(repo) + "/refs/branches/" + name);
        href(links, "commits", repoApi(repo) + "/commits/" + name);
        href(links, "html", repoWeb(repo) + "/branch/" + name);
        if (!forApi) {
            href(links, "pullrequest_create", repoWeb(repo) + "/pull-requests/new?source=" + encode(name) + "&t=1");
        }
        node.put("type", "branch");
        ArrayNode strategies = node.putArray("merge_strategies");
        MERGE_STRATEGIES.forEach(strategies::add);
        ArrayNode sync = node.putArray("sync_strategies");
        sync.add("merge_commit").add("rebase");
        node.put("default_merge_strategy", "merge_commit");
        return node;
    }

    ObjectNode tag(Repo repo, String name, RevCommit target, org.eclipse.jgit.revwalk.RevTag annotated,
                   boolean forApi) {
        ObjectNode node = FakeJson.object().put("name", name);
        node.set("target", target(repo, target, forApi));
        ObjectNode links = node.putObject("links");
        href(links, "self", repoApi(repo) + "/refs/tags/" + name);
        href(links, "commits", repoApi(repo) + "/commits/" + name);
        href(links, "html", repoWeb(repo) + "/commits/tag/" + name);
        node.put("type", "tag");
        if (annotated != null && annotated.getTaggerIdent() != null) {
            node.put("message", annotated.getFullMessage());
            node.put("date", date(annotated.getTaggerIdent().getWhenAsInstant()));
            node.set("tagger", author(annotated.getTaggerIdent()));
        } else {
            node.putNull("message").putNull("date").putNull("tagger");
        }
        return node;
    }

    ObjectNode hook(Hook hook) {
        ObjectNode node = FakeJson.object().put("type", "webhook_subscription").put("uuid", hook.uuid)
                .put("url", hook.url).put("description", hook.description)
                .put("subject_type", hook.repo == null ? "workspace" : "repository");
        node.set("subject", hook.repo == null ? workspace(hook.workspace) : repositoryRef(hook.repo));
        node.put("active", hook.active).put("created_at", date(hook.createdAt));
        ArrayNode events = node.putArray("events");
        hook.events.forEach(events::add);
        node.put("secret_set", hook.secret != null)
                .put("skip_cert_verification", hook.skipCertVerification)
                .put("history_enabled", hook.historyEnabled);
        ObjectNode links = node.putObject("links");
        href(links, "self", (hook.repo == null ? api() + "/workspaces/" + hook.workspace.slug : repoApi(hook.repo))
                + "/hooks/" + encode(hook.uuid));
        return node;
    }

    ObjectNode status(Repo repo, String hash, CloudModel.CommitStatus status) {
        ObjectNode node = FakeJson.object().put("type", "commitstatus").put("key", status.key)
                .put("state", status.state).put("name", status.name).put("description", status.description)
                .put("url", status.url).put("uuid", status.uuid)
                .put("created_on", date(status.createdOn)).put("updated_on", date(status.updatedOn));
        if (status.refname != null) {
            node.put("refname", status.refname);
        }
        ObjectNode links = node.putObject("links");
        href(links, "self", repoApi(repo) + "/commit/" + hash + "/statuses/build/" + encode(status.key));
        href(links, "commit", repoApi(repo) + "/commit/" + hash);
        node.set("commit", commitRef(repo, hash));
        return node;
    }

    static ArrayNode array(Collection<ObjectNode> items) {
        ArrayNode array = FakeJson.array();
        items.forEach(array::add);
        return array;
    }
}
