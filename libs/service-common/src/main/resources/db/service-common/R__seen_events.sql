-- The events a service has acted on, by CloudEvents source and id (io.bitbridge.common.messaging.SeenEvents): a replay
-- within the de-duplication window has no second effect. Rows older than the window are pruned by the service.
create table if not exists seen_event (
    event_source text        not null,
    event_id     text        not null,
    seen_at      timestamptz not null,
    primary key (event_source, event_id)
);
create index if not exists seen_event_seen_at on seen_event (seen_at);
