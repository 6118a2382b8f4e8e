-- A rotation stages the next webhook secret (sealed like every secret) before any hook carries it: the gateway accepts
-- it from then on, the hooks are updated, and only then does it become the current one.
alter table credential
    add column next_webhook_secret_cipher text,
    add column next_webhook_secret_key_id varchar(64);
