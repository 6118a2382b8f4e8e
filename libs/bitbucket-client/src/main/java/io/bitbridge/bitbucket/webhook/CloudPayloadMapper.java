package io.bitbridge.bitbucket.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.bitbridge.bitbucket.cloud.CloudWebhookEvents;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.bitbridge.bitbucket.webhook.JsonFields.at;
import static io.bitbridge.bitbucket.webhook.JsonFields.bool;
import static io.bitbridge.bitbucket.webhook.JsonFields.emailOfRaw;
import static io.bitbridge.bitbucket.webhook.JsonFields.flag;
import static io.bitbridge.bitbucket.webhook.JsonFields.isObject;
import static io.bitbridge.bitbucket.webhook.JsonFields.nameOfRaw;
import static io.bitbridge.bitbucket.webhook.JsonFields.objects;
import static io.bitbridge.bitbucket.webhook.JsonFields.pathSegments;
import static io.bitbridge.bitbucket.webhook.JsonFields.text;

/**
 * Bitbucket Cloud 2.0 webhook bodies ({@code repo:push}, {@code pullrequest:*}) to the neutral events.
 * User objects drift across years ({@code username}, then {@code nickname} + {@code account_id}; authors with
 * only {@code raw}); every form is read, none is required beyond what identifies the repository and refs.
 */
public class CloudPayloadMapper implements PayloadMapper {
    /**
     * Bitbucket Cloud is one service, so every Cloud repository key names this host, whatever host a body's links
     * happen to carry (some payloads link to api.bitbucket.org, the sandbox fake to itself): links are carried in
     * the event, they never change a repository's identity.
     */
    static final String CLOUD_HOST = "bitbucket.org";

    @Override
    public Provider provider() {
        return Provider.BITBUCKET_CLOUD;
    }

    @Override
    public NormalisedEvent map(DeliveryContext delivery, JsonNode body) {
        RepositoryRef repository = repository(at(body, "repository"));
        Person actor = person(at(body, "actor"));
        if (CloudWebhookEvents.KEYS.isPush(delivery.eventKey())) {
            if (!at(body, "push", "changes").isArray()) {
                throw new PayloadInvalidException("repo:push needs push.changes[]");
            }
            List<RefChange> changes = new ArrayList<>();
            for (JsonNode change : objects(body, "push", "changes")) {
                changes.add(refChange(change));
            }
            return NormalisedEvent.of(new PushEvent(delivery.deliveryId(), delivery.attempt(), provider(), delivery.credentialId(),
                    delivery.eventKey(), repository, actor, changes, delivery.receivedAt()));
        }
        JsonNode pr = at(body, "pullrequest");
        if (!pr.isObject()) {
            throw new PayloadInvalidException(delivery.eventKey() + " needs a pullrequest object");
        }
        return NormalisedEvent.of(new PullRequestEvent(delivery.deliveryId(), delivery.attempt(), provider(),
                delivery.credentialId(), delivery.eventKey(), CloudWebhookEvents.KEYS.action(delivery.eventKey()), repository, actor,
                pullRequest(pr), delivery.receivedAt()));
    }

    @Override
    public List<HookScope> hookScopes(JsonNode body) {
        try {
            RepositoryRef repository = repository(at(body, "repository"));
            return HookScope.candidates(repository.owner(), repository.slug());
        } catch (PayloadInvalidException e) {
            return List.of();
        }
    }

    static RepositoryRef repository(JsonNode repo) {
        if (!repo.isObject()) {
            throw new PayloadInvalidException("a repository object is required");
        }
        String htmlUrl = text(repo, "links", "html", "href");
        String[] ownerAndSlug = ownerAndSlug(repo, htmlUrl);
        if (ownerAndSlug == null) {
            throw new PayloadInvalidException("repository needs full_name (workspace/slug) or an html link");
        }
        List<RepositoryRef.CloneUrl> clones = new ArrayList<>();
        for (JsonNode clone : objects(repo, "links", "clone")) {
            String href = text(clone, "href");
            String name = text(clone, "name");
            if (href != null && name != null) {
                clones.add(new RepositoryRef.CloneUrl(name, href));
            }
        }
        return RepositoryRef.of(Provider.BITBUCKET_CLOUD, CLOUD_HOST, ownerAndSlug[0], ownerAndSlug[1],
                text(repo, "name"), htmlUrl, clones);
    }

    /** Workspace and slug from {@code full_name}, else from the html link's path; null when neither says. */
    private static String[] ownerAndSlug(JsonNode repo, String htmlUrl) {
        String fullName = text(repo, "full_name");
        if (fullName != null) {
            int slash = fullName.indexOf('/');
            if (slash > 0 && slash < fullName.length() - 1 && fullName.indexOf('/', slash + 1) < 0) {
                return new String[] {fullName.substring(0, slash), fullName.substring(slash + 1)};
            }
        }
        List<String> segments = pathSegments(htmlUrl);
        if (segments.size() >= 2) {
            return new String[] {segments.get(0), segments.get(1)};
        }
        return null;
    }

    static Person person(JsonNode user) {
        if (!user.isObject()) {
            return Person.unknown();
        }
        String username = text(user, "username");
        // Older payloads carry only a uuid: that is not an account id, and putting it there would give one user two ids.
        return new Person(text(user, "display_name"), username != null ? username : text(user, "nickname"), null,
                text(user, "account_id"), null);
    }

    /** A commit author: {@code raw} ("Name <email>") and, when Bitbucket could match it, a {@code user}. */
    static Person author(JsonNode author) {
        if (!author.isObject()) {
            return Person.unknown();
        }
        String raw = text(author, "raw");
        Person user = person(at(author, "user"));
        String displayName = user.displayName() != null ? user.displayName() : nameOfRaw(raw);
        return new Person(displayName, user.username(), emailOfRaw(raw), user.accountId(), raw);
    }

    static RefChange refChange(JsonNode change) {
        JsonNode newRef = at(change, "new");
        JsonNode oldRef = at(change, "old");
        boolean hasNew = newRef.isObject() && !newRef.isEmpty();
        boolean hasOld = oldRef.isObject() && !oldRef.isEmpty();
        JsonNode ref = hasNew ? newRef : oldRef;
        String name = text(ref, "name");
        if (name == null) {
            name = hasNew ? text(oldRef, "name") : null;
        }
        if (name == null) {
            throw new PayloadInvalidException("every push change needs new.name or old.name");
        }
        Boolean created = bool(change, "created");
        Boolean closed = bool(change, "closed");
        List<Commit> commits = objects(change, "commits").stream().map(CloudPayloadMapper::commit).toList();
        return new RefChange(refType(text(ref, "type")), name, text(oldRef, "target", "hash"), text(newRef, "target", "hash"),
                created != null ? created : hasNew && !hasOld, closed != null ? closed : hasOld && !hasNew,
                flag(change, "forced"), commits, flag(change, "truncated"), false);
    }

    static RefType refType(String type) {
        if (type == null) {
            return RefType.UNKNOWN;
        }
        return switch (type.toLowerCase(Locale.ROOT)) {
            case "branch", "named_branch" -> RefType.BRANCH;
            case "tag", "annotated_tag" -> RefType.TAG;
            default -> RefType.UNKNOWN;
        };
    }

    static Commit commit(JsonNode commit) {
        String hash = text(commit, "hash");
        if (hash == null) {
            throw new PayloadInvalidException("every pushed commit needs a hash");
        }
        List<String> parents = objects(commit, "parents").stream().map(p -> text(p, "hash")).filter(h -> h != null).toList();
        return new Commit(hash, text(commit, "message"), author(at(commit, "author")), Dates.parse(at(commit, "date")),
                parents, List.of());
    }

    static PullRequest pullRequest(JsonNode pr) {
        Long id = JsonFields.number(pr, "id");
        if (id == null) {
            throw new PayloadInvalidException("pullrequest.id is required");
        }
        String rawState = text(pr, "state");
        List<PullRequest.Reviewer> reviewers = reviewers(pr);
        return new PullRequest(id, text(pr, "title"), text(pr, "description"), state(rawState, flag(pr, "draft")), rawState,
                person(at(pr, "author")), endpoint(at(pr, "source")), endpoint(at(pr, "destination")),
                text(pr, "merge_commit", "hash"), reviewers, Dates.parse(at(pr, "created_on")), Dates.parse(at(pr, "updated_on")));
    }

    static PullRequestState state(String rawState, boolean draft) {
        if (rawState == null) {
            return PullRequestState.UNKNOWN;
        }
        return switch (rawState.toUpperCase(Locale.ROOT)) {
            case "OPEN" -> draft ? PullRequestState.DRAFT : PullRequestState.OPEN;
            case "MERGED" -> PullRequestState.MERGED;
            case "DECLINED" -> PullRequestState.DECLINED;
            case "SUPERSEDED" -> PullRequestState.SUPERSEDED;
            default -> PullRequestState.UNKNOWN;
        };
    }

    private static PullRequest.Endpoint endpoint(JsonNode side) {
        if (!side.isObject()) {
            return new PullRequest.Endpoint(null, null, null);
        }
        String repositoryKey = null;
        if (isObject(side, "repository")) {
            try {
                repositoryKey = repository(at(side, "repository")).key();
            } catch (PayloadInvalidException e) {
                // A fork Bitbucket describes without a name stays unnamed rather than failing the delivery.
                repositoryKey = null;
            }
        }
        return new PullRequest.Endpoint(repositoryKey, text(side, "branch", "name"), text(side, "commit", "hash"));
    }

    /**
     * Reviewers with their review state. {@code participants} carry the state; {@code reviewers} lists who
     * was asked. Both are merged by account, so a reviewer who has not acted yet still appears.
     */
    private static List<PullRequest.Reviewer> reviewers(JsonNode pr) {
        Map<String, PullRequest.Reviewer> byIdentity = new LinkedHashMap<>();
        for (JsonNode participant : objects(pr, "participants")) {
            boolean approved = flag(participant, "approved");
            String state = text(participant, "state");
            boolean isReviewer = "REVIEWER".equalsIgnoreCase(text(participant, "role"));
            if (!isReviewer && !approved && state == null) {
                continue; // a commenter, not a reviewer
            }
            Person person = person(at(participant, "user"));
            byIdentity.put(identity(person, byIdentity.size()), new PullRequest.Reviewer(person, reviewStatus(state, approved), approved));
        }
        for (JsonNode reviewer : objects(pr, "reviewers")) {
            Person person = person(reviewer);
            byIdentity.putIfAbsent(identity(person, byIdentity.size()),
                    new PullRequest.Reviewer(person, ReviewStatus.UNAPPROVED, false));
        }
        return List.copyOf(byIdentity.values());
    }

    private static String identity(Person person, int position) {
        if (person.accountId() != null) {
            return person.accountId();
        }
        return person.username() != null ? person.username() : "#" + position;
    }

    static ReviewStatus reviewStatus(String state, boolean approved) {
        if (state != null) {
            return switch (state.toLowerCase(Locale.ROOT)) {
                case "approved" -> ReviewStatus.APPROVED;
                case "changes_requested" -> ReviewStatus.CHANGES_REQUESTED;
                default -> ReviewStatus.UNKNOWN;
            };
        }
        return approved ? ReviewStatus.APPROVED : ReviewStatus.UNAPPROVED;
    }
}
