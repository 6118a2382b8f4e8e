package io.bitbridge.fakes.common;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Armed faults, consumed first-armed-first by the calls they match. */
public final class FaultInjector {
    private final List<Fault> armed = new ArrayList<>();

    public synchronized FaultInjector arm(Fault fault) {
        armed.add(fault);
        return this;
    }

    public synchronized List<Fault> armed() {
        return List.copyOf(armed);
    }

    public synchronized void clear() {
        armed.clear();
    }

    /** Takes one use of the first fault matching the path, if any. */
    synchronized Optional<Fault> take(String rawPath) {
        for (int i = 0; i < armed.size(); i++) {
            Fault fault = armed.get(i);
            if (fault.matches(rawPath)) {
                if (fault.times() == 1) {
                    armed.remove(i);
                } else {
                    armed.set(i, fault.consumedOnce());
                }
                return Optional.of(fault);
            }
        }
        return Optional.empty();
    }
}
