package io.bitbridge.credentials.rest;

import io.bitbridge.common.rest.Problem;
import io.bitbridge.credentials.service.ConsentService;
import io.bitbridge.credentials.service.ConsentService.Outcome;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The pages a browser sees during OAuth consent: how it ended, or why a link or callback was refused. Every value is
 * HTML-escaped; nothing secret is on them; they are not cached, not framed, run no script and send no referrer.
 */
final class ConsentPages {
    private static final MediaType HTML = MediaType.valueOf("text/html;charset=UTF-8");

    private ConsentPages() {
    }

    /** JSON when the client ranks a JSON type above HTML ({@code Accept}); a browser, curl's default and no header get HTML. */
    static boolean wantsJson(HttpHeaders headers) {
        for (MediaType type : headers.getAcceptableMediaTypes()) {
            if (type.isWildcardType() || type.isCompatible(MediaType.TEXT_HTML_TYPE)) {
                return false;
            }
            if (type.getSubtype().equals("json") || type.getSubtype().endsWith("+json")) {
                return true;
            }
        }
        return false;
    }

    static Response.ResponseBuilder noStore(Response.ResponseBuilder response) {
        return response.header("Cache-Control", "no-store").header("Referrer-Policy", "no-referrer");
    }

    static Response outcome(Outcome outcome, Optional<String> uiUrl, boolean json) {
        if (json) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("connected", outcome.connected());
            putIfPresent(body, "credentialId", outcome.credentialId());
            putIfPresent(body, "name", outcome.name());
            putIfPresent(body, "account", outcome.account());
            putIfPresent(body, "source", outcome.source());
            putIfPresent(body, "error", outcome.error());
            if (!outcome.connected()) {
                body.put("detail", failure(outcome));
            }
            return noStore(Response.ok(body, MediaType.APPLICATION_JSON_TYPE)).build();
        }
        String title = outcome.connected() ? "Bitbucket Cloud connected" : "Bitbucket Cloud not connected";
        StringBuilder body = new StringBuilder();
        if (outcome.connected()) {
            body.append("<p>The credential <strong>").append(escape(outcome.name())).append("</strong> is connected to the Bitbucket account <strong>")
                    .append(escape(outcome.account())).append("</strong>.</p>\n<p>Credential id: <code>").append(escape(outcome.credentialId()))
                    .append("</code></p>\n");
        } else {
            body.append("<p>").append(escape(failure(outcome))).append("</p>\n<p>Reason code: <code>").append(escape(outcome.source()))
                    .append(": ").append(escape(outcome.error())).append("</code></p>\n");
        }
        return page(Response.Status.OK.getStatusCode(), title, body, uiUrl);
    }

    /**
     * An unspent consent link: what it connects, and the button that spends it and goes on to Bitbucket. The form posts
     * back to the same path (relative action), so it works behind whatever public URL the link was made with.
     */
    static Response continuePage(ConsentService.Pending pending, String ticket, Optional<String> uiUrl, boolean json) {
        if (json) {
            Map<String, Object> body = new LinkedHashMap<>();
            putIfPresent(body, "credentialName", pending.credentialName());
            putIfPresent(body, "reconnectCredential", pending.reconnectCredential());
            body.put("expiresAt", pending.expiresAt().toString());
            body.put("next", "POST this path with the form field ticket, in the browser that is to give consent");
            return noStore(Response.ok(body, MediaType.APPLICATION_JSON_TYPE)).build();
        }
        String subject = pending.reconnectCredential() != null
                ? "reconnect the credential <strong>" + escape(pending.credentialName()) + "</strong> (" + escape(pending.reconnectCredential()) + ")"
                : "connect a Bitbucket Cloud account as the credential <strong>" + escape(pending.credentialName()) + "</strong>";
        StringBuilder body = new StringBuilder("<p>This link asks you to ").append(subject)
                .append(". Bitbucket will show which access Bitbridge asks for; nothing is connected until you allow it there.</p>\n")
                .append("<form method=\"post\" action=\"begin\"><input type=\"hidden\" name=\"ticket\" value=\"").append(escape(ticket))
                .append("\"><button type=\"submit\">Continue to Bitbucket</button></form>\n")
                .append("<p>The link works once and expires at ").append(escape(pending.expiresAt().toString())).append(".</p>\n");
        return page(Response.Status.OK.getStatusCode(), "Connect Bitbucket Cloud", body, uiUrl, "");
    }

    static Response problem(Problem problem, Optional<String> uiUrl, boolean json) {
        if (json) {
            return noStore(Response.status(problem.status()).type(Problem.MEDIA).entity(problem)).build();
        }
        StringBuilder body = new StringBuilder("<p>").append(escape(problem.detail())).append("</p>\n");
        return page(problem.status(), problem.title(), body, uiUrl);
    }

    /** Why a consent ended without a credential, for people. */
    private static String failure(Outcome outcome) {
        String subject = outcome.name() != null ? "credential '" + outcome.name() + "'"
                : outcome.credentialId() != null ? "credential " + outcome.credentialId() : "credential";
        String reason = switch (outcome.error()) {
            case "access_denied" -> "Access was not granted on Bitbucket's consent page.";
            case "name_taken" -> "Another credential took the name meanwhile; ask for a consent link with another name.";
            case "account_mismatch" -> "The Bitbucket account that gave consent is not the one the credential belongs to. "
                    + "To move the credential to that account, ask for a consent link with allowAccountChange.";
            case "credential_deleted" -> "The credential was deleted while consent was given.";
            case "token_exchange_failed", "account_lookup_failed" -> "Bitbucket did not complete the connection ("
                    + outcome.error() + "); ask for a new consent link and try again.";
            default -> "Bitbucket answered " + outcome.error() + ".";
        };
        return "The " + subject + " was not connected, nothing changed. " + reason;
    }

    private static Response page(int status, String title, CharSequence body, Optional<String> uiUrl) {
        return page(status, title, body, uiUrl, "<p>You can close this tab.</p>\n");
    }

    private static Response page(int status, String title, CharSequence body, Optional<String> uiUrl, String closing) {
        String back = uiUrl.map(url -> "<p><a href=\"" + escape(url) + "\">Back to Bitbridge</a></p>\n").orElse("");
        String html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + escape(title) + " - Bitbridge</title>\n"
                + "<style>body{font-family:sans-serif;max-width:40em;margin:3em auto;padding:0 1em;line-height:1.5}</style>\n"
                + "</head>\n<body>\n<h1>" + escape(title) + "</h1>\n" + body + back
                + closing + "</body>\n</html>\n";
        return noStore(Response.status(status).type(HTML).entity(html))
                .header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
                .header("X-Content-Type-Options", "nosniff").build();
    }

    private static void putIfPresent(Map<String, Object> body, String key, String value) {
        if (value != null) {
            body.put(key, value);
        }
    }

    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder escaped = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '&' -> escaped.append("&amp;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
