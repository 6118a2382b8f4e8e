-- Every secret column is AES-256-GCM ciphertext (base64) with the id of its key beside it.
create table credential (
    id                               uuid primary key,
    kind                             varchar(40)  not null,
    name                             varchar(200) not null,
    status                           varchar(10)  not null,
    status_reason                    text,
    status_changed_at                timestamptz  not null,
    api_base_url                     text         not null,
    username                         varchar(320),
    account_id                       varchar(200),
    account_username                 varchar(200),
    account_display_name             varchar(300),
    scopes                           text,
    secret_hint                      varchar(16),
    secret_cipher                    text,
    secret_key_id                    varchar(64),
    refresh_token_cipher             text,
    refresh_token_key_id             varchar(64),
    access_token_expires_at          timestamptz,
    ca_pem                           text,
    tls_insecure                     boolean      not null default false,
    webhook_secret_cipher            text         not null,
    webhook_secret_key_id            varchar(64)  not null,
    webhook_secret_version           integer      not null,
    previous_webhook_secret_cipher   text,
    previous_webhook_secret_key_id   varchar(64),
    previous_webhook_valid_until     timestamptz,
    accept_unsigned_with_token       boolean      not null default false,
    created_at                       timestamptz  not null,
    updated_at                       timestamptz  not null
);

create unique index credential_name on credential (lower(name));

create table webhook_registration (
    id              bigserial primary key,
    credential_id   uuid         not null references credential (id) on delete cascade,
    owner           varchar(200) not null,
    repo            varchar(200) not null,
    hook_id         varchar(200) not null,
    secret_version  integer      not null,
    registered_at   timestamptz  not null,
    constraint webhook_registration_repo unique (credential_id, owner, repo)
);

-- Consent flows in progress: a nonce is deleted when its callback arrives, so a state works once.
create table oauth_state (
    nonce                 varchar(64) primary key,
    caller                varchar(200) not null,
    credential_name       varchar(200),
    reconnect_credential  uuid,
    expires_at            timestamptz  not null
);

-- Transactional outbox: an event is written in the same transaction as the change it describes and published
-- after the commit (or by the periodic relay if Kafka was away), so no committed change goes unannounced.
create table outbox_event (
    id             bigserial primary key,
    credential_id  uuid         not null,
    event_id       varchar(64)  not null,
    payload        bytea        not null,
    created_at     timestamptz  not null
);
