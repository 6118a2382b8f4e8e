package io.bitbridge.buildtrigger.service;

import java.util.regex.Pattern;

/** Glob patterns of the configuration: {@code *} matches within one {@code /} segment, {@code **} across them. */
final class Glob {

    private Glob() {
    }

    static boolean matches(String glob, String value) {
        return compile(glob).matcher(value).matches();
    }

    static Pattern compile(String glob) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                regex.append(".*");
                i++;
            } else if (c == '*') {
                regex.append("[^/]*");
            } else if (c == '?') {
                regex.append("[^/]");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
