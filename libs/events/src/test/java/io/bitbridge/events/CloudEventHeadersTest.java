package io.bitbridge.events;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CloudEventHeadersTest {

    @Test
    void writesBinaryModeHeadersAndReadsThemBack() {
        Instant time = Instant.parse("2026-11-22T10:15:30Z");
        CloudEventHeaders ce = CloudEventHeaders.of("{delivery-1}", EventType.PUSH, "/bitbridge/webhook-gateway", time);

        Headers headers = ce.toKafkaHeaders();

        assertEquals("1.0", text(headers, "ce_specversion"));
        assertEquals("{delivery-1}", text(headers, "ce_id"));
        assertEquals("io.bitbridge.bitbucket.push.v1", text(headers, "ce_type"));
        assertEquals("2026-11-22T10:15:30Z", text(headers, "ce_time"));
        assertEquals(ce, CloudEventHeaders.read(headers).orElseThrow());
    }

    @Test
    void writingTwiceReplacesInsteadOfDuplicating() {
        Headers headers = new RecordHeaders();
        CloudEventHeaders.of("a", EventType.PUSH, "/s", Instant.EPOCH).writeTo(headers);
        CloudEventHeaders.of("b", EventType.PUSH, "/s", Instant.EPOCH).writeTo(headers);
        int count = 0;
        for (var h : headers.headers("ce_id")) {
            count++;
        }
        assertEquals(1, count);
        assertEquals("b", text(headers, "ce_id"));
    }

    @Test
    void missingOrMalformedHeadersReadAsEmpty() {
        Headers headers = new RecordHeaders();
        headers.add("ce_id", "x".getBytes(StandardCharsets.UTF_8));
        assertTrue(CloudEventHeaders.read(headers).isEmpty());
        CloudEventHeaders.of("x", EventType.PUSH, "/s", Instant.EPOCH).writeTo(headers);
        headers.remove("ce_time");
        headers.add("ce_time", "yesterday".getBytes(StandardCharsets.UTF_8));
        assertTrue(CloudEventHeaders.read(headers).isEmpty());
    }

    private static String text(Headers headers, String name) {
        return new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
