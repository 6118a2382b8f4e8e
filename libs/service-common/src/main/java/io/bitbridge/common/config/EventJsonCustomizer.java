package io.bitbridge.common.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.bitbridge.events.EventJson;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/** Quarkus' own ObjectMapper writes events exactly as {@link EventJson} does. */
@Singleton
public class EventJsonCustomizer implements ObjectMapperCustomizer {
    @Override
    public void customize(ObjectMapper mapper) {
        EventJson.configure(mapper);
    }
}
