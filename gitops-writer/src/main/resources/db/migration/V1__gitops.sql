-- A GitOps target: where one cluster's configuration lives (repository, branch, directory).
create table target (
    id             uuid primary key,
    cluster_name   text        not null,
    cluster_id     text        not null,
    credential_id  text        not null,
    workspace      text        not null,
    repo_slug      text        not null,
    branch         text        not null,
    path           text        not null,
    webhook_status text,
    created_at     timestamptz not null,
    updated_at     timestamptz not null,
    unique (cluster_name, cluster_id)
);

-- One row per commit request (the idempotency key) and the audit trail: kept when its target is deleted.
create table commit_request (
    request_id   text primary key,
    target_id    uuid        not null,
    repository_key text,
    status       text        not null,
    requested_by text,
    author       text,
    message      text        not null,
    paths        jsonb       not null default '[]',
    commit_hash  text,
    parent_hash  text,
    reason       text,
    attempts     integer     not null default 0,
    requested_at timestamptz not null,
    completed_at timestamptz
);
create index commit_request_by_target on commit_request (target_id, requested_at desc);

-- Pushes already turned into sync events, per target (a redelivered push publishes nothing new).
create table sync_seen (
    delivery_id text not null,
    target_id   uuid not null,
    primary key (delivery_id, target_id)
);
