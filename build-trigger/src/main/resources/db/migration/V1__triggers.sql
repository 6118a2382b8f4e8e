-- One row per decision: the idempotency record of a build for (repository, ref, head commit, job).
-- Written before Jenkins is called (state CALLING) and completed after, so a redelivered or replayed push,
-- or the same push through a second credential, finds the row and starts nothing.
create table build_trigger (
    id                 uuid primary key,
    repository_key     varchar(300) not null,
    ref_name           varchar(500) not null,
    commit_hash        varchar(64)  not null,
    job                varchar(500) not null,
    instance           varchar(100),
    tag                varchar(1000) not null,
    tagged_commit      varchar(64)  not null,
    parameters         jsonb        not null,
    state              varchar(20)  not null,
    reason             text,
    queue_url          text,
    build_url          text,
    build_number       integer,
    result             varchar(20),
    rebuilds           integer      not null default 0,
    credential_id      varchar(128),
    source_delivery_id varchar(200),
    created_at         timestamp with time zone not null,
    updated_at         timestamp with time zone not null,
    constraint build_trigger_once unique (repository_key, ref_name, commit_hash, job)
);

create index build_trigger_by_commit on build_trigger (repository_key, commit_hash);
create index build_trigger_unfinished on build_trigger (state) where state in ('CALLING', 'QUEUED', 'STARTED');
