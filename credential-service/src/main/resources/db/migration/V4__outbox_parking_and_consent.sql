-- An outbox row that cannot be published (its payload does not read back) is parked, not retried forever: it stays for
-- an operator to look at and no longer holds back the rows behind it.
alter table outbox_event add column parked_at timestamptz;
alter table outbox_event add column parked_reason varchar(200);
-- The flusher looks for the oldest pending row of each credential.
create index outbox_event_pending on outbox_event (credential_id, id) where parked_at is null;

-- A reconnect may end with another Bitbucket account only when the admin who started it said so.
alter table oauth_state add column allow_account_change boolean not null default false;
