package io.bitbridge.fakes.common;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Every request a fake received (except its {@code /_sandbox/} calls), oldest first. Recording appends under a lock
 * (a copy-on-write list would copy every request recorded so far on each new one: slower the longer a benchmark runs);
 * reading copies.
 */
public final class RequestRecorder {
    private final List<RecordedRequest> requests = new ArrayList<>();

    synchronized void record(RecordedRequest request) {
        requests.add(request);
    }

    public synchronized List<RecordedRequest> all() {
        return List.copyOf(requests);
    }

    public List<RecordedRequest> matching(Predicate<RecordedRequest> filter) {
        return all().stream().filter(filter).toList();
    }

    public List<RecordedRequest> to(String method, String pathPrefix) {
        return matching(r -> r.method().equals(method) && r.path().startsWith(pathPrefix));
    }

    public synchronized void clear() {
        requests.clear();
    }
}
