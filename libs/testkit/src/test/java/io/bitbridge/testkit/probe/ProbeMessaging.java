package io.bitbridge.testkit.probe;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

@ApplicationScoped
public class ProbeMessaging {
    private final List<String> received = new CopyOnWriteArrayList<>();

    @Channel("probe-out")
    Emitter<String> out;

    Uni<Void> send(String text) {
        return Uni.createFrom().completionStage(out.send(text));
    }

    @Incoming("probe-in")
    void receive(String text) {
        received.add(text);
    }

    List<String> received() {
        return List.copyOf(received);
    }
}
