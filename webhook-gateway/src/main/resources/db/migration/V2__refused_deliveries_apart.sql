-- Refused deliveries (4xx: bad signature, unknown credential, too large, not JSON, ...) are anyone's to send. They are
-- kept and pruned apart from the answered ones, so forged traffic cannot push real deliveries out of the log.
alter table delivery add column refused boolean generated always as (status between 400 and 499) stored;
drop index delivery_by_credential;
create index delivery_by_credential on delivery (credential_id, refused, id desc);
