package io.bitbridge.fakes.common;

/** What a fake does with one request. Exceptions become a 500 (logged without request secrets). */
@FunctionalInterface
public interface FakeHandler {
    FakeResponse handle(FakeRequest request) throws Exception;
}
