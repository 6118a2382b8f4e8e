package io.bitbridge.buildtrigger.service;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads trigger tags from commit messages (grammar in the module README). Pure: no configuration, no I/O.
 * <ul>
 *   <li>{@code #ci}, {@code #build}, {@code #jenkins}, {@code #jenkins:Job}, {@code #jenkins:Folder/Sub/Job},
 *       {@code #jenkins:Job(NAME=value,...)}; keyword in any case, job names as written.</li>
 *   <li>Whole tokens only: a tag starts a line or follows whitespace or punctuation (not {@code #}, {@code /},
 *       {@code &}, {@code @}, {@code .}, {@code -}), and ends at whitespace, the end of the line or punctuation that
 *       cannot continue it; a colon after the keyword must be followed by a job name.</li>
 *   <li>Quoted lines ({@code > ...}) never count; in a merge commit neither do the merged commits' messages that
 *       Git and Bitbucket quote in it (indented lines and their {@code * commit '...':} headers).</li>
 * </ul>
 */
public final class TagParser {

    private static final String SEGMENT = "[\\w-]+(?:\\.[\\w-]+)*";
    private static final Pattern TAG = Pattern.compile(
            "(?<![\\w#/@&.-])#(?<keyword>ci|build|jenkins)"
                    + "(?::(?<job>" + SEGMENT + "(?:/" + SEGMENT + ")*)(?:\\((?<params>[^()\\n]*)\\))?)?"
                    + "(?![\\w(/:-])(?!\\.\\w)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern PARAMETER = Pattern.compile("\\s*(?<name>[A-Za-z_][A-Za-z0-9_]*)\\s*=(?<value>[^,]*)");
    private static final Pattern SKIP = Pattern.compile("\\[(?:skip ci|ci skip)]", Pattern.CASE_INSENSITIVE);
    private static final Pattern QUOTED = Pattern.compile("^\\s*>");
    private static final Pattern MERGED_COMMIT_HEADER = Pattern.compile("^\\* commit '[0-9a-fA-F]+':\\s*$");

    private TagParser() {
    }

    /** The tags of one commit message in the order written; {@code merge}: the commit has more than one parent. */
    public static List<TriggerTag> parse(String message, boolean merge) {
        List<TriggerTag> tags = new ArrayList<>();
        if (message == null) {
            return tags;
        }
        for (String line : message.split("\\R")) {
            if (QUOTED.matcher(line).find() || merge && quotedByMerge(line)) {
                continue;
            }
            Matcher matcher = TAG.matcher(line);
            while (matcher.find()) {
                tag(matcher).ifPresent(tags::add);
            }
        }
        return tags;
    }

    /** {@code [skip ci]} or {@code [ci skip]} anywhere in the message (any case). */
    public static boolean skipsDefaultBuilds(String message) {
        return message != null && SKIP.matcher(message).find();
    }

    private static boolean quotedByMerge(String line) {
        return !line.isEmpty() && Character.isWhitespace(line.charAt(0)) || MERGED_COMMIT_HEADER.matcher(line).matches();
    }

    private static Optional<TriggerTag> tag(Matcher matcher) {
        String keyword = matcher.group("keyword").toLowerCase(Locale.ROOT);
        String job = matcher.group("job");
        if (!keyword.equals("jenkins")) {
            return job != null ? Optional.empty() : Optional.of(new TriggerTag(TriggerTag.Kind.DEFAULT_BUILD, matcher.group(), null, Map.of()));
        }
        if (job == null) {
            return Optional.of(new TriggerTag(TriggerTag.Kind.DEFAULT_JOB, matcher.group(), null, Map.of()));
        }
        String params = matcher.group("params");
        Optional<Map<String, String>> parameters = params == null ? Optional.of(Map.of()) : parameters(params);
        return parameters.map(p -> new TriggerTag(TriggerTag.Kind.NAMED_JOB, matcher.group(), job, p));
    }

    /** {@code NAME=value,NAME=value}; empty when any part is not of that form (then the whole tag does not count). */
    private static Optional<Map<String, String>> parameters(String text) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (text.isBlank()) {
            return Optional.of(parameters);
        }
        for (String part : text.split(",", -1)) {
            Matcher matcher = PARAMETER.matcher(part);
            if (!matcher.matches()) {
                return Optional.empty();
            }
            parameters.put(matcher.group("name"), matcher.group("value").trim());
        }
        return Optional.of(parameters);
    }
}
