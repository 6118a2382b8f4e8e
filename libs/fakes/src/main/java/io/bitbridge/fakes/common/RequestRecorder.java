package io.bitbridge.fakes.common;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** Every request a fake received (except its {@code /_sandbox/} calls), oldest first. */
public final class RequestRecorder {
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();

    void record(RecordedRequest request) {
        requests.add(request);
    }

    public List<RecordedRequest> all() {
        return List.copyOf(requests);
    }

    public List<RecordedRequest> matching(Predicate<RecordedRequest> filter) {
        return requests.stream().filter(filter).toList();
    }

    public List<RecordedRequest> to(String method, String pathPrefix) {
        return matching(r -> r.method().equals(method) && r.path().startsWith(pathPrefix));
    }

    public void clear() {
        requests.clear();
    }
}
