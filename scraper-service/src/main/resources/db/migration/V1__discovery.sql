-- Repository discovery: the credentials this service scrapes and the repositories each one lists.

-- A credential as its lifecycle events describe it. last_event_at claims a lifecycle event's scrape for one instance
-- (every instance reads every event); scrape_started_at claims a scheduled scrape.
create table credentials (
    credential_id     text primary key,
    status            text        not null,
    deleted           boolean     not null default false,
    last_event_at     timestamptz,
    scrape_started_at timestamptz,
    scraped_at        timestamptz,
    last_error        text
);

-- What the credential's listing last said about each repository; a repository gone from the listing keeps its row
-- with removed_at set (and comes back, removed_at cleared, if it is listed again).
create table repositories (
    credential_id   text        not null,
    repository_key  text        not null,
    provider        text        not null,
    host            text        not null,
    owner           text        not null,
    slug            text        not null,
    name            text,
    main_branch     text,
    private         boolean     not null,
    html_url        text,
    clone_urls      jsonb       not null,
    first_seen_at   timestamptz not null,
    last_seen_at    timestamptz not null,
    removed_at      timestamptz,
    primary key (credential_id, repository_key)
);
