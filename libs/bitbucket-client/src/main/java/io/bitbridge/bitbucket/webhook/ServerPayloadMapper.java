package io.bitbridge.bitbucket.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.bitbridge.bitbucket.server.ServerWebhookEvents;
import io.bitbridge.events.Commit;
import io.bitbridge.events.Person;
import io.bitbridge.events.Provider;
import io.bitbridge.events.PullRequest;
import io.bitbridge.events.PullRequestEvent;
import io.bitbridge.events.PullRequestState;
import io.bitbridge.events.PushEvent;
import io.bitbridge.events.RefChange;
import io.bitbridge.events.RefType;
import io.bitbridge.bitbucket.webhook.HookScope;
import io.bitbridge.events.RepositoryRef;
import io.bitbridge.events.ReviewStatus;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.bitbridge.bitbucket.webhook.JsonFields.at;
import static io.bitbridge.bitbucket.webhook.JsonFields.flag;
import static io.bitbridge.bitbucket.webhook.JsonFields.hashOrNull;
import static io.bitbridge.events.RepositoryRef.hostOf;
import static io.bitbridge.bitbucket.webhook.JsonFields.number;
import static io.bitbridge.bitbucket.webhook.JsonFields.objects;
import static io.bitbridge.bitbucket.webhook.JsonFields.pathSegments;
import static io.bitbridge.bitbucket.webhook.JsonFields.text;

/**
 * Bitbucket Server / Data Center webhook bodies ({@code repo:refs_changed}, {@code pr:*}) to the neutral events.
 * Older servers send no commits; Data Center adds {@code commits[]} and {@code toCommit}. Hashes of forty
 * zeros mean "no commit" (ref created or deleted). Dates come in three forms (see {@link Dates}).
 */
public class ServerPayloadMapper implements PayloadMapper {
    /**
     * Used only when neither the credential nor the body names the server's host; never guessed otherwise. The
     * credential's base URL comes first: older servers send pull-request bodies without any link, and a
     * repository must keep one key (one partition, one order) across its pushes and pull requests.
     */
    static final String UNKNOWN_HOST = "unknown-host";

    @Override
    public Provider provider() {
        return Provider.BITBUCKET_SERVER;
    }

    @Override
    public NormalisedEvent map(DeliveryContext delivery, JsonNode body) {
        Person actor = person(at(body, "actor"));
        String knownHost = delivery.serverHost();
        // Links are parsed for a host only when the credential did not name it (the usual case names it).
        String actorHost = knownHost != null ? null : hostOf(text(at(body, "actor", "links", "self").path(0), "href"));
        if (ServerWebhookEvents.KEYS.isPush(delivery.eventKey())) {
            RepositoryRef repository = repository(at(body, "repository"), knownHost, actorHost);
            if (!at(body, "changes").isArray()) {
                throw new PayloadInvalidException("repo:refs_changed needs changes[]");
            }
            List<RefChange> changes = new ArrayList<>();
            for (JsonNode change : objects(body, "changes")) {
                changes.add(refChange(change));
            }
            changes = withDeliveredCommits(changes, deliveredCommits(body));
            return NormalisedEvent.of(new PushEvent(delivery.deliveryId(), delivery.attempt(), provider(), delivery.credentialId(),
                    delivery.eventKey(), repository, actor, changes, delivery.receivedAt()));
        }
        JsonNode pr = at(body, "pullRequest");
        if (!pr.isObject()) {
            throw new PayloadInvalidException(delivery.eventKey() + " needs a pullRequest object");
        }
        String hostHint = knownHost != null ? null : firstNonNull(hostOf(text(at(pr, "links", "self").path(0), "href")), actorHost);
        RepositoryRef repository = repository(at(pr, "toRef", "repository"), knownHost, hostHint);
        return NormalisedEvent.of(new PullRequestEvent(delivery.deliveryId(), delivery.attempt(), provider(),
                delivery.credentialId(), delivery.eventKey(), ServerWebhookEvents.KEYS.action(delivery.eventKey()), repository, actor,
                pullRequest(pr, repository.host()), delivery.receivedAt()));
    }

    /**
     * The repository a body names: of a push ({@code repository}), of a pull request (its target,
     * {@code pullRequest.toRef.repository}), or of a rename ({@code old}, then {@code new}: the hook was set up under
     * the old name).
     */
    @Override
    public List<HookScope> hookScopes(JsonNode body) {
        List<HookScope> scopes = new ArrayList<>(4);
        for (JsonNode repo : List.of(at(body, "repository"), at(body, "pullRequest", "toRef", "repository"), at(body, "old"), at(body, "new"))) {
            if (!repo.isObject()) {
                continue;
            }
            try {
                RepositoryRef repository = repository(repo, UNKNOWN_HOST, null);
                HookScope.candidates(repository.owner(), repository.slug()).stream()
                        .filter(scope -> !scopes.contains(scope)).forEach(scopes::add);
            } catch (PayloadInvalidException e) {
                // names no repository: the next candidate may
            }
        }
        return scopes;
    }

    /**
     * Project key and slug from {@code project.key} / {@code slug}, else from the self or clone links
     * ({@code /projects/KEY/repos/slug}, {@code /users/name/repos/slug}, {@code /scm/KEY/slug.git}).
     * The host is the credential's ({@code knownHost}) when known, else the one those links name, else the hint.
     */
    static RepositoryRef repository(JsonNode repo, String knownHost, String hostHint) {
        if (!repo.isObject()) {
            throw new PayloadInvalidException("a repository object is required");
        }
        String selfUrl = text(at(repo, "links", "self").path(0), "href");
        List<RepositoryRef.CloneUrl> clones = new ArrayList<>();
        String httpClone = null;
        for (JsonNode clone : objects(repo, "links", "clone")) {
            String href = text(clone, "href");
            String name = text(clone, "name");
            if (href != null && name != null) {
                clones.add(new RepositoryRef.CloneUrl(name, href));
                if (name.toLowerCase(Locale.ROOT).startsWith("http")) {
                    httpClone = href;
                }
            }
        }
        String owner = text(repo, "project", "key");
        String slug = text(repo, "slug");
        if (owner == null || slug == null) {
            String[] fromLinks = ownerAndSlugFromLinks(selfUrl, httpClone);
            if (fromLinks == null) {
                throw new PayloadInvalidException("repository needs project.key and slug, or links naming them");
            }
            owner = owner == null ? fromLinks[0] : owner;
            slug = slug == null ? fromLinks[1] : slug;
        }
        String host = knownHost != null ? knownHost : firstNonNull(hostOf(selfUrl), hostOf(httpClone), hostHint, UNKNOWN_HOST);
        String htmlUrl = selfUrl;
        return RepositoryRef.of(Provider.BITBUCKET_SERVER, host, owner, slug, text(repo, "name"), htmlUrl, clones);
    }

    private static String[] ownerAndSlugFromLinks(String selfUrl, String httpClone) {
        List<String> self = pathSegments(selfUrl);
        for (int i = 0; i + 3 < self.size(); i++) {
            if (self.get(i + 2).equals("repos") && (self.get(i).equals("projects") || self.get(i).equals("users"))) {
                String owner = self.get(i).equals("users") ? "~" + self.get(i + 1) : self.get(i + 1);
                return new String[] {owner, self.get(i + 3)};
            }
        }
        List<String> clone = pathSegments(httpClone);
        int scm = clone.indexOf("scm");
        if (scm >= 0 && scm + 2 < clone.size()) {
            String slug = clone.get(scm + 2);
            return new String[] {clone.get(scm + 1), slug.endsWith(".git") ? slug.substring(0, slug.length() - 4) : slug};
        }
        return null;
    }

    private static String firstNonNull(String... values) {
        for (String value : values) {
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    static Person person(JsonNode user) {
        if (!user.isObject()) {
            return Person.unknown();
        }
        return new Person(text(user, "displayName"), text(user, "name"), text(user, "emailAddress"), text(user, "id"), null);
    }

    /** Data Center's {@code commits[]} (newest first), or just {@code toCommit}; empty for older servers. */
    private static List<Commit> deliveredCommits(JsonNode body) {
        List<Commit> commits = new ArrayList<>();
        for (JsonNode commit : objects(body, "commits")) {
            commits.add(commit(commit));
        }
        if (commits.isEmpty() && at(body, "toCommit").isObject()) {
            commits.add(commit(at(body, "toCommit")));
        }
        return commits;
    }

    static Commit commit(JsonNode commit) {
        String hash = text(commit, "id");
        if (hash == null) {
            throw new PayloadInvalidException("every delivered commit needs an id");
        }
        List<String> parents = objects(commit, "parents").stream().map(p -> text(p, "id")).filter(h -> h != null).toList();
        return new Commit(hash, text(commit, "message"), person(at(commit, "author")), Dates.parse(at(commit, "authorTimestamp")),
                parents, List.of());
    }

    /**
     * Data Center's commits belong to one ref: the change whose new hash is the newest of them, a branch
     * before a tag at the same commit. Server does not say more, so no other change gets them.
     */
    private static List<RefChange> withDeliveredCommits(List<RefChange> changes, List<Commit> delivered) {
        if (delivered.isEmpty()) {
            return changes;
        }
        String head = delivered.get(0).hash();
        int owner = -1;
        for (int i = 0; i < changes.size(); i++) {
            RefChange change = changes.get(i);
            if (head.equals(change.newHash()) && (owner < 0 || change.refType() == RefType.BRANCH && changes.get(owner).refType() != RefType.BRANCH)) {
                owner = i;
            }
        }
        if (owner < 0) {
            return changes;
        }
        List<RefChange> result = new ArrayList<>(changes);
        RefChange c = changes.get(owner);
        result.set(owner, new RefChange(c.refType(), c.refName(), c.oldHash(), c.newHash(), c.created(), c.deleted(), c.forced(),
                delivered, c.truncated(), c.commitsComplete()));
        return result;
    }

    /** One changed ref, without commits (see {@link #withDeliveredCommits}). */
    static RefChange refChange(JsonNode change) {
        String refId = text(change, "ref", "id");
        if (refId == null) {
            refId = text(change, "refId");
        }
        String name = text(change, "ref", "displayId");
        if (name == null && refId != null) {
            name = refId.replaceFirst("^refs/(heads|tags)/", "");
        }
        if (name == null) {
            throw new PayloadInvalidException("every change needs ref.displayId, ref.id or refId");
        }
        String oldHash = hashOrNull(text(change, "fromHash"));
        String newHash = hashOrNull(text(change, "toHash"));
        String type = text(change, "type");
        boolean created = "ADD".equalsIgnoreCase(type) || (type == null && oldHash == null && newHash != null);
        boolean deleted = "DELETE".equalsIgnoreCase(type) || (type == null && newHash == null && oldHash != null);
        // Server says nothing about force pushes or truncation: false is "not reported", and
        // commitsComplete=false tells consumers only the REST API has the full list.
        return new RefChange(refType(text(change, "ref", "type"), refId), name, oldHash, newHash, created, deleted, false,
                List.of(), false, false);
    }

    static RefType refType(String type, String refId) {
        if (type != null) {
            return switch (type.toUpperCase(Locale.ROOT)) {
                case "BRANCH" -> RefType.BRANCH;
                case "TAG" -> RefType.TAG;
                default -> RefType.UNKNOWN;
            };
        }
        if (refId != null && refId.startsWith("refs/heads/")) {
            return RefType.BRANCH;
        }
        return refId != null && refId.startsWith("refs/tags/") ? RefType.TAG : RefType.UNKNOWN;
    }

    static PullRequest pullRequest(JsonNode pr, String host) {
        Long id = number(pr, "id");
        if (id == null) {
            throw new PayloadInvalidException("pullRequest.id is required");
        }
        String rawState = text(pr, "state");
        List<PullRequest.Reviewer> reviewers = objects(pr, "reviewers").stream()
                .map(r -> new PullRequest.Reviewer(person(at(r, "user")), reviewStatus(text(r, "status"), flag(r, "approved")),
                        flag(r, "approved")))
                .toList();
        String mergeCommit = text(pr, "properties", "mergeCommit", "id");
        return new PullRequest(id, text(pr, "title"), text(pr, "description"), state(rawState, flag(pr, "draft")), rawState,
                person(at(pr, "author", "user")), endpoint(at(pr, "fromRef"), host), endpoint(at(pr, "toRef"), host),
                mergeCommit, reviewers, Dates.parse(at(pr, "createdDate")), Dates.parse(at(pr, "updatedDate")));
    }

    static PullRequestState state(String rawState, boolean draft) {
        if (rawState == null) {
            return PullRequestState.UNKNOWN;
        }
        return switch (rawState.toUpperCase(Locale.ROOT)) {
            case "OPEN" -> draft ? PullRequestState.DRAFT : PullRequestState.OPEN;
            case "MERGED" -> PullRequestState.MERGED;
            case "DECLINED" -> PullRequestState.DECLINED;
            default -> PullRequestState.UNKNOWN;
        };
    }

    static ReviewStatus reviewStatus(String status, boolean approved) {
        if (status == null) {
            return approved ? ReviewStatus.APPROVED : ReviewStatus.UNKNOWN;
        }
        return switch (status.toUpperCase(Locale.ROOT)) {
            case "APPROVED" -> ReviewStatus.APPROVED;
            case "NEEDS_WORK" -> ReviewStatus.CHANGES_REQUESTED;
            case "UNAPPROVED" -> ReviewStatus.UNAPPROVED;
            default -> ReviewStatus.UNKNOWN;
        };
    }

    private static PullRequest.Endpoint endpoint(JsonNode ref, String host) {
        if (!ref.isObject()) {
            return new PullRequest.Endpoint(null, null, null);
        }
        String repositoryKey = null;
        if (at(ref, "repository").isObject()) {
            try {
                repositoryKey = repository(at(ref, "repository"), host, null).key(); // same server as the target
            } catch (PayloadInvalidException e) {
                // A fork described without project or links stays unnamed rather than failing the delivery.
                repositoryKey = null;
            }
        }
        String branch = text(ref, "displayId");
        if (branch == null && text(ref, "id") != null) {
            branch = text(ref, "id").replaceFirst("^refs/heads/", "");
        }
        return new PullRequest.Endpoint(repositoryKey, branch, text(ref, "latestCommit"));
    }
}
