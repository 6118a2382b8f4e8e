package io.bitbridge.fakes.cloud;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bitbridge.fakes.common.FakeJson;
import io.bitbridge.fakes.common.FakeRequest;
import io.bitbridge.fakes.common.FakeResponse;
import io.bitbridge.fakes.common.FormData;
import io.bitbridge.fakes.cloud.CloudGit.Entry;
import io.bitbridge.fakes.cloud.CloudModel.Repo;
import io.bitbridge.fakes.cloud.CloudModel.User;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TimeZone;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code /src}: reading files and directories, and creating commits (docs/bitbucket-api-notes.md §1). */
final class CloudSource {
    static final Set<String> METADATA = Set.of("message", "author", "parents", "files", "branch");
    static final String STOCK_MESSAGE = "Edited online with Bitbucket";
    private static final Pattern AUTHOR = Pattern.compile("^\\s*(.*?)\\s*<([^<>]+)>\\s*$");

    /** Told about every ref the fake moves, to deliver {@code repo:push}. */
    @FunctionalInterface
    interface PushListener {
        void pushed(Repo repo, CloudPrincipal who, List<CloudEvents.RefMove> moves) throws IOException;
    }

    private final CloudState state;
    private final PushListener listener;

    CloudSource(CloudState state, PushListener listener) {
        this.state = state;
        this.listener = listener;
    }

    private static FakeResponse error(int status, String message) {
        return CloudErrors.error(status, message);
    }

    // ---- POST /src ----

    private record Upload(String path, byte[] content, FileMode mode) {
    }

    FakeResponse create(FakeRequest request, CloudPrincipal who, Repo repo) throws IOException {
        FormData form;
        try {
            form = request.form();
        } catch (IllegalArgumentException e) {
            return error(400, "The body must be multipart/form-data or application/x-www-form-urlencoded: "
                    + e.getMessage());
        }
        Map<String, List<String>> metadata = new LinkedHashMap<>();
        Map<String, Upload> uploads = new LinkedHashMap<>();
        for (FormData.Field field : form.fields()) {
            // Multipart: a part with a filename is always a file. Urlencoded (and nameless multipart fields):
            // a bare metadata name is metadata; "/message" is the file.
            boolean isMetadata = !field.isFile() && METADATA.contains(field.name());
            if (isMetadata) {
                metadata.computeIfAbsent(field.name(), n -> new ArrayList<>()).add(field.text());
                continue;
            }
            String path = CloudGit.normalizePath(field.name());
            if (path == null) {
                return error(400, "Invalid file path: " + field.name());
            }
            String attributes = field.dispositionParameters().getOrDefault("x-attributes", "");
            FileMode mode = switch (attributes) {
                case "executable" -> FileMode.EXECUTABLE_FILE;
                case "link" -> FileMode.SYMLINK;
                case "" -> FileMode.REGULAR_FILE;
                default -> null;
            };
            if (mode == null) {
                return error(400, "Unsupported x-attributes: " + attributes);
            }
            uploads.put(path, new Upload(path, field.content(), mode));
        }
        List<String> branches = metadata.getOrDefault("branch", List.of());
        if (branches.size() > 1) {
            return error(400, "branch must not be repeated.");
        }
        List<String> parents = metadata.getOrDefault("parents", List.of()).stream()
                .flatMap(p -> java.util.Arrays.stream(p.split(","))).map(String::trim).filter(p -> !p.isEmpty())
                .toList();
        if (parents.size() > 1) {
            return error(400, "Only one parent is supported.");
        }
        PersonIdent author = author(metadata, who);
        if (author == null) {
            return error(400, "author must look like 'Name <email>'.");
        }
        String message = metadata.containsKey("message") ? metadata.get("message").get(0) : STOCK_MESSAGE;
        List<String> deletes = new ArrayList<>();
        for (String raw : metadata.getOrDefault("files", List.of())) {
            String path = CloudGit.normalizePath(raw);
            if (path == null) {
                return error(400, "Invalid path in files: " + raw);
            }
            if (!uploads.containsKey(path)) {
                deletes.add(path);
            }
        }
        String branch = branches.isEmpty() ? null : branches.get(0).trim();
        if (branch != null && !Repository.isValidRefName(Constants.R_HEADS + branch)) {
            return error(400, "Invalid branch name: " + branch);
        }
        String parent = parents.isEmpty() ? null : parents.get(0);
        return commit(repo, who, branch, parent, uploads, deletes, author, message);
    }

    /** The branch/parent table of docs/bitbucket-api-notes.md §1. */
    private FakeResponse commit(Repo repo, CloudPrincipal who, String branch, String parent,
                                Map<String, Upload> uploads, List<String> deletes, PersonIdent author,
                                String message) throws IOException {
        Repository git = repo.git;
        boolean empty = CloudGit.isEmpty(git);
        String target;
        RevCommit base;
        RevCommit expected;
        if (empty) {
            // The first commit is a root commit; a named branch becomes the main branch.
            target = branch != null ? branch : repo.mainBranch;
            base = null;
            expected = null;
        } else {
            target = branch != null ? branch : repo.mainBranch;
            RevCommit tip = CloudGit.tip(git, target);
            if (tip != null) {
                if (parent != null && !isSameCommit(tip, parent)) {
                    return error(409, "parents: " + parent + " is not the tip of " + target + " (" + tip.name()
                            + ").");
                }
                base = tip;
                expected = tip;
            } else if (branch == null) {
                return error(409, "The main branch " + target + " does not exist.");
            } else if (parent != null) {
                RevCommit resolved = CloudGit.resolve(git, parent);
                if (resolved == null) {
                    return error(400, "parents: unknown commit " + parent);
                }
                base = resolved;
                expected = null;
            } else {
                base = CloudGit.tip(git, repo.mainBranch);
                if (base == null) {
                    return error(409, "The main branch " + repo.mainBranch + " does not exist.");
                }
                expected = null;
            }
        }
        SortedMap<String, Entry> files = CloudGit.files(git, base);
        for (String path : deletes) {
            files.remove(path);
            files.keySet().removeIf(p -> p.startsWith(path + "/"));
        }
        for (Upload upload : uploads.values()) {
            String path = upload.path();
            files.keySet().removeIf(p -> p.startsWith(path + "/") || path.startsWith(p + "/"));
            files.put(path, new Entry(upload.mode(), CloudGit.blob(git, upload.content())));
        }
        ObjectId id = CloudGit.commit(git, files, base == null ? List.of() : List.of(base), author, message);
        if (!CloudGit.moveRef(git, Constants.R_HEADS + target, expected, id)) {
            return error(409, "The branch " + target + " moved while the commit was being created.");
        }
        if (empty) {
            repo.mainBranch = target;
            CloudGit.pointHead(git, target);
        }
        listener.pushed(repo, who, List.of(new CloudEvents.RefMove(Constants.R_HEADS + target, expected, id)));
        return FakeResponse.empty(201).header("Location", state.json.repoApi(repo) + "/commit/" + id.name());
    }

    /** A full hash, or an unambiguous-looking abbreviation of at least 7 hex digits. */
    private static boolean isSameCommit(RevCommit tip, String hash) {
        return hash.matches("[0-9a-fA-F]{7,40}") && tip.name().startsWith(hash.toLowerCase(java.util.Locale.ROOT));
    }

    private PersonIdent author(Map<String, List<String>> metadata, CloudPrincipal who) {
        TimeZone utc = TimeZone.getTimeZone(ZoneOffset.UTC);
        java.util.Date when = java.util.Date.from(state.now());
        if (!metadata.containsKey("author")) {
            User user = who.user();
            return new PersonIdent(user.displayName, user.email, when, utc);
        }
        Matcher matcher = AUTHOR.matcher(metadata.get("author").get(0));
        if (!matcher.matches() || matcher.group(1).isEmpty()) {
            return null;
        }
        return new PersonIdent(matcher.group(1), matcher.group(2), when, utc);
    }

    // ---- GET /src ----

    FakeResponse read(FakeRequest request, List<String> tail, Repo repo) throws IOException {
        RevCommit commit = tail.isEmpty() ? CloudGit.tip(repo.git, repo.mainBranch)
                : CloudGit.resolve(repo.git, tail.get(0));
        if (commit == null) {
            return error(404, tail.isEmpty() ? "The repository is empty." : "Commit not found: " + tail.get(0));
        }
        String path = tail.size() > 1 ? String.join("/", tail.subList(1, tail.size())) : "";
        SortedMap<String, Entry> files = CloudGit.files(repo.git, commit);
        boolean meta = "meta".equals(request.query("format"));
        Entry file = files.get(path);
        if (!path.isEmpty() && file != null) {
            if (meta) {
                return FakeResponse.json(200, fileJson(repo, commit, path, file));
            }
            byte[] content = CloudGit.read(repo.git, file.id());
            return FakeResponse.bytes(200, isText(content) ? "text/plain" : "application/octet-stream", content);
        }
        String prefix = path.isEmpty() ? "" : path + "/";
        Map<String, ObjectNode> children = new LinkedHashMap<>();
        for (Map.Entry<String, Entry> entry : files.entrySet()) {
            if (!entry.getKey().startsWith(prefix)) {
                continue;
            }
            String rest = entry.getKey().substring(prefix.length());
            int slash = rest.indexOf('/');
            if (slash < 0) {
                children.put(entry.getKey(), fileJson(repo, commit, entry.getKey(), entry.getValue()));
            } else {
                String directory = prefix + rest.substring(0, slash);
                children.computeIfAbsent(directory, d -> directoryJson(repo, commit, d));
            }
        }
        if (!path.isEmpty() && children.isEmpty()) {
            return error(404, "No such file or directory: " + path);
        }
        if (meta) {
            return FakeResponse.json(200, directoryJson(repo, commit, path));
        }
        List<ObjectNode> listing = new ArrayList<>(children.values());
        listing.sort(java.util.Comparator.comparing((ObjectNode n) -> n.path("type").asText())
                .reversed().thenComparing(n -> n.path("path").asText()));
        return FakeResponse.json(200, CloudPaging.page(request, state.json.web(), listing,
                CloudPaging.DEFAULT_PAGELEN, CloudPaging.MAX_PAGELEN));
    }

    private ObjectNode fileJson(Repo repo, RevCommit commit, String path, Entry entry) {
        ObjectNode node = FakeJson.object().put("path", path);
        node.set("commit", state.json.commitRef(repo, commit.name()));
        node.put("type", "commit_file");
        ArrayNode attributes = node.putArray("attributes");
        if (entry.mode() == FileMode.EXECUTABLE_FILE) {
            attributes.add("executable");
        } else if (entry.mode() == FileMode.SYMLINK) {
            attributes.add("link");
        }
        node.put("escaped_path", path);
        try (var reader = repo.git.newObjectReader()) {
            node.put("size", reader.getObjectSize(entry.id(), Constants.OBJ_BLOB));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        node.putNull("mimetype");
        ObjectNode links = node.putObject("links");
        String self = state.json.repoApi(repo) + "/src/" + commit.name() + "/" + path;
        CloudJson.href(links, "self", self);
        CloudJson.href(links, "meta", self + "?format=meta");
        CloudJson.href(links, "history", state.json.repoApi(repo) + "/filehistory/" + commit.name() + "/" + path);
        return node;
    }

    private ObjectNode directoryJson(Repo repo, RevCommit commit, String path) {
        ObjectNode node = FakeJson.object().put("path", path).put("type", "commit_directory");
        node.set("commit", state.json.commitRef(repo, commit.name()));
        ObjectNode links = node.putObject("links");
        String self = state.json.repoApi(repo) + "/src/" + commit.name() + "/" + path + (path.isEmpty() ? "" : "/");
        CloudJson.href(links, "self", self);
        CloudJson.href(links, "meta", self + "?format=meta");
        return node;
    }

    private static boolean isText(byte[] content) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(content));
            for (byte b : content) {
                if (b == 0) {
                    return false;
                }
            }
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
