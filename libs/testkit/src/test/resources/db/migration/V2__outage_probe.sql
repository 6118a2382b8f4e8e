create table outage_probe (
    event_id text primary key,
    channel text not null
);
