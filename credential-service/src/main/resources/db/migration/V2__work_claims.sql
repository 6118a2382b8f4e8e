-- Bitbucket is called outside any transaction (no row lock held across a network call). A claim keeps two replicas
-- from doing the same call at once (creating a second hook, spending a rotating refresh token twice); it expires by
-- itself if its holder dies.
create table work_claim (
    work_key      text         primary key,
    holder        uuid         not null,
    claimed_until timestamptz  not null
);
