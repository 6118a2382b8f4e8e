package io.bitbridge.fakes.common;

import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.PacketLineOut;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.eclipse.jgit.transport.ReceivePack;
import org.eclipse.jgit.transport.RefAdvertiser;
import org.eclipse.jgit.transport.UploadPack;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;

/**
 * Git's smart HTTP protocol (stateless RPC, protocol v0) served with JGit's {@link UploadPack} and
 * {@link ReceivePack} on any HTTP server: {@code GET <repo>/info/refs?service=git-upload-pack|git-receive-pack},
 * {@code POST <repo>/git-upload-pack}, {@code POST <repo>/git-receive-pack}. Authentication is the caller's
 * job; so is turning accepted ref updates into webhooks (the {@code onPush} callback gets the commands that
 * succeeded, after the refs moved).
 */
public final class GitSmartHttp {
    public static final String UPLOAD_PACK = "git-upload-pack";
    public static final String RECEIVE_PACK = "git-receive-pack";

    private GitSmartHttp() {
    }

    /** The git operation a path suffix names ({@code info/refs}, {@code git-upload-pack}, ...), or null. */
    public static String service(FakeRequest request, String suffix) {
        if (suffix.equals("info/refs") && request.method().equals("GET")) {
            return request.query("service");
        }
        if (request.method().equals("POST") && (suffix.equals(UPLOAD_PACK) || suffix.equals(RECEIVE_PACK))) {
            return suffix;
        }
        return null;
    }

    /** Whether the request writes (needs push permission). */
    public static boolean isPush(FakeRequest request, String suffix) {
        return RECEIVE_PACK.equals(service(request, suffix));
    }

    /**
     * Serves one smart-HTTP request.
     *
     * @param suffix the path after {@code <repo>.git/}
     * @param onPush called with the successful ref updates of a push
     */
    public static FakeResponse serve(FakeRequest request, String suffix, Repository repository,
                                     Consumer<List<ReceiveCommand>> onPush) throws IOException {
        String service = service(request, suffix);
        if (service == null || !(service.equals(UPLOAD_PACK) || service.equals(RECEIVE_PACK))) {
            return FakeResponse.text(403, "Only the smart HTTP protocol is supported");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (suffix.equals("info/refs")) {
            PacketLineOut packets = new PacketLineOut(out);
            packets.writeString("# service=" + service + "\n");
            packets.end();
            RefAdvertiser.PacketLineOutRefAdvertiser advertiser = new RefAdvertiser.PacketLineOutRefAdvertiser(packets);
            if (service.equals(UPLOAD_PACK)) {
                UploadPack upload = new UploadPack(repository);
                upload.setBiDirectionalPipe(false);
                upload.sendAdvertisedRefs(advertiser);
            } else {
                receivePack(repository, onPush).sendAdvertisedRefs(advertiser);
            }
            return noCache(FakeResponse.bytes(200, "application/x-" + service + "-advertisement", out.toByteArray()));
        }
        ByteArrayInputStream in = new ByteArrayInputStream(request.body());
        if (service.equals(UPLOAD_PACK)) {
            UploadPack upload = new UploadPack(repository);
            upload.setBiDirectionalPipe(false);
            upload.upload(in, out, null);
        } else {
            receivePack(repository, onPush).receive(in, out, null);
        }
        return noCache(FakeResponse.bytes(200, "application/x-" + service + "-result", out.toByteArray()));
    }

    private static ReceivePack receivePack(Repository repository, Consumer<List<ReceiveCommand>> onPush) {
        ReceivePack receive = new ReceivePack(repository);
        receive.setBiDirectionalPipe(false);
        // Bitbucket accepts force pushes and branch deletes unless branch restrictions say otherwise.
        receive.setAllowNonFastForwards(true);
        receive.setAllowDeletes(true);
        receive.setAllowBranchDeletes(true);
        receive.setPostReceiveHook((pack, commands) -> onPush.accept(succeeded(commands)));
        return receive;
    }

    private static List<ReceiveCommand> succeeded(Collection<ReceiveCommand> commands) {
        return commands.stream().filter(c -> c.getResult() == ReceiveCommand.Result.OK).toList();
    }

    private static FakeResponse noCache(FakeResponse response) {
        return response.header("Cache-Control", "no-cache, max-age=0, must-revalidate")
                .header("Pragma", "no-cache");
    }
}
