-- Reviewers' current status per pull request: the reviewer list of the newest delivery (Bitbucket's time, then receipt,
-- then delivery id), so an older delivery arriving late never brings back an earlier status.
alter table pull_requests add column reviewers_at timestamptz;
alter table pull_requests add column reviewers_received_at timestamptz;
alter table pull_requests add column reviewers_delivery text;

create table pull_request_reviewers (
    repository_key    text        not null,
    pull_request_id   bigint      not null,
    identity          text        not null,
    name              text,
    account_id        text,
    status            text        not null,
    approved          boolean     not null,
    primary key (repository_key, pull_request_id, identity)
);

-- Ties between versions of a pull request with the same Bitbucket time and state rank go to the later receipt, then
-- the greater delivery id: whatever order the deliveries arrive in, the same one wins.
alter table pull_requests add column version_received_at timestamptz;
alter table pull_requests add column version_delivery text;
-- Likewise for pushes received at the same instant.
alter table branches add column updated_delivery text;
-- A member's display name is the one shown at their latest activity.
alter table members add column display_name_at timestamptz;

-- An e-mail address an account showed: an e-mail-only author with that address is the account's person.
create table member_emails (
    email    text primary key,
    identity text not null
);

-- What an expanded push said about each ref move: whether its commit list is whole, why not, and the paths it changed.
alter table branch_updates add column commits_complete boolean not null default true;
alter table branch_updates add column expansion_note text;
alter table branch_updates add column paths text[];

-- A link's event is sent inside the transaction that creates it: no outbox column to keep.
drop index task_links_unpublished;
alter table task_links drop column published_at;
