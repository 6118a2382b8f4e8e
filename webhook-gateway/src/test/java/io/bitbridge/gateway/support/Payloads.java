package io.bitbridge.gateway.support;

/** Small hand-written webhook bodies for the cases the public fixtures do not show (non-ASCII text included). */
public final class Payloads {
    private Payloads() {
    }

    /** A Cloud push that updates a branch (with a truncated commit list), creates a tag and deletes a branch. */
    public static String cloudPushOfThreeChanges() {
        return """
                {"actor":{"display_name":"Zoë Ångström","nickname":"zoe","account_id":"557058:zoe"},
                 "repository":{"full_name":"Acme/Game","name":"Game","links":{"html":{"href":"https://bitbucket.org/Acme/Game"}}},
                 "push":{"changes":[
                  {"old":{"type":"branch","name":"main","target":{"hash":"%1$s"}},
                   "new":{"type":"branch","name":"main","target":{"hash":"%2$s"}},
                   "created":false,"closed":false,"forced":true,"truncated":true,
                   "commits":[{"hash":"%2$s","message":"GAME-7 Übersetzung für Spieler 🎮\\n","date":"2026-11-22T10:15:30+00:00",
                     "author":{"raw":"Zoë Ångström <zoe@example.com>"},"parents":[{"hash":"%1$s"}]}]},
                  {"old":null,"new":{"type":"tag","name":"v1.0","target":{"hash":"%2$s"}},"created":true,"closed":false,"forced":false},
                  {"old":{"type":"branch","name":"feature/old","target":{"hash":"%1$s"}},"new":null,"created":false,"closed":true,"forced":false}
                 ]}}
                """.formatted("a".repeat(40), "b".repeat(40));
    }

    public static String serverPing() {
        return "{\"test\": true}";
    }
}
