package io.bitbridge.fakes.common;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A request a fake received, with what it answered.
 *
 * @param request the request
 * @param status  the status answered, or -1 when the connection was dropped (reset/hang faults)
 * @param fault   the fault applied, or null
 */
public record RecordedRequest(FakeRequest request, int status, Fault fault) {
    public String method() {
        return request.method();
    }

    public String path() {
        return request.rawPath();
    }

    /** JSON for {@code /_sandbox/requests}; credentials are cut to their scheme so they never leave the fake. */
    public ObjectNode toJson() {
        ObjectNode node = FakeJson.object()
                .put("method", request.method())
                .put("path", request.rawPath())
                .put("query", request.rawQuery())
                .put("status", status)
                .put("received_at", request.receivedAt().toString());
        ObjectNode headers = node.putObject("headers");
        request.headers().forEach((name, values) -> headers.put(name, name.equals("authorization")
                ? values.get(0).split(" ", 2)[0] + " <redacted>" : String.join(", ", values)));
        node.put("body", request.bodyText());
        if (fault != null) {
            node.set("fault", fault.toJson());
        }
        return node;
    }
}
