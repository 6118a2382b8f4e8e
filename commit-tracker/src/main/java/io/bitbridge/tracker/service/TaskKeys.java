package io.bitbridge.tracker.service;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds task keys such as {@code GAME-789} or {@code OPS2-5} in free text: a project key of two or more characters
 * starting with an upper-case letter, a hyphen and a number, standing as a word of its own (so {@code xGAME-1},
 * {@code GAME-1a}, {@code game-1} are not keys), never inside a URL, in order of appearance and each key once.
 * An allow-list of project keys, per repository or global, drops everything else ({@code UTF-8} is a key otherwise).
 */
public final class TaskKeys {
    /**
     * Before the key: not part of a longer word, hash or key ({@code 3fA-1}, {@code X-GAME-1}); after it: not a longer
     * word or number ({@code GAME-1a}, {@code GAME-1.5}, {@code CVE-2025-55190}).
     */
    private static final Pattern KEY = Pattern.compile("(?<![\\p{Alnum}_\\-.])([A-Z][A-Z0-9_]+)-([0-9]{1,9})(?![\\p{Alnum}_]|[.\\-][0-9])");
    /** URLs and bare host paths are blanked before matching: a key inside one is part of an address, not a reference. */
    private static final Pattern URL = Pattern.compile("(?i)\\b(?:[a-z][a-z0-9+.-]*://|www\\.)\\S+");

    private final Set<String> global;
    private final Map<String, Set<String>> perRepository;

    public TaskKeys(Set<String> globalProjects, Map<String, Set<String>> perRepository) {
        this.global = Set.copyOf(globalProjects);
        this.perRepository = Map.copyOf(perRepository);
    }

    /** Accepts every project key. */
    public static TaskKeys unrestricted() {
        return new TaskKeys(Set.of(), Map.of());
    }

    /** The task keys in {@code texts} (read in order), each once, allowed for {@code repositoryKey}. */
    public List<String> find(String repositoryKey, String... texts) {
        Set<String> allowed = perRepository.getOrDefault(repositoryKey, global);
        Set<String> keys = new LinkedHashSet<>();
        for (String text : texts) {
            if (text == null || text.isEmpty()) {
                continue;
            }
            if (!hasDashDigit(text)) {
                continue;
            }
            Matcher matcher = KEY.matcher(mayHoldUrl(text) ? URL.matcher(text).replaceAll(" ") : text);
            while (matcher.find()) {
                if (allowed.isEmpty() || allowed.contains(matcher.group(1))) {
                    keys.add(matcher.group());
                }
            }
        }
        return new ArrayList<>(keys);
    }

    /** Every key holds a hyphen followed by a digit: text without one is not searched at all. */
    private static boolean hasDashDigit(String text) {
        for (int i = text.indexOf('-'); i >= 0 && i < text.length() - 1; i = text.indexOf('-', i + 1)) {
            char next = text.charAt(i + 1);
            if (next >= '0' && next <= '9') {
                return true;
            }
        }
        return false;
    }

    /** Every match of {@link #URL} holds {@code ://} or {@code www.} (any case): text with neither is left as it is. */
    private static boolean mayHoldUrl(String text) {
        if (text.contains("://")) {
            return true;
        }
        for (int i = 0; i + 4 <= text.length(); i++) {
            if (text.regionMatches(true, i, "www.", 0, 4)) {
                return true;
            }
        }
        return false;
    }

    /** The project part of a key: {@code GAME} of {@code GAME-789}. */
    public static String projectOf(String taskKey) {
        return taskKey.substring(0, taskKey.lastIndexOf('-'));
    }
}
