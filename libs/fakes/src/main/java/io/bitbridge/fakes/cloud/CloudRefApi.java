package io.bitbridge.fakes.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bitbridge.fakes.cloud.CloudModel.Repo;
import io.bitbridge.fakes.common.FakeRequest;
import io.bitbridge.fakes.common.FakeResponse;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.revwalk.RevCommit;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static io.bitbridge.fakes.cloud.CloudErrors.error;
import static io.bitbridge.fakes.cloud.CloudErrors.notAllowed;
import static io.bitbridge.fakes.cloud.CloudErrors.requirePermission;

/** {@code /2.0/repositories/{workspace}/{repo_slug}/refs[/branches|/tags[/{name}]]}: listing, reading, creating and deleting refs. */
final class CloudRefApi {
    private final CloudState state;
    private final String base;

    CloudRefApi(CloudState state, String base) {
        this.state = state;
        this.base = base;
    }

    FakeResponse handle(FakeRequest request, List<String> tail, CloudPrincipal who, Repo repo)
            throws IOException {
        String method = request.method();
        if (tail.isEmpty()) {
            if (!method.equals("GET")) {
                return notAllowed();
            }
            List<ObjectNode> all = new ArrayList<>(branches(repo));
            all.addAll(tags(repo));
            return FakeResponse.json(200, CloudPaging.page(request, base, filterAndSort(request, all),
                    CloudPaging.DEFAULT_PAGELEN, CloudPaging.MAX_PAGELEN));
        }
        String kind = tail.get(0);
        String name = String.join("/", tail.subList(1, tail.size()));
        if (kind.equals("tags")) {
            if (!method.equals("GET")) {
                return notAllowed();
            }
            if (name.isEmpty()) {
                return FakeResponse.json(200, CloudPaging.page(request, base, filterAndSort(request, tags(repo)),
                        CloudPaging.DEFAULT_PAGELEN, CloudPaging.MAX_PAGELEN));
            }
            Ref ref = repo.git.exactRef(Constants.R_TAGS + name);
            if (ref == null) {
                return error(404, "Tag \"" + name + "\" does not exist.");
            }
            return FakeResponse.json(200, tagJson(repo, ref));
        }
        if (!kind.equals("branches")) {
            return error(404, "Resource not found");
        }
        if (name.isEmpty()) {
            return switch (method) {
                case "GET" -> FakeResponse.json(200, CloudPaging.page(request, base,
                        filterAndSort(request, branches(repo)), CloudPaging.DEFAULT_PAGELEN, CloudPaging.MAX_PAGELEN));
                case "POST" -> createBranch(request, who, repo);
                default -> notAllowed();
            };
        }
        RevCommit tip = CloudGit.tip(repo.git, name);
        if (tip == null) {
            return error(404, "Branch \"" + name + "\" does not exist.");
        }
        return switch (method) {
            case "GET" -> FakeResponse.json(200, state.json.branch(repo, name, tip, true));
            case "DELETE" -> {
                requirePermission(who, repo, CloudPermission.WRITE);
                if (name.equals(repo.mainBranch)) {
                    yield error(400, "Cannot delete the main branch.");
                }
                if (!CloudGit.moveRef(repo.git, Constants.R_HEADS + name, tip, null)) {
                    yield error(409, "The branch changed while it was being deleted.");
                }
                state.pushed(repo, who, List.of(new CloudEvents.RefMove(Constants.R_HEADS + name, tip, null)));
                yield FakeResponse.empty(204);
            }
            default -> notAllowed();
        };
    }

    private FakeResponse createBranch(FakeRequest request, CloudPrincipal who, Repo repo) throws IOException {
        requirePermission(who, repo, CloudPermission.WRITE);
        JsonNode body = request.json();
        String name = body.path("name").asText("");
        String hash = body.path("target").path("hash").asText("");
        if (name.isBlank() || hash.isBlank()) {
            return error(400, "Both name and target.hash are required.");
        }
        if (!org.eclipse.jgit.lib.Repository.isValidRefName(Constants.R_HEADS + name)) {
            return error(400, "Invalid branch name: " + name);
        }
        if (repo.git.exactRef(Constants.R_HEADS + name) != null) {
            return error(400, "Branch \"" + name + "\" already exists.");
        }
        RevCommit target;
        try {
            target = CloudGit.resolve(repo.git, hash);
        } catch (org.eclipse.jgit.errors.AmbiguousObjectException ambiguous) {
            return error(400, "The hash " + hash + " is ambiguous.");
        }
        if (target == null) {
            return error(400, "Unknown commit: " + hash);
        }
        CloudGit.moveRef(repo.git, Constants.R_HEADS + name, null, target);
        state.pushed(repo, who, List.of(new CloudEvents.RefMove(Constants.R_HEADS + name, null, target)));
        return FakeResponse.json(201, state.json.branch(repo, name, target, true))
                .header("Location", state.json.repoApi(repo) + "/refs/branches/" + name);
    }

    private List<ObjectNode> branches(Repo repo) throws IOException {
        List<ObjectNode> out = new ArrayList<>();
        for (Ref ref : repo.git.getRefDatabase().getRefsByPrefix(Constants.R_HEADS)) {
            String name = ref.getName().substring(Constants.R_HEADS.length());
            out.add(state.json.branch(repo, name, CloudGit.parse(repo.git, ref.getObjectId()), true));
        }
        return out;
    }

    private List<ObjectNode> tags(Repo repo) throws IOException {
        List<ObjectNode> out = new ArrayList<>();
        for (Ref ref : repo.git.getRefDatabase().getRefsByPrefix(Constants.R_TAGS)) {
            out.add(tagJson(repo, ref));
        }
        return out;
    }

    private ObjectNode tagJson(Repo repo, Ref ref) throws IOException {
        String name = ref.getName().substring(Constants.R_TAGS.length());
        RevCommit target = CloudGit.resolve(repo.git, ref.getObjectId().name());
        return state.json.tag(repo, name, target, CloudGit.annotatedTag(repo.git, ref.getObjectId()), true);
    }

    /** The BBQL forms clients use on refs: {@code name = "x"}, {@code name ~ "x"}; {@code sort=[-]name}. */
    private static List<ObjectNode> filterAndSort(FakeRequest request, List<ObjectNode> refs) {
        List<ObjectNode> out = new ArrayList<>(refs);
        String q = request.query("q");
        if (q != null && !q.isBlank()) {
            var matcher = java.util.regex.Pattern.compile("^\\s*name\\s*(=|~)\\s*\"([^\"]*)\"\\s*$").matcher(q);
            if (!matcher.matches()) {
                throw new IllegalArgumentException("Invalid field name or unsupported query: " + q);
            }
            String value = matcher.group(2);
            boolean exact = matcher.group(1).equals("=");
            out.removeIf(ref -> exact ? !ref.path("name").asText().equals(value)
                    : !ref.path("name").asText().toLowerCase(java.util.Locale.ROOT)
                    .contains(value.toLowerCase(java.util.Locale.ROOT)));
        }
        String sort = request.query("sort");
        Comparator<ObjectNode> byName = Comparator.comparing(ref -> ref.path("name").asText(), CloudRefApi::natural);
        if (sort == null || sort.equals("name")) {
            out.sort(byName);
        } else if (sort.equals("-name")) {
            out.sort(byName.reversed());
        } else {
            throw new IllegalArgumentException("Invalid sort field: " + sort);
        }
        return out;
    }

    /** Natural order: digit runs compare as numbers ({@code v2 < v10}). */
    static int natural(String a, String b) {
        var parts = java.util.regex.Pattern.compile("(\\d+|\\D+)");
        var ma = parts.matcher(a);
        var mb = parts.matcher(b);
        while (ma.find() && mb.find()) {
            String x = ma.group();
            String y = mb.group();
            int result = Character.isDigit(x.charAt(0)) && Character.isDigit(y.charAt(0))
                    ? new java.math.BigInteger(x).compareTo(new java.math.BigInteger(y)) : x.compareTo(y);
            if (result != 0) {
                return result;
            }
        }
        return Integer.compare(a.length(), b.length());
    }
}
