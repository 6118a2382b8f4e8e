package io.bitbridge.fakes.jenkins;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The state behind {@link JenkinsFake}: item tree, users, crumbs, queue and builds. Pure logic without HTTP,
 * so the rules (quiet period, duplicate detection, crumb binding) are in one place.
 */
public final class JenkinsModel {

    /** What a user may do; Jenkins' Overall/Read + Job/Read and Job/Build, reduced to what the fake needs. */
    public enum Permission { READ, BUILD }

    /** How a request authenticated. */
    public enum AuthKind { ANONYMOUS, TOKEN, PASSWORD, INVALID }

    public record Authentication(AuthKind kind, String user) {
        static final Authentication ANONYMOUS = new Authentication(AuthKind.ANONYMOUS, null);
    }

    /** Outcome of scheduling: the item and whether it is new (201) or an identical one already queued (303). */
    public record ScheduleResult(JenkinsQueueItem item, boolean created) {
    }

    private record User(String name, String password, Set<String> apiTokens, Set<Permission> permissions) {
    }

    private final JenkinsJob root = new JenkinsJob(List.of(), true, Map.of());
    private final Map<String, User> users = new ConcurrentHashMap<>();
    /** Every item still readable: waiting, or left less than the retention ago. */
    private final Map<Long, JenkinsQueueItem> queue = new LinkedHashMap<>();
    /**
     * The items waiting, in queue order, and those that left, in the order their builds started: each request looks at
     * these ends only, so a long run (tens of thousands of retained items) costs no more per request than a short one.
     */
    private final Map<Long, JenkinsQueueItem> waiting = new LinkedHashMap<>();
    private final ArrayDeque<JenkinsQueueItem> left = new ArrayDeque<>();
    /** Appended under its own lock, copied to read (see RequestRecorder). */
    private final List<JenkinsTrigger> triggers = new ArrayList<>();
    private final AtomicLong nextQueueId = new AtomicLong(1);
    private final byte[] crumbSalt = new byte[32];
    private final Set<String> openSessionIds = ConcurrentHashMap.newKeySet();
    private volatile Duration quietPeriod = Duration.ofMillis(200);
    private volatile Duration buildDuration = Duration.ZERO;
    private volatile Duration queueRetention = Duration.ofMinutes(5);
    private volatile boolean csrfProtection = true;

    JenkinsModel() {
        new SecureRandom().nextBytes(crumbSalt);
    }

    // ---- configuration -------------------------------------------------------------------------------

    public synchronized JenkinsJob addJob(String fullName, Map<String, String> parameterDefaults) {
        return add(fullName, false, parameterDefaults);
    }

    public synchronized JenkinsJob addFolder(String fullName) {
        return add(fullName, true, Map.of());
    }

    private JenkinsJob add(String fullName, boolean folder, Map<String, String> parameterDefaults) {
        List<String> segments = List.of(fullName.split("/"));
        JenkinsJob parent = root;
        for (int i = 0; i < segments.size() - 1; i++) {
            List<String> prefix = segments.subList(0, i + 1);
            JenkinsJob current = parent;
            parent = current.children().computeIfAbsent(segments.get(i), n -> new JenkinsJob(prefix, true, Map.of()));
            if (!parent.isFolder()) {
                throw new IllegalArgumentException(String.join("/", prefix) + " is a job, not a folder");
            }
        }
        String leaf = segments.get(segments.size() - 1);
        if (parent.children().containsKey(leaf)) {
            throw new IllegalArgumentException(fullName + " already exists");
        }
        JenkinsJob job = new JenkinsJob(segments, folder, parameterDefaults);
        parent.children().put(leaf, job);
        return job;
    }

    public void addUser(String name, String password, String apiToken, Set<Permission> permissions) {
        Set<String> tokens = ConcurrentHashMap.newKeySet();
        if (apiToken != null) {
            tokens.add(apiToken);
        }
        users.put(name, new User(name, password, tokens, Set.copyOf(permissions)));
    }

    public void addApiToken(String user, String apiToken) {
        User existing = users.get(user);
        if (existing == null) {
            throw new IllegalArgumentException("unknown user " + user);
        }
        existing.apiTokens().add(apiToken);
    }

    public void quietPeriod(Duration value) {
        this.quietPeriod = value;
    }

    public Duration quietPeriod() {
        return quietPeriod;
    }

    /** How long a started build reports {@code building: true} before its result appears. */
    public void buildDuration(Duration value) {
        this.buildDuration = value;
    }

    /** How long a queue item stays readable after its build started (Jenkins: about 5 minutes, then 404). */
    public void queueRetention(Duration value) {
        this.queueRetention = value;
    }

    /** With CSRF protection off no crumb is needed and the crumb issuer answers 404 (as Jenkins does). */
    public void csrfProtection(boolean enabled) {
        this.csrfProtection = enabled;
    }

    public boolean csrfProtection() {
        return csrfProtection;
    }

    // ---- lookups ---------------------------------------------------------------------------------------

    /** The item at a decoded path ("Folder","Sub","Job"), or null. */
    public synchronized JenkinsJob item(List<String> path) {
        JenkinsJob current = root;
        for (String segment : path) {
            current = current.children().get(segment);
            if (current == null) {
                return null;
            }
        }
        return current;
    }

    public JenkinsJob job(String fullName) {
        return item(List.of(fullName.split("/")));
    }

    synchronized List<JenkinsJob> children(JenkinsJob folder) {
        return List.copyOf((folder == null ? root : folder).children().values());
    }

    // ---- authentication and crumbs ---------------------------------------------------------------------

    public Authentication authenticate(String user, String secret) {
        User known = users.get(user);
        if (known == null || secret == null) {
            return new Authentication(AuthKind.INVALID, user);
        }
        if (known.apiTokens().stream().anyMatch(t -> constantTimeEquals(t, secret))) {
            return new Authentication(AuthKind.TOKEN, user);
        }
        if (known.password() != null && constantTimeEquals(known.password(), secret)) {
            return new Authentication(AuthKind.PASSWORD, user);
        }
        return new Authentication(AuthKind.INVALID, user);
    }

    public boolean may(String user, Permission permission) {
        User known = user == null ? null : users.get(user);
        return known != null && known.permissions().contains(permission);
    }

    /** The crumb is an HMAC over user and web session, like Jenkins' DefaultCrumbIssuer (minus the IP). */
    public String crumb(String user, String sessionId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(crumbSalt, "HmacSHA256"));
            byte[] digest = mac.doFinal((user + ";" + sessionId).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public boolean validCrumb(String user, String sessionId, String crumb) {
        return sessionId != null && crumb != null && openSessionIds.contains(sessionId) && constantTimeEquals(crumb(user, sessionId), crumb);
    }

    /** A new web session (its id goes into the session cookie). */
    String openSession() {
        String id = java.util.UUID.randomUUID().toString().replace("-", "");
        openSessionIds.add(id);
        return id;
    }

    boolean knownSession(String sessionId) {
        return sessionId != null && openSessionIds.contains(sessionId);
    }

    /**
     * Ends every web session, as Jenkins does when a session times out or Jenkins restarts: crumbs issued for them are
     * no longer valid ({@code 403 No valid crumb}) until the client fetches a new crumb, which opens a new session.
     */
    public void endEveryWebSession() {
        openSessionIds.clear();
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    // ---- queue -------------------------------------------------------------------------------------------

    /**
     * Queues a build. Like Jenkins' Queue, an identical request (same job, same parameters) that is still
     * waiting is not queued twice: the existing item is returned with {@code created == false}.
     */
    public synchronized ScheduleResult schedule(JenkinsJob job, Map<String, String> parameters, Duration delay, String cause) {
        long now = System.currentTimeMillis();
        advance(now);
        for (JenkinsQueueItem item : waiting.values()) {
            if (item.job() == job && item.parameters().equals(parameters)) {
                return new ScheduleResult(item, false);
            }
        }
        long id = nextQueueId.getAndIncrement();
        Duration wait = delay != null ? delay : quietPeriod;
        JenkinsQueueItem item = new JenkinsQueueItem(id, job, parameters, now, now + wait.toMillis(), cause);
        queue.put(id, item);
        waiting.put(id, item);
        advance(now);
        return new ScheduleResult(item, true);
    }

    /** Ends the quiet period of every item still waiting: each starts its build now (as "Build now" on the queue would). */
    public synchronized void startWaitingItems() {
        long now = System.currentTimeMillis();
        advance(now);
        for (JenkinsQueueItem item : List.copyOf(waiting.values())) {
            start(item, now);
        }
    }

    public synchronized JenkinsQueueItem queueItem(long id) {
        advance(System.currentTimeMillis());
        return queue.get(id);
    }

    public synchronized JenkinsBuild build(JenkinsJob job, int number) {
        advance(System.currentTimeMillis());
        return job.build(number);
    }

    synchronized List<JenkinsQueueItem> waitingItems() {
        advance(System.currentTimeMillis());
        return List.copyOf(waiting.values());
    }

    /**
     * Starts every item whose quiet period is over (build numbers follow the order of the queue) and forgets
     * items whose build started longer ago than the retention.
     */
    private void advance(long now) {
        long retention = queueRetention.toMillis();
        while (!left.isEmpty() && now - left.peekFirst().executable().startedAt() >= retention) {
            queue.remove(left.pollFirst().id());
        }
        for (JenkinsQueueItem item : List.copyOf(waiting.values())) {
            if (item.startsAt() <= now) {
                start(item, now);
            }
        }
    }

    private void start(JenkinsQueueItem item, long now) {
        item.started(item.job().startBuild(item.id(), item.parameters(), now, item.cause()));
        waiting.remove(item.id());
        left.addLast(item);
    }

    long buildDurationMillis() {
        return buildDuration.toMillis();
    }

    // ---- trigger log ---------------------------------------------------------------------------------------

    void record(JenkinsTrigger trigger) {
        synchronized (triggers) {
            triggers.add(trigger);
        }
    }

    public List<JenkinsTrigger> triggers() {
        synchronized (triggers) {
            return List.copyOf(triggers);
        }
    }

    public void clearTriggers() {
        synchronized (triggers) {
            triggers.clear();
        }
    }

    static Instant now() {
        return Instant.now();
    }
}
