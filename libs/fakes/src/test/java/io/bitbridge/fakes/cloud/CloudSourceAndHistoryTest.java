package io.bitbridge.fakes.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import io.bitbridge.fakes.cloud.CloudTestClient.Reply;
import io.bitbridge.fakes.common.FormData;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /src} commits (the branch/parent table of docs/bitbucket-api-notes.md §1), reads, refs, commits, diffstat, statuses. */
class CloudSourceAndHistoryTest {
    private static final String SRC = "/2.0/repositories/acme/game/src";
    private BitbucketCloudFake fake;
    private CloudTestClient client;

    @BeforeEach
    void start() {
        fake = BitbucketCloudFake.sandboxBuilder()
                .repository("acme", "empty", "main", Map.of())
                .branch("acme", "infra", "feature", Map.of("feature.txt", "f\n"))
                .start();
        client = CloudTestClient.sandbox(fake);
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private String tip(String branch) {
        return fake.branchTip("acme", "game", branch);
    }

    private String file(String repo, String revision, String path) {
        Reply reply = client.get("/2.0/repositories/acme/" + repo + "/src/" + revision + "/" + path);
        return reply.status() == 200 ? reply.body() : null;
    }

    private static String location(Reply reply) {
        assertEquals(201, reply.status(), reply.body());
        String location = reply.header("Location");
        return location.substring(location.lastIndexOf('/') + 1);
    }

    @Test
    void noBranchNoParentsCommitsOnMainAndLocationEndsInTheHash() {
        String before = tip("main");
        Reply reply = client.postForm(SRC, "/docs/a.txt", "A\n", "message", "Add a", "author",
                "Dev Eloper <dev@example.com>");
        String hash = location(reply);
        assertTrue(reply.header("Location").endsWith("/2.0/repositories/acme/game/commit/" + hash));
        assertEquals(hash, tip("main"));
        JsonNode commit = client.get("/2.0/repositories/acme/game/commit/" + hash).json();
        assertEquals("Add a", commit.get("message").asText());
        assertEquals("Dev Eloper <dev@example.com>", commit.get("author").get("raw").asText());
        assertEquals(before, commit.get("parents").get(0).get("hash").asText());
        assertEquals("A\n", file("game", hash, "docs/a.txt"));
        assertEquals("# game\n", file("game", hash, "README.md"), "unnamed paths carry over");
    }

    @Test
    void branchInTheQueryStringIsIgnoredLikeBitbucketDoes() {
        String hash = location(client.postForm(SRC + "?branch=elsewhere", "q.txt", "q"));
        assertEquals(hash, tip("main"), "only the form field names a branch");
        assertNull(tip("elsewhere"));
    }

    @Test
    void parentsMustBeTheTipOtherwise409() {
        String before = tip("main");
        assertEquals(201, client.postForm(SRC, "x.txt", "1", "parents", before).status());
        Reply stale = client.postForm(SRC, "x.txt", "2", "parents", before);
        assertEquals(409, stale.status());
        assertEquals("error", stale.json().get("type").asText());
        Reply staleOnBranch = client.postForm(SRC, "x.txt", "2", "branch", "main", "parents", before);
        assertEquals(409, staleOnBranch.status());
        assertEquals(201, client.postForm(SRC, "x.txt", "3", "branch", "main", "parents", tip("main")).status());
        assertEquals(400, client.postForm(SRC, "x.txt", "4", "branch", "main", "branch", "other").status(),
                "branch must not be repeated");
    }

    @Test
    void aNewBranchStartsAtTheMainTipAndMainDoesNotMove() {
        String main = tip("main");
        String hash = location(client.postForm(SRC, "new.txt", "n", "branch", "topic/one"));
        assertEquals(main, tip("main"));
        assertEquals(hash, tip("topic/one"));
        JsonNode commit = client.get("/2.0/repositories/acme/game/commit/" + hash).json();
        assertEquals(main, commit.get("parents").get(0).get("hash").asText());
    }

    @Test
    void aNewBranchWithParentsStartsThereAndWithoutFilesIsAnEmptyDiffCommit() {
        String root = tip("main");
        location(client.postForm(SRC, "later.txt", "l"));
        String hash = location(client.postForm(SRC, "branch", "from-root", "parents", root));
        JsonNode commit = client.get("/2.0/repositories/acme/game/commit/" + hash).json();
        assertEquals(root, commit.get("parents").get(0).get("hash").asText());
        assertEquals(0, client.get("/2.0/repositories/acme/game/diffstat/" + hash).json().get("size").asInt());
        assertEquals(CloudSource.STOCK_MESSAGE, commit.get("message").asText());
    }

    @Test
    void createdRepositoriesStartEmptyAndTakeTheirFirstCommit() {
        Reply created = client.postJson("/2.0/repositories/acme/fresh", Map.of("scm", "git", "is_private", true));
        assertEquals(200, created.status(), created.body());
        assertEquals("acme/fresh", created.json().get("full_name").asText());
        assertEquals(400, client.postJson("/2.0/repositories/acme/fresh", Map.of("scm", "git")).status());
        assertEquals(404, client.get("/2.0/repositories/acme/fresh/src").status(), "empty until the first commit");
        location(client.postForm("/2.0/repositories/acme/fresh/src", "README.md", "hello"));
        assertEquals("hello", file("fresh", "main", "README.md"));
    }

    @Test
    void anEmptyRepositoryGetsARootCommitAndANamedBranchBecomesMain() throws Exception {
        String hash = location(client.postForm("/2.0/repositories/acme/empty/src", "first.txt", "1", "branch",
                "trunk"));
        RevCommit commit = CloudGit.parse(fake.git("acme", "empty"), org.eclipse.jgit.lib.ObjectId.fromString(hash));
        assertEquals(0, commit.getParentCount());
        assertEquals("trunk", client.get("/2.0/repositories/acme/empty").json().get("mainbranch").get("name")
                .asText());
        assertEquals("refs/heads/trunk", fake.git("acme", "empty").exactRef(Constants.HEAD).getTarget().getName());
    }

    @Test
    void filesWithoutContentAreDeletedAndMetadataNamesNeedALeadingSlash() {
        location(client.postForm(SRC, "a.txt", "a", "b.txt", "b"));
        String hash = location(client.postForm(SRC, "files", "a.txt", "files", "b.txt", "b.txt", "b2",
                "/message", "a file called message", "message", "the commit message"));
        assertNull(file("game", hash, "a.txt"), "listed in files without content: deleted");
        assertEquals("b2", file("game", hash, "b.txt"), "listed in files with content: kept");
        assertEquals("a file called message", file("game", hash, "message"));
        assertEquals("the commit message", client.get("/2.0/repositories/acme/game/commit/" + hash).json()
                .get("message").asText());
    }

    @Test
    void multipartFilePartsAreRecognisedByFilenameAndKeepAttributes() throws Exception {
        byte[] binary = {0, 1, 2, (byte) 0xff};
        FormData.MultipartBuilder form = new FormData.MultipartBuilder()
                .field("message", "multipart commit")
                .file("message", "file named message".getBytes(StandardCharsets.UTF_8))
                .file("/bin/run.sh", "#!/bin/sh\n".getBytes(StandardCharsets.UTF_8), "executable")
                .file("latest", "bin/run.sh".getBytes(StandardCharsets.UTF_8), "link")
                .file("data.bin", binary);
        String hash = location(client.postMultipart(SRC, form));
        var files = CloudGit.files(fake.git("acme", "game"),
                CloudGit.resolve(fake.git("acme", "game"), hash));
        assertEquals(FileMode.EXECUTABLE_FILE, files.get("bin/run.sh").mode());
        assertEquals(FileMode.SYMLINK, files.get("latest").mode());
        assertEquals("file named message", file("game", hash, "message"));
        Reply raw = client.get("/2.0/repositories/acme/game/src/" + hash + "/data.bin");
        assertEquals("application/octet-stream", raw.header("Content-Type"));
        assertEquals("multipart commit", client.get("/2.0/repositories/acme/game/commit/" + hash).json()
                .get("message").asText());
        JsonNode meta = client.get("/2.0/repositories/acme/game/src/" + hash + "/bin/run.sh?format=meta").json();
        assertEquals("executable", meta.get("attributes").get(0).asText());
        String replaced = location(client.postMultipart(SRC, new FormData.MultipartBuilder()
                .file("bin/run.sh", "plain".getBytes(StandardCharsets.UTF_8))));
        assertEquals(FileMode.REGULAR_FILE, CloudGit.files(fake.git("acme", "game"),
                CloudGit.resolve(fake.git("acme", "game"), replaced)).get("bin/run.sh").mode(),
                "re-uploading without the attribute makes a plain file");
    }

    @Test
    void srcListsDirectories() {
        String hash = location(client.postForm(SRC, "dir/one.txt", "1", "dir/sub/two.txt", "2"));
        JsonNode root = client.get("/2.0/repositories/acme/game/src/" + hash + "/").json();
        List<String> paths = new ArrayList<>();
        root.get("values").forEach(v -> paths.add(v.get("type").asText() + ":" + v.get("path").asText()));
        assertEquals(List.of("commit_file:README.md", "commit_directory:dir"), paths);
        JsonNode dir = client.get("/2.0/repositories/acme/game/src/main/dir").json();
        assertEquals(2, dir.get("size").asInt());
        assertEquals(404, client.get("/2.0/repositories/acme/game/src/" + hash + "/missing").status());
        assertEquals(200, client.get(SRC).status(), "GET /src lists the main branch root");
    }

    @Test
    void branchesCanBeListedFetchedCreatedAndDeleted() {
        String main = tip("main");
        Reply created = client.postJson("/2.0/repositories/acme/game/refs/branches",
                Map.of("name", "release/1.0", "target", Map.of("hash", main.substring(0, 12))));
        assertEquals(201, created.status(), created.body());
        assertEquals(main, created.json().get("target").get("hash").asText());
        assertEquals(400, client.postJson("/2.0/repositories/acme/game/refs/branches",
                Map.of("name", "release/1.0", "target", Map.of("hash", main))).status());
        JsonNode list = client.get("/2.0/repositories/acme/game/refs/branches?sort=-name").json();
        assertEquals(List.of("release/1.0", "main"), names(list));
        assertEquals(List.of("main"), names(client.get("/2.0/repositories/acme/game/refs/branches?q="
                + CloudJson.encode("name = \"main\"")).json()));
        assertEquals("release/1.0", client.get("/2.0/repositories/acme/game/refs/branches/release/1.0").json()
                .get("name").asText());
        assertEquals(204, client.delete("/2.0/repositories/acme/game/refs/branches/release/1.0").status());
        assertEquals(404, client.get("/2.0/repositories/acme/game/refs/branches/release/1.0").status());
        assertEquals(400, client.delete("/2.0/repositories/acme/game/refs/branches/main").status(),
                "the main branch cannot be deleted");
    }

    @Test
    void commitsHonourIncludeExcludeAndPageIteratorStyle() {
        String base = tip("main");
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            made.add(0, location(client.postForm(SRC, "n.txt", Integer.toString(i), "branch", "dev")));
        }
        JsonNode page = client.get("/2.0/repositories/acme/game/commits/dev?exclude=main&pagelen=2").json();
        assertFalse(page.has("size"), "commits are iterator-style");
        assertFalse(page.has("page"));
        List<String> seen = new ArrayList<>();
        while (true) {
            page.get("values").forEach(v -> seen.add(v.get("hash").asText()));
            if (!page.has("next")) {
                break;
            }
            assertTrue(page.get("next").asText().matches(".*page=[0-9a-f]{40}.*"), page.get("next").asText());
            page = client.get(page.get("next").asText()).json();
        }
        assertEquals(made, seen, "newest first, dev ^main");
        JsonNode viaInclude = client.get("/2.0/repositories/acme/game/commits?include=dev&exclude=" + made.get(2))
                .json();
        assertEquals(made.subList(0, 2), hashes(viaInclude));
        JsonNode posted = client.postForm("/2.0/repositories/acme/game/commits", "include", "dev", "exclude", "main")
                .json();
        assertEquals(made, hashes(posted), "POST takes include/exclude as a form");
        assertEquals(404, client.get("/2.0/repositories/acme/game/commits/nope").status());
        assertEquals(base, client.get("/2.0/repositories/acme/game/commits/main").json().get("values").get(0)
                .get("hash").asText());
    }

    @Test
    void diffstatComparesWithTheFirstParentOrReversedRange() {
        String base = tip("main");
        location(client.postForm(SRC, "README.md", "# game\nmore\n", "added.txt", "x\ny\n"));
        String second = location(client.postForm(SRC, "files", "added.txt"));
        JsonNode single = client.get("/2.0/repositories/acme/game/diffstat/" + second).json();
        assertEquals(1, single.get("size").asInt());
        JsonNode removed = single.get("values").get(0);
        assertEquals("removed", removed.get("status").asText());
        assertEquals(2, removed.get("lines_removed").asInt());
        assertTrue(removed.get("new").isNull());
        JsonNode range = client.get("/2.0/repositories/acme/game/diffstat/" + second + ".." + base).json();
        assertEquals(1, range.get("size").asInt(), "A..B: A holds the changes against base B");
        JsonNode modified = range.get("values").get(0);
        assertEquals("modified", modified.get("status").asText());
        assertEquals(1, modified.get("lines_added").asInt());
        assertEquals("README.md", modified.get("old").get("path").asText());
        JsonNode reversed = client.get("/2.0/repositories/acme/game/diffstat/" + base + ".." + second
                + "?topic=false").json();
        assertEquals(1, reversed.get("values").get(0).get("lines_removed").asInt());
        assertEquals(500, single.get("pagelen").asInt());
    }

    @Test
    void buildStatusesAreStoredPerCommitAndKey() {
        String hash = tip("main");
        String path = "/2.0/repositories/acme/game/commit/" + hash + "/statuses";
        Reply posted = client.postJson(path + "/build", Map.of("key", "ci", "state", "INPROGRESS",
                "url", "https://ci.example/1", "name", "CI"));
        assertEquals(201, posted.status(), posted.body());
        assertEquals("INPROGRESS", posted.json().get("state").asText());
        client.postJson(path + "/build", Map.of("key", "ci", "state", "SUCCESSFUL", "url", "https://ci.example/1"));
        JsonNode list = client.get(path).json();
        assertEquals(1, list.get("size").asInt());
        assertEquals("SUCCESSFUL", list.get("values").get(0).get("state").asText());
        assertEquals("SUCCESSFUL", client.get(path + "/build/ci").json().get("state").asText());
        assertEquals(400, client.postJson(path + "/build", Map.of("key", "x", "state", "DONE", "url", "u")).status());
        assertEquals(404, client.get("/2.0/repositories/acme/game/commit/" + "0".repeat(40) + "/statuses").status());
    }

    @Test
    void writesNeedWriteScope() throws Exception {
        BitbucketCloudFake narrow = BitbucketCloudFake.sandboxBuilder()
                .apiToken("sandbox@example.com", "read-only", "read:repository:bitbucket").start();
        try {
            Reply denied = CloudTestClient.basic(narrow, "sandbox@example.com", "read-only").postForm(SRC, "a", "b");
            assertEquals(403, denied.status());
            assertEquals(1, CloudGit.log(narrow.git("acme", "game"), List.of(CloudGit.tip(narrow.git("acme", "game"),
                    "main")), List.of(), null, null, 10).size(), "nothing was committed");
        } finally {
            narrow.close();
        }
    }

    private static List<String> names(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.get("values").forEach(v -> out.add(v.get("name").asText()));
        return out;
    }

    private static List<String> hashes(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.get("values").forEach(v -> out.add(v.get("hash").asText()));
        return out;
    }
}
