package io.bitbridge.tracker.service;

import io.bitbridge.events.Commit;
import io.bitbridge.events.PullRequest;
import io.bitbridge.events.PullRequestEvent;
import io.bitbridge.events.PushEvent;
import io.bitbridge.events.RefChange;
import io.bitbridge.events.RefType;
import io.bitbridge.events.TaskLinkEvent.Target;
import io.bitbridge.tracker.config.TrackerConfig;
import io.bitbridge.tracker.repository.HistoryWriter;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** The task links an event carries: keys in commit messages, branch names and pull-request titles and descriptions. */
@ApplicationScoped
public class LinkFinder {
    private final TaskKeys keys;

    LinkFinder(TrackerConfig config) {
        Map<String, Set<String>> perRepository = new LinkedHashMap<>();
        config.taskKeys().repositories().forEach((repository, projects) -> perRepository.put(repository, Set.copyOf(projects)));
        this.keys = new TaskKeys(Set.copyOf(config.taskKeys().projects().orElse(List.of())), perRepository);
    }

    public List<TaskLink> inPush(PushEvent push) {
        String repo = push.repository().key();
        List<TaskLink> links = new ArrayList<>();
        Set<String> commitsSeen = new HashSet<>();
        for (RefChange change : push.changes()) {
            if (change.refType() != RefType.BRANCH) {
                continue;
            }
            for (String key : keys.find(repo, change.refName())) {
                links.add(TaskLink.of(key, Target.BRANCH, repo, change.refName(), TaskLink.FoundIn.BRANCH_NAME,
                        change.refName(), push.actor(), push.deliveryId(), push.receivedAt()));
            }
            for (Commit commit : change.commits()) {
                if (!commitsSeen.add(commit.hash())) {
                    continue;
                }
                for (String key : keys.find(repo, commit.message())) {
                    links.add(TaskLink.of(key, Target.COMMIT, repo, commit.hash(), TaskLink.FoundIn.COMMIT_MESSAGE,
                            firstLine(commit.message()), commit.author(), push.deliveryId(),
                            Objects.requireNonNullElse(commit.date(), push.receivedAt())));
                }
            }
        }
        return links;
    }

    public List<TaskLink> inPullRequest(PullRequestEvent event) {
        String repo = event.repository().key();
        PullRequest pr = event.pullRequest();
        List<String> inTitle = keys.find(repo, pr.title());
        List<TaskLink> links = new ArrayList<>();
        for (String key : keys.find(repo, pr.title(), pr.description())) {
            TaskLink.FoundIn where = inTitle.contains(key) ? TaskLink.FoundIn.PULL_REQUEST_TITLE : TaskLink.FoundIn.PULL_REQUEST_DESCRIPTION;
            links.add(TaskLink.of(key, Target.PULL_REQUEST, repo, Long.toString(pr.id()), where, pr.title(), pr.author(),
                    event.deliveryId(), HistoryWriter.eventTime(event)));
        }
        return links;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return null;
        }
        int end = message.indexOf('\n');
        return (end < 0 ? message : message.substring(0, end)).strip();
    }
}
