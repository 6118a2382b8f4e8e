package io.bitbridge.buildtrigger.service;

import io.bitbridge.buildtrigger.config.TriggerConfig;
import io.bitbridge.events.Commit;
import io.bitbridge.events.PushEvent;
import io.bitbridge.events.RefChange;
import io.bitbridge.events.RefType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides what a push starts: for each change, the jobs its new commits' tags ask for, each distinct job once for the
 * change's head commit, with the parameters the README lists. Pure: the rules come in, decisions go out.
 */
public final class TriggerPlanner {

    public static final String REPOSITORY = "BITBUCKET_REPOSITORY";
    public static final String BRANCH = "BRANCH";
    public static final String COMMIT = "COMMIT";
    public static final String TRIGGERED_BY = "TRIGGERED_BY";
    public static final String TASK_KEYS = "TASK_KEYS";
    private static final Pattern TASK_KEY = Pattern.compile("(?<![\\w-])[A-Z][A-Z0-9]+-[1-9][0-9]*(?![\\w-])");

    private final List<TriggerConfig.Rule> rules;

    public TriggerPlanner(List<TriggerConfig.Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    public List<PlannedTrigger> plan(PushEvent push) {
        List<PlannedTrigger> planned = new ArrayList<>();
        for (RefChange change : push.changes()) {
            planned.addAll(plan(push.repository().key(), change));
        }
        return planned;
    }

    List<PlannedTrigger> plan(String repositoryKey, RefChange change) {
        if (change.deleted() || change.newHash() == null || change.commits().isEmpty()) {
            return List.of(); // a deletion has no commit to build
        }
        List<Request> requests = requests(change);
        if (requests.isEmpty()) {
            return List.of();
        }
        Optional<TriggerConfig.Rule> rule = rules.stream()
                .filter(r -> Glob.matches(r.repository().toLowerCase(Locale.ROOT), repositoryKey) && Glob.matches(r.branch(), change.refName()))
                .findFirst();
        if (change.refType() == RefType.TAG && rule.map(r -> !r.tagPushes()).orElse(true)) {
            return List.of(); // tag pushes build only where configured
        }
        String taskKeys = taskKeys(change.commits());
        Map<String, PlannedTrigger> byJob = new LinkedHashMap<>();
        for (Request request : requests) {
            PlannedTrigger decision = rule.map(r -> decide(r, repositoryKey, change, request, taskKeys))
                    .orElseGet(() -> refuse(repositoryKey, change, request, jobName(request.tag, null),
                            "no build rule covers " + repositoryKey + " branch " + change.refName()));
            byJob.putIfAbsent(decision.job(), decision);
        }
        return List.copyOf(byJob.values());
    }

    private PlannedTrigger decide(TriggerConfig.Rule rule, String repositoryKey, RefChange change, Request request, String taskKeys) {
        String job = jobName(request.tag, rule);
        if (request.tag.kind() == TriggerTag.Kind.NAMED_JOB && !allowed(rule, job)) {
            return refuse(repositoryKey, change, request, job, "job " + job + " is not in the allow-list for " + repositoryKey);
        }
        Map<String, String> parameters = new LinkedHashMap<>(rule.parameters());
        parameters.putAll(request.tag.parameters());
        // Ours last: a commit message must not be able to misreport what is being built.
        parameters.put(REPOSITORY, repositoryKey);
        parameters.put(BRANCH, change.refName());
        parameters.put(COMMIT, change.newHash());
        parameters.put(TRIGGERED_BY, triggeredBy(request));
        parameters.put(TASK_KEYS, taskKeys);
        return new PlannedTrigger(repositoryKey, change.refName(), change.refType(), change.newHash(), rule.instance(), job,
                request.tag.text(), request.commit, parameters, null);
    }

    private static PlannedTrigger refuse(String repositoryKey, RefChange change, Request request, String job, String reason) {
        return new PlannedTrigger(repositoryKey, change.refName(), change.refType(), change.newHash(), null, job, request.tag.text(),
                request.commit, Map.of(), reason);
    }

    /** {@code <commit hash> <tag>}: which commit asked, and how; also how a lost trigger is found in Jenkins again. */
    public static String triggeredBy(String commit, String tag) {
        return commit + " " + tag;
    }

    private static String triggeredBy(Request request) {
        return triggeredBy(request.commit, request.tag.text());
    }

    private static String jobName(TriggerTag tag, TriggerConfig.Rule rule) {
        return switch (tag.kind()) {
            case NAMED_JOB -> tag.job();
            case DEFAULT_JOB -> rule == null ? "(default job)" : rule.defaultJob();
            case DEFAULT_BUILD -> rule == null ? "(default build)" : rule.buildJob().orElse(rule.defaultJob());
        };
    }

    private static boolean allowed(TriggerConfig.Rule rule, String job) {
        return job.equals(rule.defaultJob()) || rule.buildJob().map(job::equals).orElse(false)
                || rule.allowedJobs().orElse(List.of()).stream().anyMatch(glob -> Glob.matches(glob, job));
    }

    /** Tags of every new commit, newest first as Bitbucket lists them; default ones dropped on {@code [skip ci]} at the head. */
    private static List<Request> requests(RefChange change) {
        boolean skipDefaults = change.commits().stream().filter(c -> c.hash().equals(change.newHash())).findFirst()
                .map(head -> TagParser.skipsDefaultBuilds(head.message())).orElse(false);
        List<Request> requests = new ArrayList<>();
        for (Commit commit : change.commits()) {
            for (TriggerTag tag : TagParser.parse(commit.message(), commit.parents().size() > 1)) {
                if (!(skipDefaults && tag.isDefault())) {
                    requests.add(new Request(commit.hash(), tag));
                }
            }
        }
        return requests;
    }

    private static String taskKeys(List<Commit> commits) {
        Set<String> keys = new LinkedHashSet<>();
        for (Commit commit : commits) {
            Matcher matcher = TASK_KEY.matcher(commit.message() == null ? "" : commit.message());
            while (matcher.find()) {
                keys.add(matcher.group());
            }
        }
        return String.join(",", keys);
    }

    private record Request(String commit, TriggerTag tag) {
    }
}
