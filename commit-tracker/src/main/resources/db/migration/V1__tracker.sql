-- Every table is keyed by its natural key: a replayed or redelivered event inserts nothing new, and every
-- "current state" column is only overwritten by an event at least as new as the one that wrote it.

create table commits (
    repository_key    text        not null,
    hash              text        not null,
    message           text,
    author_name       text,
    author_email      text,
    author_account_id text,
    committed_at      timestamptz,
    -- committed_at, or when first seen when Bitbucket gave no date: the paging order
    sort_at           timestamptz not null,
    parents           text[]      not null default '{}',
    paths             text[]      not null default '{}',
    first_delivery_id text        not null,
    first_seen_at     timestamptz not null,
    primary key (repository_key, hash)
);
create index commits_by_time on commits (repository_key, sort_at desc, hash desc);

create table commit_branches (
    repository_key text        not null,
    hash           text        not null,
    branch         text        not null,
    delivery_id    text        not null,
    pushed_at      timestamptz not null,
    primary key (repository_key, hash, branch)
);
create index commit_branches_by_branch on commit_branches (repository_key, branch);

-- One row per push that moved a ref: the branch's history, and the source of its forced-update count.
create table branch_updates (
    repository_key text        not null,
    branch         text        not null,
    delivery_id    text        not null,
    old_hash       text,
    new_hash       text,
    created        boolean     not null,
    deleted        boolean     not null,
    forced         boolean     not null,
    at             timestamptz not null,
    primary key (repository_key, branch, delivery_id)
);

create table branches (
    repository_key    text        not null,
    name              text        not null,
    head              text,
    created_at        timestamptz,
    deleted_at        timestamptz,
    -- the time of the newest event applied: an older one arriving later never overwrites head or deletion
    updated_at        timestamptz not null,
    merged_by_pull_request bigint,
    primary key (repository_key, name)
);

create table pull_requests (
    repository_key         text        not null,
    id                     bigint      not null,
    title                  text,
    description            text,
    state                  text        not null,
    author_name            text,
    author_account_id      text,
    source_repository_key  text,
    source_branch          text,
    source_commit          text,
    destination_branch     text,
    destination_commit     text,
    merge_commit           text,
    fork                   boolean     not null,
    created_at             timestamptz,
    -- Bitbucket's own updated time of the newest version applied (or the delivery's receipt time)
    updated_at             timestamptz not null,
    state_rank             int         not null,
    primary key (repository_key, id)
);
create index pull_requests_by_state on pull_requests (repository_key, state, id desc);

create table pull_request_history (
    repository_key    text        not null,
    pull_request_id   bigint      not null,
    delivery_id       text        not null,
    action            text        not null,
    state             text        not null,
    actor_name        text,
    actor_account_id  text,
    source_commit     text,
    merge_commit      text,
    -- Bitbucket's time of the version the delivery carried; the order of the history
    at                timestamptz not null,
    received_at       timestamptz not null,
    primary key (repository_key, pull_request_id, delivery_id)
);

create table task_links (
    link_id        text        primary key,
    task_key       text        not null,
    project_key    text        not null,
    target         text        not null,
    repository_key text        not null,
    reference      text        not null,
    found_in       text        not null,
    title          text,
    author_name    text,
    author_email   text,
    author_account_id text,
    delivery_id    text        not null,
    linked_at      timestamptz not null,
    -- null until tasks.links.v1 acknowledged the link's event; a retried delivery publishes what is still null
    published_at   timestamptz
);
create index task_links_by_task on task_links (task_key, linked_at desc);
create index task_links_by_project on task_links (project_key, task_key);
create index task_links_unpublished on task_links (delivery_id) where published_at is null;

-- One person per Bitbucket account id, or per e-mail address where there is none: identity is account:<id> or email:<address>.
create table members (
    identity      text primary key,
    account_id    text,
    email         text,
    display_name  text
);

create table member_aliases (
    identity text not null,
    alias    text not null,
    primary key (identity, alias)
);

create table member_activity (
    identity       text        not null,
    repository_key text        not null,
    first_at       timestamptz not null,
    last_at        timestamptz not null,
    primary key (repository_key, identity)
);
